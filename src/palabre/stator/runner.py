"""Claims due rows with a lease and runs their handlers: the cycle, whose steps live in
``claiming`` (1), ``handling`` (3) and ``writeback`` (4).

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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from palabre.core.db import Database, utcnow
from palabre.stator import claiming, handling, writeback
from palabre.stator.graph import StateGraph
from palabre.stator.handling import HandlerContext, Outcome
from palabre.stator.models import StatorMixin

log = logging.getLogger(__name__)

# Stop starting side-effect handlers once this fraction of the lease has gone by.
LEASE_BUDGET = 0.5
# Side-effect outcomes the graph lets wait are committed by this many, or this often.
WRITE_BACK_ROWS = 50
WRITE_BACK_SECONDS = 0.1


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

    # -- the steps, one module each (tests call them on a runner) ----------------------
    def claim(self, model: type[Any], now: datetime, token: str) -> list[Any]:
        return claiming.claim(self.db, model, now, token, lease=self.lease, batch=self.batch)

    def release(self, model: type[Any], ids: list[int], token: str) -> None:
        claiming.release(self.db, model, ids, token)

    def handle(self, graph: type[StateGraph], row: Any, ctx: HandlerContext) -> Outcome:
        return handling.handle(graph, row, ctx)

    def write_back_batch(
        self,
        model: type[Any],
        graph: type[StateGraph],
        outcomes: list[Outcome],
        token: str,
        ctx: HandlerContext,
    ) -> list[Any]:
        return writeback.write_back_batch(self.db, model, graph, outcomes, token, ctx)

    def write_back_side_effects(
        self,
        model: type[Any],
        graph: type[StateGraph],
        outcomes: list[Outcome],
        token: str,
        ctx: HandlerContext,
        conn: Connection | None = None,
    ) -> int:
        return writeback.write_back_side_effects(self.db, model, graph, outcomes, token, ctx, conn)

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
