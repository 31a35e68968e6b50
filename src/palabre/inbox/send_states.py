"""A reply of ours going out. The handlers live in ``sending.py``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from palabre.stator import HandlerContext, State, StateGraph


class SendStates(StateGraph):
    queued = State(try_interval=15, max_backoff=900)
    sending = State(try_interval=20, max_backoff=1800, side_effects=True)
    sent = State(final=True)
    failed = State(final=True)

    queued.transitions_to(sending, failed)
    sending.transitions_to(sent, failed, queued)  # back: the token died
    failed.transitions_to(queued)  # a retry by hand

    on_give_up = "failed"

    @classmethod
    def handle_queued(cls, row: Any, ctx: HandlerContext) -> str | None:
        from palabre.inbox import sending

        return sending.handle_queued(row, ctx)

    @classmethod
    def handle_sending(cls, row: Any, ctx: HandlerContext) -> str | None:
        from palabre.inbox import sending

        return sending.handle_sending(row, ctx)

    @classmethod
    def after_transitions(
        cls, conn: Connection, changes: list[tuple[Any, str, str]], ctx: HandlerContext
    ) -> None:
        from palabre.inbox import sending

        sending.after_transitions(conn, changes, ctx)
