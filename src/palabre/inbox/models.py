"""What people said to the organisation's accounts: notifications as the networks sent them.

Stored once per channel and remote id (reading one twice changes nothing). Mentions,
replies, quotes and direct messages become conversations; follows, likes and reposts feed
suggestions and analytics.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from palabre.core.db import Base, UTCDateTime, utcnow


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("channel_id", "remote_id"),
        Index("ix_notifications_ws_time", "workspace_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    remote_id: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it happened
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[str] = mapped_column(String(255))
    author_handle: Mapped[str] = mapped_column(String(255))
    author_name: Mapped[str | None] = mapped_column(String(255))
    author_url: Mapped[str | None] = mapped_column(String(1000))
    author_avatar: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16))
    post_id: Mapped[str | None] = mapped_column(String(500))  # the message itself
    post_url: Mapped[str | None] = mapped_column(String(1000))
    post_cid: Mapped[str | None] = mapped_column(String(255))
    subject_id: Mapped[str | None] = mapped_column(String(500))  # our post it is about
    root_id: Mapped[str | None] = mapped_column(String(500))  # the thread's first post
    root_cid: Mapped[str | None] = mapped_column(String(255))
    parent_id: Mapped[str | None] = mapped_column(String(500))  # the post it answers
    html: Mapped[str | None] = mapped_column(Text)  # the network's HTML, sanitised
