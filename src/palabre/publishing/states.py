"""The delivery state machine. The handlers live in ``delivery.py``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from palabre.stator import HandlerContext, State, StateGraph


class DeliveryStates(StateGraph):
    scheduled = State(try_interval=30, max_backoff=900)
    publishing = State(try_interval=20, max_backoff=1800, side_effects=True)
    published = State(final=True)
    failed = State(final=True)
    cancelled = State(final=True)

    scheduled.transitions_to(publishing, cancelled, failed)
    publishing.transitions_to(published, failed, scheduled)  # back: the token died
    failed.transitions_to(scheduled)  # a retry by hand
    cancelled.transitions_to(scheduled)  # a cancelled post scheduled again

    on_give_up = "failed"

    @classmethod
    def handle_scheduled(cls, delivery: Any, ctx: HandlerContext) -> str | None:
        from palabre.publishing import delivery as handlers

        return handlers.handle_scheduled(delivery, ctx)

    @classmethod
    def handle_publishing(cls, delivery: Any, ctx: HandlerContext) -> str | None:
        from palabre.publishing import delivery as handlers

        return handlers.handle_publishing(delivery, ctx)

    @classmethod
    def prepare(cls, state: str, deliveries: list[Any], ctx: HandlerContext) -> None:
        from palabre.publishing import delivery as handlers

        handlers.prepare(state, deliveries, ctx)

    @classmethod
    def may_defer(cls, delivery: Any, ctx: HandlerContext) -> bool:
        from palabre.publishing import delivery as handlers

        return handlers.may_defer(delivery, ctx)

    @classmethod
    def after_transitions(
        cls, conn: Connection, changes: list[tuple[Any, str, str]], ctx: HandlerContext
    ) -> None:
        from palabre.publishing import delivery as handlers

        handlers.after_transitions(conn, changes, ctx)
