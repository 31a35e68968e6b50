"""Agenda reminders: one per occurrence and offset, following changes and cancellations."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from palabre.automations.models import Suggestion
from palabre.core.runtime import Runtime
from palabre.models import STATOR_MODELS
from palabre.publishing.models import Post
from palabre.sources.models import AgendaOccurrence
from palabre.stator import StatorRunner
from tests import factories as f
from tests.integration.automation_support import all_suggestions, run_automations

NOW = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)  # Wednesday 10:00 in Paris
EVENT = datetime(2027, 5, 15, 12, 0, tzinfo=UTC)  # Saturday 14:00 in Paris


def run(rt: Runtime, now: datetime = NOW) -> None:
    run_automations(rt, now)


_rows = all_suggestions


@pytest.fixture
def agenda(rt: Runtime) -> dict:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        ch = f.preview_channel(rt, s, ws, boss)
        src = f.source(s, ws, "agenda", "Agenda du musée")
        occ = f.occurrence(s, src, EVENT, "Visite guidée des réserves")
        return {"ws": ws.id, "boss": boss.id, "channel": ch.id, "src": src.id, "occ": occ.id}


def _automation(rt: Runtime, agenda: dict, mode: str = "suggest") -> int:
    from palabre.channels.models import Channel
    from palabre.sources.models import Source
    from palabre.team.models import User, Workspace

    with rt.db.transaction() as s:
        row = f.automation(
            s,
            s.get(Workspace, agenda["ws"]),
            s.get(User, agenda["boss"]),
            "agenda",
            [s.get(Source, agenda["src"])],
            [s.get(Channel, agenda["channel"])],
            mode=mode,
        )
        return row.id


def _change(rt: Runtime, agenda: dict, **values: object) -> None:
    with rt.db.transaction() as s:
        occ = s.get(AgendaOccurrence, agenda["occ"])
        assert occ is not None
        for key, value in values.items():
            setattr(occ, key, value)
        occ.content_hash = hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()
        occ.changed_at = NOW


def test_one_reminder_per_offset_never_too_late_never_repeated(rt: Runtime, agenda: dict) -> None:
    _automation(rt, agenda)
    run(rt)
    rows = _rows(rt)
    # -7d@10:00 would have been last Saturday: too late. The day before at 18:00 and the
    # morning of at 09:00 remain, in Paris time.
    assert [(r.reminder_offset, r.planned_at) for r in rows] == [
        ("-1d@18:00", datetime(2027, 5, 14, 16, 0, tzinfo=UTC)),
        ("0d@09:00", datetime(2027, 5, 15, 7, 0, tzinfo=UTC)),
    ]
    text = rows[0].first_text
    assert "Visite guidée des réserves" in text and "samedi 15 mai à 14:00" in text
    assert "Grande galerie" in text
    run(rt, NOW + timedelta(hours=1))
    assert len(_rows(rt)) == 2


def test_a_changed_event_updates_pending_reminders(rt: Runtime, agenda: dict) -> None:
    _automation(rt, agenda)
    run(rt)
    _change(rt, agenda, title="Visite des réserves (complet)", starts_at=EVENT + timedelta(days=1))
    run(rt, NOW + timedelta(minutes=10))
    rows = _rows(rt)
    assert all("complet" in r.first_text and "dimanche 16 mai" in r.first_text for r in rows)
    assert rows[0].planned_at == datetime(2027, 5, 15, 16, 0, tzinfo=UTC)


def test_a_cancelled_event_cancels_pending_reminders(rt: Runtime, agenda: dict) -> None:
    _automation(rt, agenda)
    run(rt)
    _change(rt, agenda, status="cancelled")
    run(rt, NOW + timedelta(minutes=10))
    assert {r.state for r in _rows(rt)} == {"cancelled"}


def test_auto_mode_follows_changes_then_drafts_a_correction(rt: Runtime, agenda: dict) -> None:
    _automation(rt, agenda, mode="auto")
    run(rt)
    with rt.db.transaction() as s:
        posts = list(s.scalars(select(Post).order_by(Post.scheduled_at)))
        assert [p.scheduled_at for p in posts] == [
            datetime(2027, 5, 14, 16, 0, tzinfo=UTC),
            datetime(2027, 5, 15, 7, 0, tzinfo=UTC),
        ]
    # The event moves an hour later: the scheduled posts say so.
    _change(rt, agenda, starts_at=EVENT + timedelta(hours=1))
    run(rt, NOW + timedelta(minutes=10))
    with rt.db.transaction() as s:
        assert all("15:00" in p.text for p in s.scalars(select(Post)))
    # The day-before reminder goes out…
    worker = StatorRunner(rt.db, list(STATOR_MODELS), services=rt.worker_services())
    worker.run_until_idle(datetime(2027, 5, 14, 16, 1, tzinfo=UTC))
    # …then the event is cancelled: the other post is cancelled, a correction is drafted.
    _change(rt, agenda, status="cancelled")
    run(rt, datetime(2027, 5, 14, 17, 0, tzinfo=UTC))
    with rt.db.transaction() as s:
        states = [p.state for p in s.scalars(select(Post).order_by(Post.scheduled_at))]
        assert states == ["published", "cancelled"]
        fix = s.scalars(select(Suggestion).where(Suggestion.kind == "correction")).one()
        assert fix.state == "pending" and fix.post_id is None  # a person approves it
        assert "Visite guidée des réserves" in fix.first_text
    run(rt, datetime(2027, 5, 14, 18, 0, tzinfo=UTC))
    assert len([r for r in _rows(rt) if r.kind == "correction"]) == 1


def test_an_event_moved_earlier_cancels_the_reminder_that_would_come_after_it(
    rt: Runtime, agenda: dict
) -> None:
    _automation(rt, agenda, mode="auto")
    run(rt)
    # Now on Saturday at 08:00 in Paris: the morning-of reminder (09:00) would be late.
    _change(rt, agenda, starts_at=datetime(2027, 5, 15, 6, 0, tzinfo=UTC))
    run(rt, NOW + timedelta(minutes=10))
    with rt.db.transaction() as s:
        rows = {r.reminder_offset: r for r in s.scalars(select(Suggestion))}
        assert rows["0d@09:00"].state == "cancelled"
        assert rows["-1d@18:00"].state == "approved"
        states = {p.scheduled_at: p.state for p in s.scalars(select(Post))}
        assert states == {
            datetime(2027, 5, 14, 16, 0, tzinfo=UTC): "scheduled",
            datetime(2027, 5, 15, 7, 0, tzinfo=UTC): "cancelled",
        }


def test_one_correction_per_cancelled_event_whatever_the_reminders_sent(
    rt: Runtime, agenda: dict
) -> None:
    _automation(rt, agenda, mode="auto")
    run(rt)
    worker = StatorRunner(rt.db, list(STATOR_MODELS), services=rt.worker_services())
    worker.run_until_idle(datetime(2027, 5, 15, 7, 1, tzinfo=UTC))  # both reminders out
    with rt.db.transaction() as s:
        assert [p.state for p in s.scalars(select(Post))] == ["published", "published"]
    _change(rt, agenda, status="cancelled")
    run(rt, datetime(2027, 5, 15, 8, 0, tzinfo=UTC))
    run(rt, datetime(2027, 5, 15, 8, 10, tzinfo=UTC))
    fixes = [r for r in _rows(rt) if r.kind == "correction"]
    assert len(fixes) == 1  # followers read "Cancelled" once, not once per reminder
    assert fixes[0].first_text.startswith("Annulé")
