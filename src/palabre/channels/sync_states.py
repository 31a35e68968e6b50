"""The reading of a channel: one state, ``polling``, that comes back by itself.

Each visit reads the notifications since the stored cursor (and, less often, the metrics
of recent posts), then sets when to come back: soon when the network said there is more,
at the usual interval otherwise. A channel paused or needing reconnection is not read; its
row waits. Errors back off like any state (``TransientError`` with ``retry_after``).
"""

from __future__ import annotations

from typing import Any

from palabre.stator import HandlerContext, State, StateGraph


class SyncStates(StateGraph):
    polling = State(try_interval=60, max_backoff=1800)
    stopped = State(final=True)  # the channel was removed

    polling.transitions_to(stopped)

    @classmethod
    def handle_polling(cls, row: Any, ctx: HandlerContext) -> str | None:
        from palabre.channels import sync

        return sync.handle_polling(row, ctx)
