"""Columns every state-machine row carries."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from palabre.core.db import UTCDateTime, utcnow
from palabre.stator.graph import StateGraph


class StatorMixin:
    state_graph: ClassVar[type[StateGraph]]

    state: Mapped[str] = mapped_column(String(32), index=True)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the runner should next look at the row; NULL for final states.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # A claimed row is leased until this time; after it, another worker may take it.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_token: Mapped[str | None] = mapped_column(String(32))
    # Attempts made in the current state (incremented when a row is claimed).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(2000))
