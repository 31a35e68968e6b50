"""Checking a source at once ("refresh now", from a page or the API), with the worker's own
steps (``worker``), and the server's Retry-After wait shown to the team."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from palabre.core.db import Database
from palabre.core.fetch import Limits, fetcher_for
from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy
from palabre.core.timeutil import utc_to_local
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.fetch_states import FetchStates
from palabre.sources.worker import Checked, apply, checked_fine, fetch, target_of
from palabre.stator.handling import backoff

WAIT_ASKED = N_(
    "The server asked Palabre to wait until %(until)s before asking again: Palabre will check then."
)


def refresh_now(
    db: Database, net: NetPolicy, source_id: int, now: datetime, limits: Limits | None = None
) -> Checked:
    """Check a source at once, in the request (the worker's own steps), and set its next
    check as the worker would: its rhythm after a success, the backoff (and the server's
    Retry-After) after a failure. While the server's Retry-After runs, nothing is fetched:
    the answer says until when (``WAIT_ASKED``)."""
    target = target_of(db, source_id)
    if target is None or not target.url:
        return Checked()
    with db.transaction(write=False) as session:
        waiting = server_wait(session, source_id, now, target.tz)
    if waiting is not None:
        return Checked(error=WAIT_ASKED, params=waiting)
    checked = apply(db, target, fetch(fetcher_for(net, limits), target), now)
    with db.transaction() as session:
        row = session.scalar(select(SourceFetch).where(SourceFetch.source_id == source_id))
        if row is not None and row.state == "polling":
            _after_refresh(row, checked, now)
    return checked


def _after_refresh(row: SourceFetch, checked: Checked, now: datetime) -> None:
    row.last_checked_at = now
    if checked.error is None:
        checked_fine(row, checked.interval, now)
        row.attempts = 0
        return
    row.attempts = (row.attempts or 0) + 1
    delay = backoff(FetchStates.polling, row.attempts, checked.retry_after)
    row.next_attempt_at = now + timedelta(seconds=delay)
    plain = checked.error % checked.params if checked.params else checked.error
    row.last_error = plain[:2000]


def server_wait(session: Any, source_id: int, now: datetime, tz: str) -> dict[str, str] | None:
    """``{"until": "HH:MM"}`` (the workspace's time) while the server's Retry-After runs."""
    until = session.scalar(select(SourceFetch.wait_until).where(SourceFetch.source_id == source_id))
    if until is None or until <= now:
        return None
    local = utc_to_local(until, tz)
    same_day = local.date() == utc_to_local(now, tz).date()
    return {"until": local.strftime("%H:%M" if same_day else "%d/%m %H:%M")}
