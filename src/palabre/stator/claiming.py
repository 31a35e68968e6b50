"""Leasing due rows to one worker, and giving back the ones it did not get to."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import DBAPIError

from palabre.core.db import Database
from palabre.stator.graph import StateGraph

log = logging.getLogger("palabre.stator.runner")  # the worker's log, one name for all it says


def claim(
    db: Database, model: type[Any], now: datetime, token: str, *, lease: timedelta, batch: int
) -> list[Any]:
    """Lease up to ``batch`` due rows; returns them detached, ``attempts`` counted.

    The claim is a cycle's first statement: if it meets a connection the server has
    closed (a restart), SQLAlchemy discards the pool's connections and the claim is
    made again on a fresh one, so the cycle goes on."""
    try:
        return _claim(db, model, now, token, lease=lease, batch=batch)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("database connection lost (%s); claiming on a new one", exc.orig)
        return _claim(db, model, now, token, lease=lease, batch=batch)


def _claim(
    db: Database, model: type[Any], now: datetime, token: str, *, lease: timedelta, batch: int
) -> list[Any]:
    graph: type[StateGraph] = model.state_graph
    due = and_(
        model.state.in_(graph.active_names()),
        model.next_attempt_at <= now,
        or_(model.locked_until.is_(None), model.locked_until < now),
    )
    pick = select(model.id).where(due).order_by(model.next_attempt_at).limit(batch)
    if not db.is_sqlite:
        pick = pick.with_for_update(skip_locked=True)
    stmt = (
        update(model)
        .where(model.id.in_(pick.scalar_subquery()))
        .values(locked_until=now + lease, lease_token=token, attempts=model.attempts + 1)
        .returning(model)
        .execution_options(synchronize_session=False)
    )
    with db.transaction() as session:
        rows = list(session.scalars(stmt))
        session.expunge_all()
    rows.sort(key=lambda r: (r.next_attempt_at, r.id))
    return rows


def release(db: Database, model: type[Any], ids: list[int], token: str) -> None:
    """Give back claimed rows whose handler was not run (the attempt is not counted)."""
    with db.transaction() as session:
        session.execute(
            update(model)
            .where(model.id.in_(ids), model.lease_token == token)
            .values(locked_until=None, lease_token=None, attempts=model.attempts - 1)
            .execution_options(synchronize_session=False)
        )
