"""Claims due rows with a lease and runs their handlers.

A cycle, for each state-machine model: claim up to ``batch`` due rows in one short
transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's single writer lock does the
same job), load them, run each handler outside any transaction, and write the outcome back
only if the lease is still ours. Claiming increments ``attempts``, so a handler that finds
``attempts > 1`` in a side-effect state knows a previous attempt may have reached the
outside world and must check before acting again.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, inspect, or_, select, update
from sqlalchemy.orm import Session

from palabre.core.db import Database, utcnow
from palabre.stator.graph import State, StateGraph
from palabre.stator.models import StatorMixin

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


class TransientError(Exception):
    """Try again later (network down, 5xx, rate limit). ``retry_after`` in seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class HandlerContext:
    db: Database
    now: datetime
    services: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    row: Any
    values: dict[str, Any]
    new_state: str | None


def backoff(state: State, attempts: int, retry_after: float | None = None) -> float:
    delay = min(state.try_interval * (2 ** max(attempts - 1, 0)), state.max_backoff)
    return max(delay, retry_after or 0)


class StatorRunner:
    def __init__(
        self,
        db: Database,
        models: list[type[Any]],
        *,
        lease_seconds: float = 300,
        batch: int = 200,
        services: dict[str, Any] | None = None,
    ) -> None:
        self.db = db
        self.models = models
        self.lease = timedelta(seconds=lease_seconds)
        self.batch = batch
        self.services = services or {}

    # -- one deterministic cycle -------------------------------------------------------
    def run_once(self, now: datetime | None = None) -> int:
        done = 0
        for model in self.models:
            done += self.run_model(model, now or utcnow())
        return done

    def run_until_idle(self, now: datetime | None = None, max_cycles: int = 100) -> int:
        total = 0
        for _ in range(max_cycles):
            n = self.run_once(now)
            total += n
            if n == 0:
                break
        return total

    def run_model(self, model: type[Any], now: datetime) -> int:
        graph: type[StateGraph] = model.state_graph
        token = secrets.token_hex(8)
        ids = self.claim(model, graph, now, token)
        if not ids:
            return 0
        with self.db.transaction(write=False) as session:
            rows = session.scalars(select(model).where(model.id.in_(ids))).all()
            session.expunge_all()
        ctx = HandlerContext(self.db, now, self.services)
        pending: list[Outcome] = []
        for row in sorted(rows, key=lambda r: ids.index(r.id)):
            outcome = self.handle(graph, row, ctx)
            if graph.get(row.state).side_effects:
                self.write_back(model, graph, [outcome], token, now)
            else:
                pending.append(outcome)
        if pending:
            self.write_back(model, graph, pending, token, now)
        return len(rows)

    def claim(
        self, model: type[Any], graph: type[StateGraph], now: datetime, token: str
    ) -> list[int]:
        due = and_(
            model.state.in_(graph.active_names()),
            model.next_attempt_at <= now,
            or_(model.locked_until.is_(None), model.locked_until < now),
        )
        pick = select(model.id).where(due).order_by(model.next_attempt_at).limit(self.batch)
        if not self.db.is_sqlite:
            pick = pick.with_for_update(skip_locked=True)
        with self.db.transaction() as session:
            ids = list(session.scalars(pick))
            if ids:
                session.execute(
                    update(model)
                    .where(model.id.in_(ids))
                    .values(
                        locked_until=now + self.lease,
                        lease_token=token,
                        attempts=model.attempts + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
        return ids

    def handle(self, graph: type[StateGraph], row: Any, ctx: HandlerContext) -> Outcome:
        state = graph.get(row.state)
        assert state.handler is not None
        try:
            result = state.handler(row, ctx)
        except TransientError as exc:
            log.info("%s %s: transient error: %s", type(row).__name__, row.id, exc)
            return self._retry(row, state, ctx.now, str(exc), exc.retry_after)
        except Exception as exc:
            log.exception("%s %s: handler for %s failed", type(row).__name__, row.id, state)
            return self._retry(row, state, ctx.now, f"{type(exc).__name__}: {exc}", None)
        values = changed_columns(row)
        if result is None:
            values["next_attempt_at"] = ctx.now + timedelta(seconds=backoff(state, row.attempts))
            return Outcome(row, values, None)
        new = result.name if isinstance(result, State) else str(result)
        graph.check_transition(row.state, new)
        return Outcome(row, values, new)

    def _retry(
        self, row: Any, state: State, now: datetime, error: str, retry_after: float | None
    ) -> Outcome:
        values: dict[str, Any] = {"last_error": error[:2000]}
        fail = getattr(row.state_graph, "on_give_up", None)
        if row.attempts >= MAX_ATTEMPTS and fail is not None:
            return Outcome(row, values, fail)
        delay = backoff(state, row.attempts, retry_after)
        values["next_attempt_at"] = now + timedelta(seconds=delay)
        return Outcome(row, values, None)

    def write_back(
        self,
        model: type[Any],
        graph: type[StateGraph],
        outcomes: list[Outcome],
        token: str,
        now: datetime,
    ) -> None:
        with self.db.transaction() as session:
            for outcome in outcomes:
                values = dict(outcome.values, locked_until=None, lease_token=None)
                old = outcome.row.state
                if outcome.new_state is not None and outcome.new_state != old:
                    target = graph.get(outcome.new_state)
                    values.update(
                        state=target.name,
                        state_changed_at=now,
                        attempts=0,
                        next_attempt_at=None if target.final else now,
                    )
                res = session.execute(
                    update(model)
                    .where(model.id == outcome.row.id, model.lease_token == token)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
                if res.rowcount != 1:  # type: ignore[attr-defined]
                    log.warning(
                        "%s %s: lease lost, outcome dropped", model.__name__, outcome.row.id
                    )
                    continue
                if "state" in values:
                    hook = getattr(graph, "after_transition", None)
                    if hook is not None:
                        hook(session, outcome.row.id, old, values["state"], now)

    # -- the long-running loop ---------------------------------------------------------
    def run_forever(self, stop: threading.Event, idle_sleep: float = 1.0) -> None:
        log.info("worker started")
        while not stop.is_set():
            try:
                n = self.run_once()
            except Exception:
                log.exception("worker cycle failed; retrying shortly")
                n = 0
            if n == 0:
                stop.wait(idle_sleep)
        log.info("worker stopped")


def changed_columns(row: Any) -> dict[str, Any]:
    """Column attributes the handler changed on the detached row."""
    state = inspect(row)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.has_changes() and hist.added:
            values[attr.key] = hist.added[0]
    for key in ("state", "attempts", "locked_until", "lease_token"):
        values.pop(key, None)
    return values


def transition_now(session: Session, row: StatorMixin, new_state: str) -> None:
    """Move a row to a new state from a service (not a handler), making it due at once."""
    graph: type[StateGraph] = type(row).state_graph
    graph.check_transition(row.state, new_state)
    now = utcnow()
    row.state = new_state
    row.state_changed_at = now
    row.attempts = 0
    row.next_attempt_at = None if graph.get(new_state).final else now
    row.locked_until = None
    row.lease_token = None
    session.flush()
