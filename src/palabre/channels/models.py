"""A connected account on a network (or the preview channel)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from palabre.core.db import Base, UTCDateTime, utcnow


class ChannelStatus(enum.StrEnum):
    active = "active"
    needs_reconnection = "needs_reconnection"  # deliveries wait, nothing is dropped
    paused = "paused"


class Channel(Base):
    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # Settings that are not secret, validated by the adapter's settings model.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Secret settings (tokens, passwords), encrypted with the instance key.
    secrets_encrypted: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), default=ChannelStatus.active)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(2000))
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The connected account, as the network names it (checked when connecting).
    account_id: Mapped[str | None] = mapped_column(String(255))
    account_handle: Mapped[str | None] = mapped_column(String(255))
    account_url: Mapped[str | None] = mapped_column(String(1000))
    # The last rate-limit state the network reported.
    rate_limit_limit: Mapped[int | None] = mapped_column(Integer)
    rate_limit_remaining: Mapped[int | None] = mapped_column(Integer)
    rate_limit_reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
