"""Running one row's handler and turning what happened into an ``Outcome`` to write back."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import inspect

from palabre.core.db import Database
from palabre.core.i18n import N_
from palabre.stator.graph import State, StateGraph

log = logging.getLogger("palabre.stator.runner")  # the worker's log, one name for all it says

UNEXPECTED = N_("An unexpected error occurred; it has been logged. Palabre will try again.")
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


def handle(graph: type[StateGraph], row: Any, ctx: HandlerContext) -> Outcome:
    """Run the handler of the row's state; an error becomes a retry, never an exception."""
    state = graph.get(row.state)
    assert state.handler is not None
    try:
        result = state.handler(row, ctx)
    except TransientError as exc:
        log.info("%s %s: transient error: %s", type(row).__name__, row.id, exc)
        return _retry(row, state, ctx.now, str(exc), exc.retry_after)
    except Exception:
        # A bug, not the network: the trace goes to the log, people get a plain sentence.
        log.exception("%s %s: handler for %s failed", type(row).__name__, row.id, state)
        return _retry(row, state, ctx.now, UNEXPECTED, None)
    values = changed_columns(row)
    if result is None:
        if "next_attempt_at" in values:
            # The handler chose when to come back (a poll on its own schedule): not a
            # failed attempt, so a later error backs off from the start.
            values["attempts"] = 0
        else:
            values["next_attempt_at"] = ctx.now + timedelta(seconds=backoff(state, row.attempts))
        return Outcome(row, values, None)
    new = result.name if isinstance(result, State) else str(result)
    graph.check_transition(row.state, new)
    return Outcome(row, values, new)


def _retry(row: Any, state: State, now: datetime, error: str, retry_after: float | None) -> Outcome:
    values: dict[str, Any] = {"last_error": error[:2000]}
    fail = getattr(row.state_graph, "on_give_up", None)
    if row.attempts >= MAX_ATTEMPTS and fail is not None:
        return Outcome(row, values, fail)
    delay = backoff(state, row.attempts, retry_after)
    values["next_attempt_at"] = now + timedelta(seconds=delay)
    return Outcome(row, values, None)


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
