"""An OAuth connection under way: from "Connect" to the server's redirect back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from palabre.core.db import Base, UTCDateTime, utcnow


class OAuthPending(Base):
    __tablename__ = "oauth_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The ``state`` sent to the server, hashed: only the person's browser knows it.
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    server: Mapped[str] = mapped_column(String(500))
    # Reconnecting an existing channel rather than adding one.
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    data_encrypted: Mapped[str] = mapped_column(Text)  # the app's client id and secret
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
