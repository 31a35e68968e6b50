"""Reading a channel: one row per channel the worker polls for notifications and metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from palabre.channels.sync_states import SyncStates
from palabre.core.db import Base, UTCDateTime
from palabre.stator import StatorMixin


class ChannelSync(StatorMixin, Base):
    __tablename__ = "channel_syncs"
    state_graph = SyncStates

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), unique=True
    )
    # Where the last notification read ends (the network's own cursor).
    cursor: Mapped[str | None] = mapped_column(String(500))
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    metrics_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When to read again what the server says about itself (its limits).
    server_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
