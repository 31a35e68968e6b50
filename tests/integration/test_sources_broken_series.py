"""A recurring event whose rule breaks is damaged, not removed: its reminders stay pending,
nothing is cancelled or corrected, the source's health names it — on both agenda paths —
and once the agenda is mended everything carries on as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from palabre.channels.models import Channel
from palabre.core.runtime import Runtime
from palabre.publishing.models import Post
from palabre.sources.models import Source
from palabre.team.models import User, Workspace
from tests import factories as f
from tests import sources_support as s
from tests.fakes.feed_server import FeedServer
from tests.integration.automation_support import all_suggestions, run_automations
from tests.integration.test_sources_agenda import ICS, calendar, occurrences
from tests.integration.test_sources_agenda import vevent as make_event

# A fixed clock, in the future: which reminders are due or expired at each step must not
# depend on the hour the suite runs at, and the automation (created with the real clock)
# is due at once.
NOW = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)
TOMORROW = NOW + timedelta(days=1, hours=1)  # 09:00 UTC
TALK = make_event("conf@musee", "Conférence sur Turner", TOMORROW + timedelta(days=10))
RULE = "RRULE:FREQ=WEEKLY;COUNT=6\r\n"
# A rule icalendar cannot read (found when the file is read), rules dateutil refuses when
# the series is expanded, a rule that ends before its event starts.
BROKEN_RULES = [
    "RRULE:FREQ=WEEKLY;BYDAY=XX\r\n",
    "RRULE:FREQ=WEEKLY;COUNT=abc\r\n",
    "RRULE:FREQ=WEEKLY;BYHOUR=99\r\n",
    "RRULE:FREQ=WEEKLY;INTERVAL=0\r\n",
    "RRULE:BYDAY=WE\r\n",
    "RRULE:FREQ=WEEKLY;UNTIL=20200101T000000Z\r\n",
]


def weekly(rule: str) -> str:
    return make_event("atelier@musee", "Atelier du mercredi", TOMORROW, extra=rule)


def reminders(rt: Runtime, team: s.Team, source_id: int) -> None:
    with rt.db.transaction() as session:
        ws = session.get(Workspace, team.ws.id)
        boss = session.get(User, team.manager.id)
        assert ws is not None and boss is not None
        channel = f.preview_channel(rt, session, ws, boss)
        source = session.get(Source, source_id)
        f.automation(session, ws, boss, "agenda", [source], [session.get(Channel, channel.id)])


def states(rt: Runtime) -> dict[int, str]:
    return {row.id: row.state for row in all_suggestions(rt)}


@pytest.mark.parametrize("rule", BROKEN_RULES)
def test_a_series_whose_rule_breaks_keeps_its_reminders(
    rt: Runtime, feed_server: FeedServer, rule: str
) -> None:
    t = s.team(rt)
    url = feed_server.serve("/agenda.ics", calendar(weekly(RULE), TALK), ICS)
    source_id = s.add_source(rt, t, url, kind="agenda")
    reminders(rt, t, source_id)
    run_automations(rt, NOW + timedelta(minutes=5))  # made a moment after NOW
    pending = states(rt)
    assert pending and set(pending.values()) == {"pending"}
    known = [(o.uid, o.occurrence_key, o.content_hash) for o in occurrences(rt, source_id)]
    assert len([k for k in known if k[0] == "atelier@musee"]) == 6

    feed_server.serve("/agenda.ics", calendar(weekly(rule), TALK), ICS)
    s.runner(rt).run_once(NOW + timedelta(hours=4))
    run_automations(rt, NOW + timedelta(hours=4))
    rows = occurrences(rt, source_id)
    assert all(o.removed_at is None for o in rows)
    assert [(o.uid, o.occurrence_key, o.content_hash) for o in rows] == known
    assert states(rt) == pending  # nothing cancelled, nothing new
    with rt.db.transaction(write=False) as session:
        assert session.scalar(select(Post.id)) is None  # no correction drafted
    source = s.source(rt, source_id)
    assert source.last_error is None
    assert source.notice_params == {"count": "1", "names": "« Atelier du mercredi »"}

    feed_server.serve("/agenda.ics", calendar(weekly(RULE), TALK), ICS)
    s.runner(rt).run_once(NOW + timedelta(hours=8))
    run_automations(rt, NOW + timedelta(hours=8))
    assert s.source(rt, source_id).notice is None
    assert [(o.uid, o.occurrence_key, o.content_hash) for o in occurrences(rt, source_id)] == known
    assert states(rt) == pending


def test_a_series_really_shortened_still_loses_its_occurrences(
    rt: Runtime, feed_server: FeedServer
) -> None:
    """The other side: a readable rule that now ends sooner does remove what it dropped."""
    t = s.team(rt)
    url = feed_server.serve("/agenda.ics", calendar(weekly(RULE), TALK), ICS)
    source_id = s.add_source(rt, t, url, kind="agenda")
    feed_server.serve("/agenda.ics", calendar(weekly("RRULE:FREQ=WEEKLY;COUNT=2\r\n"), TALK), ICS)
    s.runner(rt).run_once(NOW + timedelta(hours=4))
    gone = [o for o in occurrences(rt, source_id) if o.removed_at is not None]
    assert len(gone) == 4 and {o.uid for o in gone} == {"atelier@musee"}
    assert s.source(rt, source_id).notice is None
