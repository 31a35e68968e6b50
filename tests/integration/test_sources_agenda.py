"""Agendas fetched for real (a local web server) and kept up to date: occurrences stored
over the window, changed ones updated, cancelled ones marked, removed ones noticed; the
demo's own feed and agenda."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.core.web import create_app
from palabre.sources.demo import add_demo_sources
from palabre.sources.models import AgendaOccurrence, SourceItem
from palabre.team.models import User, Workspace
from tests import factories as f
from tests import sources_support as s
from tests.fakes.feed_server import FeedServer

NOW = s.NOW
ICS = "text/calendar; charset=utf-8"


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(uid: str, title: str, start: datetime, *, extra: str = "") -> str:
    return (
        "BEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261101T090000Z\r\n"
        f"DTSTART:{_stamp(start)}\r\nDTEND:{_stamp(start + timedelta(hours=1))}\r\n"
        f"SUMMARY:{title}\r\nLOCATION:Musée des Beaux-Arts\\, Valcourt\r\n{extra}"
        "END:VEVENT\r\n"
    )


def calendar(*events: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Palabre tests//FR\r\n"
        "X-WR-CALNAME:Agenda du musée\r\n" + "".join(events) + "END:VCALENDAR\r\n"
    )


TOMORROW = (NOW + timedelta(days=1)).replace(hour=9, minute=0, second=0)
WEEKLY = vevent(
    "atelier@musee", "Atelier du mercredi", TOMORROW, extra="RRULE:FREQ=WEEKLY;COUNT=4\r\n"
)
TALK = vevent("conf@musee", "Conférence sur Turner", TOMORROW + timedelta(days=10))
CONCERT = vevent("concert@musee", "Concert baroque", TOMORROW + timedelta(days=20))


def occurrences(rt: Runtime, source_id: int) -> list[AgendaOccurrence]:
    with rt.db.transaction(write=False) as session:
        rows = list(
            session.scalars(
                select(AgendaOccurrence)
                .where(AgendaOccurrence.source_id == source_id)
                .order_by(AgendaOccurrence.starts_at, AgendaOccurrence.id)
            )
        )
        session.expunge_all()
        return rows


def by_uid(rows: list[AgendaOccurrence], uid: str) -> list[AgendaOccurrence]:
    return [o for o in rows if o.uid == uid]


def test_an_agenda_is_stored_over_the_window(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/agenda.ics", calendar(WEEKLY, TALK, CONCERT), ICS)
    source_id = s.add_source(rt, t, url, kind="agenda")
    rows = occurrences(rt, source_id)
    assert len(by_uid(rows, "atelier@musee")) == 4 and len(rows) == 6
    assert (
        rows[0].title == "Atelier du mercredi"
        and rows[0].location == "Musée des Beaux-Arts, Valcourt"
    )
    src = s.source(rt, source_id)
    assert src.title == "Agenda du musée" and src.items_seen == 6
    assert s.fetch_row(rt, source_id).interval_seconds == 3 * 3600


def test_changes_cancellations_and_removals_are_followed(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    url = feed_server.serve("/agenda.ics", calendar(WEEKLY, TALK, CONCERT), ICS)
    source_id = s.add_source(rt, t, url, kind="agenda")
    before = {o.uid: o for o in occurrences(rt, source_id)}
    moved = vevent("conf@musee", "Conférence sur Turner", TOMORROW + timedelta(days=11))
    cancelled = CONCERT.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")
    feed_server.serve("/agenda.ics", calendar(moved, cancelled), ICS)  # the workshops are gone
    later = NOW + timedelta(hours=4)
    s.runner(rt).run_once(later)
    after = occurrences(rt, source_id)
    assert len(after) == 6  # nothing deleted: removals are marked
    talk = by_uid(after, "conf@musee")[0]
    assert talk.starts_at == TOMORROW + timedelta(days=11) and talk.changed_at == later
    assert talk.id == before[talk.uid].id  # the same row: a change, not a removal
    assert talk.content_hash != before[talk.uid].content_hash
    concert = by_uid(after, "concert@musee")[0]
    assert concert.status == "cancelled" and concert.removed_at is None
    assert all(o.removed_at == later for o in by_uid(after, "atelier@musee"))
    # the workshops come back: no longer removed, the same rows
    feed_server.serve("/agenda.ics", calendar(WEEKLY, moved, cancelled), ICS)
    s.runner(rt).run_once(later + timedelta(hours=4))
    again = by_uid(occurrences(rt, source_id), "atelier@musee")
    assert [o.removed_at for o in again] == [None] * 4
    assert {o.id for o in again} == {o.id for o in by_uid(after, "atelier@musee")}


def test_an_unchanged_agenda_changes_nothing(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/agenda.ics", calendar(WEEKLY, TALK), ICS, conditional=False)
    source_id = s.add_source(rt, t, url, kind="agenda")
    first = occurrences(rt, source_id)
    s.runner(rt).run_once(NOW + timedelta(hours=4))
    assert [(o.id, o.changed_at) for o in occurrences(rt, source_id)] == [
        (o.id, o.changed_at) for o in first
    ]


def test_a_damaged_agenda_keeps_what_was_known(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/agenda.ics", calendar(WEEKLY, TALK), ICS)
    source_id = s.add_source(rt, t, url, kind="agenda")
    feed_server.serve("/agenda.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage", ICS)
    s.runner(rt).run_once(NOW + timedelta(hours=4))
    rows = occurrences(rt, source_id)
    assert len(rows) == 5 and all(o.removed_at is None for o in rows)
    assert s.source(rt, source_id).last_error


def test_an_event_that_can_no_longer_be_read_is_not_removed(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    url = feed_server.serve("/agenda.ics", calendar(WEEKLY, TALK, CONCERT), ICS)
    source_id = s.add_source(rt, t, url, kind="agenda")
    start = _stamp(TOMORROW + timedelta(days=10))
    damaged_talk = TALK.replace(f"DTSTART:{start}", "DTSTART:le 12 au soir")
    nameless = CONCERT.replace("UID:concert@musee\r\n", "").replace("DTSTART:", "DTSTART:x")
    feed_server.serve("/agenda.ics", calendar(WEEKLY, damaged_talk), ICS)
    s.runner(rt).run_once(NOW + timedelta(hours=4))
    rows = occurrences(rt, source_id)
    # The talk is damaged, not gone; the concert, no longer in the agenda, is removed.
    assert [o.removed_at is None for o in by_uid(rows, "conf@musee")] == [True]
    assert [o.removed_at is not None for o in by_uid(rows, "concert@musee")] == [True]
    source = s.source(rt, source_id)
    assert source.last_error is None and source.notice_params == {
        "count": "1",
        "names": "« Conférence sur Turner »",
    }
    with TestClient(create_app(rt)) as client:
        f.sign_in(client, t.manager.email)
        client.cookies.set(LANG_COOKIE, "en")
        page = client.get(f"/sources/{source_id}").text
    assert "Events that could not be read (1): « Conférence sur Turner »" in page
    # An unreadable event whose UID is unreadable too: nothing is removed at this check.
    feed_server.serve("/agenda.ics", calendar(WEEKLY, nameless), ICS)
    s.runner(rt).run_once(NOW + timedelta(hours=8))
    rows = occurrences(rt, source_id)
    assert all(o.removed_at is None for o in by_uid(rows, "conf@musee"))
    # Mended: the note goes away.
    feed_server.serve("/agenda.ics", calendar(WEEKLY, TALK), ICS)
    s.runner(rt).run_once(NOW + timedelta(hours=12))
    assert s.source(rt, source_id).notice is None


def test_the_demo_ships_a_feed_and_an_agenda(rt: Runtime) -> None:
    t = s.team(rt)
    when = datetime(2026, 11, 21, 9, tzinfo=UTC)
    with rt.db.transaction() as session:
        ws = session.get(Workspace, t.ws.id)
        actor = session.get(User, t.manager.id)
        assert ws is not None and actor is not None
        feed, agenda, _heritage = add_demo_sources(session, ws, actor, when)
        feed_id, agenda_id = feed.id, agenda.id
    rows = s.items(rt, feed_id)
    assert len(rows) == 8 and len(s.fresh(rows)) == 1
    assert s.fresh(rows)[0].title == "La salle des primitifs flamands rouvre ses portes"
    with rt.db.transaction(write=False) as session:
        summary = session.scalar(
            select(SourceItem.summary_html).where(SourceItem.guid == "valcourt-actu-2026-117")
        )
    assert summary and '<a href="https://musee-valcourt.example/reservation"' in summary
    occ = occurrences(rt, agenda_id)
    titles = {o.title for o in occ}
    assert "Concert baroque dans le cloître" in titles
    assert any(o.status == "cancelled" for o in occ)
    christmas = [o for o in occ if "spéciale Noël" in o.title]
    assert len(christmas) == 1 and christmas[0].starts_at == datetime(2026, 12, 20, 14, tzinfo=UTC)
    turner = [o for o in occ if o.uid == "visite-turner@musee-valcourt.example"]
    assert datetime(2026, 12, 27, 10, tzinfo=UTC) not in {o.starts_at for o in turner}  # EXDATE
