"""Fetching a source: one state, ``polling``, that sets its own next visit.

Each visit fetches the source (conditional GET through the guarded fetcher), stores what
is new and sets the next check from how often the source publishes (15 minutes to 24
hours). An error backs off (15 minutes, doubling, up to a day); a server's Retry-After is
obeyed. A paused source's row waits; resuming makes it due at once.
"""

from __future__ import annotations

from typing import Any

from palabre.stator import HandlerContext, State, StateGraph


class FetchStates(StateGraph):
    polling = State(try_interval=900, max_backoff=86400)
    stopped = State(final=True)  # the source was removed

    polling.transitions_to(stopped)

    @classmethod
    def prepare(cls, state: str, rows: list[Any], ctx: HandlerContext) -> None:
        """Fetch the whole batch at once, a few hosts in parallel (the network waits)."""
        from palabre.sources import worker

        if state == "polling":
            worker.fetch_batch(rows, ctx)

    @classmethod
    def handle_polling(cls, row: Any, ctx: HandlerContext) -> str | None:
        from palabre.sources import worker

        return worker.handle_polling(row, ctx)
