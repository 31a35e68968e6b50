"""Saved replies: texts managers prepare, with placeholders like ``[name]`` to fill, and
what was sent from them each day (so the same text never goes unchanged to two people)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from palabre.core.db import Base, UTCDateTime, utcnow


class SavedReply(Base):
    __tablename__ = "saved_replies"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uses: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SavedReplyUse(Base):
    """A text sent from a saved reply on a workspace day, to one person (hashed)."""

    __tablename__ = "saved_reply_uses"
    __table_args__ = (Index("ix_saved_reply_uses_day", "saved_reply_id", "day", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_reply_id: Mapped[int] = mapped_column(ForeignKey("saved_replies.id", ondelete="CASCADE"))
    day: Mapped[str] = mapped_column(String(10))  # the workspace's local date, YYYY-MM-DD
    text_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the normalised text
    contact: Mapped[str] = mapped_column(String(255))  # who it went to (channel:handle)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbox_messages.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
