"""Reading a channel: notifications since the stored cursor, metrics of recent posts."""

from __future__ import annotations

from typing import Any

from palabre.stator import HandlerContext


def handle_polling(row: Any, ctx: HandlerContext) -> str | None:
    raise NotImplementedError("reading channels is being built")
