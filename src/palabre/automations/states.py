"""The worker's visit of an automation: one state, ``watching``, that comes back by itself.

Each visit looks at what the automation's sources (or channels, for welcome and thanks)
brought since, turns it into suggestions or scheduled posts, and sets the next visit.
"""

from __future__ import annotations

from typing import Any

from palabre.stator import HandlerContext, State, StateGraph


class RunStates(StateGraph):
    watching = State(try_interval=300, max_backoff=3600)
    stopped = State(final=True)  # the automation was deleted

    watching.transitions_to(stopped)

    @classmethod
    def handle_watching(cls, row: Any, ctx: HandlerContext) -> str | None:
        from palabre.automations import worker

        return worker.handle_watching(row, ctx)
