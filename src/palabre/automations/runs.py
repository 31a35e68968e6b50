"""One run of an automation, by the worker or on demand: what is too old expires, the
automated share is checked (auto mode), then the kind's own module makes suggestions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.automations import agenda, curation, news, people, share
from palabre.automations.models import Automation, Mode, Suggestion, SuggestionState
from palabre.automations.suggestions import close

KEEP_PENDING = timedelta(days=14)  # a suggestion nobody looked at for two weeks expires

RUNNERS: dict[str, Callable[[Session, Automation, datetime], int]] = {
    "news": news.run,
    "curation": curation.run,
    "agenda": agenda.run,
    "welcome": people.run,
    "thanks": people.run,
}


def run_automation(session: Session, automation: Automation, now: datetime) -> int:
    """Suggestions made (or posts scheduled in auto mode) by this run."""
    expire_old(session, automation, now)
    if automation.kind == "agenda":
        agenda.follow_changes(session, automation, now)
    if not automation.active or not automation.channels:
        return 0  # paused, or its channels were all removed
    if automation.mode == Mode.auto:
        found = share.over_ceiling(session, automation, now)
        if found is not None:
            share.pause_for_share(session, automation, found, now)
            return 0
    made = RUNNERS[automation.kind](session, automation, now)
    automation.last_run_at = now
    return made


def expire_old(session: Session, automation: Automation, now: datetime) -> int:
    rows = session.scalars(
        select(Suggestion).where(
            Suggestion.automation_id == automation.id,
            Suggestion.state == SuggestionState.pending,
        )
    ).all()
    expired = 0
    for row in rows:
        late = row.planned_at is not None and row.kind == "reminder" and row.planned_at < now
        if late or row.created_at < now - KEEP_PENDING:
            close(session, row, SuggestionState.expired, now)
            expired += 1
    return expired
