"""A workspace's response-time policy (SLA) and its other inbox settings (round-robin on
arrival), which is also the worker's row that raises breaches to managers and threads
notifications left aside (see ``inbox/sla_sweep.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, false
from sqlalchemy.orm import Mapped, mapped_column

from palabre.core.db import Base, UTCDateTime, utcnow
from palabre.stator import HandlerContext, State, StateGraph, StatorMixin

# A museum's week: Tuesday to Sunday, 9:00 to 18:00 (weekday 0 is Monday).
DEFAULT_HOURS: dict[str, list[int]] = {str(d): [9 * 60, 18 * 60] for d in range(1, 7)}
DEFAULT_MINUTES = {"urgent": 60, "normal": 8 * 60, "low": 3 * 9 * 60}


class SlaStates(StateGraph):
    watching = State(try_interval=60, max_backoff=900)

    @classmethod
    def handle_watching(cls, row: Any, ctx: HandlerContext) -> str | None:
        from palabre.inbox import sla_sweep

        return sla_sweep.handle_watching(row, ctx)


class SlaPolicy(StatorMixin, Base):
    __tablename__ = "inbox_sla_policies"
    state_graph = SlaStates

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True
    )
    # First response expected within this many business minutes, per urgency.
    urgent_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_MINUTES["urgent"])
    normal_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_MINUTES["normal"])
    low_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_MINUTES["low"])
    # {"1": [540, 1080], ...}: weekday (0 = Monday) -> opens, closes in minutes since midnight.
    hours: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=lambda: dict(DEFAULT_HOURS))
    closed_days: Mapped[list[str]] = mapped_column(JSON, default=list)  # "2026-12-25", ...
    # Each new conversation given on arrival to the next person on duty (round-robin).
    round_robin_on_arrival: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    last_swept_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breaches: Mapped[int] = mapped_column(Integer, default=0)  # raised, ever
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def minutes_for(self, urgency: str | None) -> int:
        if urgency == "urgent":
            return self.urgent_minutes
        return self.low_minutes if urgency == "low" else self.normal_minutes
