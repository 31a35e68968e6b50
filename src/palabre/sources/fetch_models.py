"""Fetching a source: one row per fetched source, the state machine the worker drives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from palabre.core.db import Base, UTCDateTime
from palabre.sources.fetch_states import FetchStates
from palabre.stator import StatorMixin


class SourceFetch(StatorMixin, Base):
    __tablename__ = "source_fetches"
    state_graph = FetchStates

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), unique=True
    )
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The interval the source's own rhythm suggests (seconds), between checks that worked.
    interval_seconds: Mapped[int] = mapped_column(Integer, default=3600)
    # The server asked not to be asked again before this (Retry-After on a 429 or 503):
    # "Check now" waits too.
    wait_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
