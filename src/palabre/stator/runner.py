"""Claims due rows with a lease and runs their handlers.

A cycle, for each state-machine model:

1. **Claim** up to ``batch`` due rows in one statement (``UPDATE … WHERE id IN (SELECT …
   FOR UPDATE SKIP LOCKED) RETURNING *`` on PostgreSQL; on SQLite the writer's
   ``BEGIN IMMEDIATE`` lock does the same job). Claiming sets a lease (``locked_until``,
   ``lease_token``) and increments ``attempts``, so a handler that finds ``attempts > 1``
   in a side-effect state knows a previous attempt may have reached the outside world and
   must check before acting again.
2. **Prepare**: the graph may load what the handlers of a state need for the whole batch
   at once (``StateGraph.prepare``), instead of one query per row.
3. **Handle** each row outside any transaction. Rows in ordinary states are written back
   together in one transaction; rows entering a side-effect state keep their lease and are
   handled in the same cycle (so a crash leaves them in that state with ``attempts``
   counted); rows in a side-effect state are written back right after their handler, one
   by one — so a crash loses at most the row in flight, and that row checks first — unless
   the graph says an outcome may wait (``StateGraph.may_defer(row, ctx)``: for deliveries,
   the network honours idempotency keys). Such outcomes are committed together, every
   ``WRITE_BACK_ROWS`` rows or ``WRITE_BACK_SECONDS``: a crash before that commit leaves
   them in their side-effect state, claimed again with ``attempts > 1``, and checked.
4. **Write back** only rows whose lease is still ours; a stale outcome is dropped. The
   graph's ``after_transitions(conn, changes, ctx)`` runs once per write-back transaction
   with every row that changed state in it.

A side-effect handler is never started on a lease that may be about to expire: past half
the lease, the rest of the batch is released for another cycle.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, inspect, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from palabre.core.db import Database, utcnow
from palabre.stator.graph import State, StateGraph
from palabre.stator.models import StatorMixin

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# Stop starting side-effect handlers once this fraction of the lease has gone by.
LEASE_BUDGET = 0.5
# Side-effect outcomes the graph lets wait are committed by this many, or this often.
WRITE_BACK_ROWS = 50
WRITE_BACK_SECONDS = 0.1


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
    # What ``StateGraph.prepare`` loaded for this batch (handlers fall back to queries).
    cache: dict[Any, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    row: Any
    values: dict[str, Any]
    new_state: str | None


def backoff(state: State, attempts: int, retry_after: float | None = None) -> float:
    exponent = min(max(attempts - 1, 0), 30)
    delay = min(state.try_interval * (2**exponent), state.max_backoff)
    return max(delay, retry_after or 0)


class StatorRunner:
    def __init__(
        self,
        db: Database,
        models: list[type[Any]],
        *,
        lease_seconds: float = 300,
        batch: int = 500,
        services: dict[str, Any] | None = None,
    ) -> None:
        self.db = db
        self.models = models
        self.lease_seconds = lease_seconds
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
        started = time.monotonic()
        rows = self.claim(model, now, token)
        if not rows:
            return 0
        ctx = HandlerContext(self.db, now, self.services)
        plain = [r for r in rows if not graph.get(r.state).side_effects]
        risky = [r for r in rows if graph.get(r.state).side_effects]
        if plain:
            self._prepare(graph, plain, ctx)
            outcomes = [self.handle(graph, row, ctx) for row in plain]
            risky += self.write_back_batch(model, graph, outcomes, token, ctx)
        self._run_side_effects(model, graph, risky, ctx, token, started)
        return len(rows)

    def _run_side_effects(
        self,
        model: type[Any],
        graph: type[StateGraph],
        rows: list[Any],
        ctx: HandlerContext,
        token: str,
        started: float,
    ) -> None:
        if not rows:
            return
        self._prepare(graph, rows, ctx)
        may_defer = getattr(graph, "may_defer", None)
        pending: list[Outcome] = []
        since = time.monotonic()
        with self.db.write_engine.connect() as conn:  # one checkout for the whole batch
            for i, row in enumerate(rows):
                if time.monotonic() - started > self.lease_seconds * LEASE_BUDGET:
                    if pending:
                        self.write_back_side_effects(model, graph, pending, token, ctx, conn)
                    self.release(model, [r.id for r in rows[i:]], token)
                    return
                outcome = self.handle(graph, row, ctx)
                pending.append(outcome)
                if (
                    may_defer is None
                    or not may_defer(row, ctx)
                    or len(pending) >= WRITE_BACK_ROWS
                    or time.monotonic() - since >= WRITE_BACK_SECONDS
                ):
                    self.write_back_side_effects(model, graph, pending, token, ctx, conn)
                    pending, since = [], time.monotonic()
            if pending:
                self.write_back_side_effects(model, graph, pending, token, ctx, conn)

    @staticmethod
    def _prepare(graph: type[StateGraph], rows: list[Any], ctx: HandlerContext) -> None:
        prepare = getattr(graph, "prepare", None)
        if prepare is None:
            return
        by_state: dict[str, list[Any]] = {}
        for row in rows:
            by_state.setdefault(row.state, []).append(row)
        for state, group in by_state.items():
            prepare(state, group, ctx)

    # -- claiming ----------------------------------------------------------------------
    def claim(self, model: type[Any], now: datetime, token: str) -> list[Any]:
        """Lease up to ``batch`` due rows; returns them detached, ``attempts`` counted.

        The claim is a cycle's first statement: if it meets a connection the server has
        closed (a restart), SQLAlchemy discards the pool's connections and the claim is
        made again on a fresh one, so the cycle goes on."""
        try:
            return self._claim(model, now, token)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            log.warning("database connection lost (%s); claiming on a new one", exc.orig)
            return self._claim(model, now, token)

    def _claim(self, model: type[Any], now: datetime, token: str) -> list[Any]:
        graph: type[StateGraph] = model.state_graph
        due = and_(
            model.state.in_(graph.active_names()),
            model.next_attempt_at <= now,
            or_(model.locked_until.is_(None), model.locked_until < now),
        )
        pick = select(model.id).where(due).order_by(model.next_attempt_at).limit(self.batch)
        if not self.db.is_sqlite:
            pick = pick.with_for_update(skip_locked=True)
        stmt = (
            update(model)
            .where(model.id.in_(pick.scalar_subquery()))
            .values(locked_until=now + self.lease, lease_token=token, attempts=model.attempts + 1)
            .returning(model)
            .execution_options(synchronize_session=False)
        )
        with self.db.transaction() as session:
            rows = list(session.scalars(stmt))
            session.expunge_all()
        rows.sort(key=lambda r: (r.next_attempt_at, r.id))
        return rows

    def release(self, model: type[Any], ids: list[int], token: str) -> None:
        """Give back claimed rows whose handler was not run (the attempt is not counted)."""
        with self.db.transaction() as session:
            session.execute(
                update(model)
                .where(model.id.in_(ids), model.lease_token == token)
                .values(locked_until=None, lease_token=None, attempts=model.attempts - 1)
                .execution_options(synchronize_session=False)
            )

    # -- handling ----------------------------------------------------------------------
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

    # -- writing back ------------------------------------------------------------------
    def _final_values(
        self, graph: type[StateGraph], outcome: Outcome, now: datetime, *, chain: bool
    ) -> dict[str, Any]:
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
            if chain and target.side_effects:
                # Keep the lease: the row is handled again in this cycle, and counts as a
                # first attempt should the worker die before writing its outcome.
                del values["locked_until"], values["lease_token"]
                values["attempts"] = 1
        return values

    def write_back_batch(
        self,
        model: type[Any],
        graph: type[StateGraph],
        outcomes: list[Outcome],
        token: str,
        ctx: HandlerContext,
    ) -> list[Any]:
        """Write the outcomes still under our lease in one transaction. Returns the rows
        that entered a side-effect state and are still leased to us."""
        table, now = model.__table__, ctx.now
        chained: list[Any] = []
        with self.db.write_engine.begin() as conn:
            ids = [o.row.id for o in outcomes]
            mine = select(table.c.id).where(table.c.id.in_(ids), table.c.lease_token == token)
            if not self.db.is_sqlite:
                mine = mine.with_for_update()
            ours = set(conn.execute(mine).scalars())
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            written: list[tuple[Outcome, dict[str, Any]]] = []
            for outcome in outcomes:
                if outcome.row.id not in ours:
                    log.warning(
                        "%s %s: lease lost, outcome dropped", model.__name__, outcome.row.id
                    )
                    continue
                values = self._final_values(graph, outcome, now, chain=True)
                groups.setdefault(tuple(sorted(values)), []).append(
                    dict(values, _id=outcome.row.id)
                )
                written.append((outcome, values))
            for params in groups.values():
                conn.execute(update(table).where(table.c.id == bindparam("_id")), params)
            changes: list[tuple[Any, str, str]] = []
            for outcome, values in written:
                old = outcome.row.state
                _apply(outcome.row, values)
                if "state" not in values:
                    continue
                if "lease_token" not in values:  # entered a side-effect state, still ours
                    chained.append(outcome.row)
                changes.append((outcome.row, old, values["state"]))
            self._after_transitions(graph, conn, changes, ctx)
        return chained

    def write_back_side_effects(
        self,
        model: type[Any],
        graph: type[StateGraph],
        outcomes: list[Outcome],
        token: str,
        ctx: HandlerContext,
        conn: Connection | None = None,
    ) -> int:
        """Commit side-effect outcomes (one, or a batch the graph let wait) in one
        transaction; returns how many were still under our lease (the rest are dropped)."""
        if not outcomes:
            return 0
        if conn is None:
            with self.db.write_engine.connect() as own:
                return self.write_back_side_effects(model, graph, outcomes, token, ctx, own)
        table = model.__table__
        with conn.begin():
            if len(outcomes) == 1:
                (outcome,) = outcomes
                values = self._final_values(graph, outcome, ctx.now, chain=False)
                res = conn.execute(
                    update(table).where(
                        table.c.id == bindparam("_id"), table.c.lease_token == bindparam("_token")
                    ),
                    dict(values, _id=outcome.row.id, _token=token),
                )
                ours = {outcome.row.id} if res.rowcount == 1 else set()
                written = [(outcome, values)] if ours else []
            else:
                ids = sorted(o.row.id for o in outcomes)
                mine = select(table.c.id).where(table.c.id.in_(ids), table.c.lease_token == token)
                if not self.db.is_sqlite:
                    mine = mine.order_by(table.c.id).with_for_update()
                ours = set(conn.execute(mine).scalars())
                written = [
                    (o, self._final_values(graph, o, ctx.now, chain=False))
                    for o in outcomes
                    if o.row.id in ours
                ]
                groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
                for outcome, values in written:
                    groups.setdefault(tuple(sorted(values)), []).append(
                        dict(values, _id=outcome.row.id)
                    )
                for params in groups.values():
                    conn.execute(update(table).where(table.c.id == bindparam("_id")), params)
            for outcome in outcomes:
                if outcome.row.id not in ours:
                    log.warning(
                        "%s %s: lease lost, outcome dropped", model.__name__, outcome.row.id
                    )
            changes: list[tuple[Any, str, str]] = []
            for outcome, values in written:
                old = outcome.row.state
                _apply(outcome.row, values)
                if "state" in values:
                    changes.append((outcome.row, old, values["state"]))
            self._after_transitions(graph, conn, changes, ctx)
        return len(written)

    @staticmethod
    def _after_transitions(
        graph: type[StateGraph],
        conn: Connection,
        changes: list[tuple[Any, str, str]],
        ctx: HandlerContext,
    ) -> None:
        """The graph's ``after_transitions(conn, [(row, old, new), …], ctx)``, if any, in
        the write-back transaction."""
        hook = getattr(graph, "after_transitions", None)
        if hook is not None and changes:
            hook(conn, changes, ctx)

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


def _apply(row: Any, values: dict[str, Any]) -> None:
    """Mirror written values on the detached row (hooks and a chained handler read them),
    clearing their change history."""
    for key, value in values.items():
        set_committed_value(row, key, value)


def changed_columns(row: Any) -> dict[str, Any]:
    """Column attributes the handler changed on the detached row."""
    state = inspect(row)
    columns = state.mapper.columns
    values = {
        key: state.dict[key]
        for key in state.committed_state
        if key in columns and key in state.dict
    }
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
