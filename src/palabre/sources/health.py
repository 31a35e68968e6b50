"""A source's health as the team sees it: a light (working, late, failing, paused, from a
file, waiting for its first check) and the plain words that go with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from palabre.core.i18n import N_
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.models import Source

# A check this much overdue means the worker is not keeping up (or not running).
LATE_AFTER = timedelta(minutes=30)

LABELS = {
    "working": N_("working"),
    "late": N_("late"),
    "failing": N_("failing"),
    "paused": N_("paused"),
    "file": N_("from a file"),
    "waiting": N_("waiting for its first check"),
}
EXPLAINED = {
    "working": N_("The last check worked."),
    "late": N_("The next check is overdue: is the worker running?"),
    "failing": N_("The last check failed; Palabre will try again."),
    "paused": N_("Paused: Palabre does not check this source until it is resumed."),
    "file": N_("Read once from an uploaded file; it is not checked again."),
    "waiting": N_("Palabre has not checked this source yet."),
}


@dataclass(frozen=True)
class Health:
    state: str
    last_success_at: datetime | None
    last_error: str | None  # a msgid; translate with ``last_error_params``
    last_error_params: dict[str, str]
    last_error_at: datetime | None
    items_seen: int
    next_check_at: datetime | None
    last_checked_at: datetime | None
    notice: str | None = None  # a msgid (a check that worked, with something to say)
    notice_params: dict[str, str] | None = None


def health_of(source: Source, row: SourceFetch | None, now: datetime) -> Health:
    next_check = row.next_attempt_at if row is not None and not source.paused else None
    return Health(
        state=state_of(source, row, now),
        last_success_at=source.last_success_at,
        last_error=source.last_error,
        last_error_params=dict(source.last_error_params or {}),
        last_error_at=source.last_error_at,
        items_seen=source.items_seen or 0,
        next_check_at=next_check,
        last_checked_at=row.last_checked_at if row is not None else None,
        notice=source.notice,
        notice_params=dict(source.notice_params or {}),
    )


def state_of(source: Source, row: SourceFetch | None, now: datetime) -> str:
    if source.paused:
        return "paused"
    if not source.url:
        return "file"
    failing = source.last_error_at is not None and (
        source.last_success_at is None or source.last_error_at >= source.last_success_at
    )
    if failing:
        return "failing"
    due = row.next_attempt_at if row is not None else None
    if due is not None and due < now - LATE_AFTER:
        return "late"
    if source.last_success_at is None:
        return "waiting"
    return "working"
