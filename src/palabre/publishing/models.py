"""Posts, their per-channel variants and images, and their deliveries."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from palabre.core.db import Base, UTCDateTime, utcnow
from palabre.publishing.states import DeliveryStates
from palabre.stator import StatorMixin
from palabre.team.models import User


class PostState(enum.StrEnum):
    draft = "draft"
    awaiting_approval = "awaiting_approval"
    scheduled = "scheduled"
    published = "published"
    failed = "failed"  # at least one delivery failed; retryable by hand
    cancelled = "cancelled"


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_ws_state_time", "workspace_id", "state", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(32), default=PostState.draft)
    text: Mapped[str] = mapped_column(Text, default="")
    # None means "as soon as approved".
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Follow-up parts: the post is a thread, each part replying to the one before.
    thread: Mapped[list[str] | None] = mapped_column(JSON)
    content_warning: Mapped[str | None] = mapped_column(String(500))
    # Written by an automation (news, reminder, welcome…): counted in the automated share.
    automation_id: Mapped[int | None] = mapped_column(
        ForeignKey("automations.id", ondelete="SET NULL"), index=True
    )
    # "automation" for such posts, kept when the automation is deleted; None: by a person.
    origin: Mapped[str | None] = mapped_column(String(16))
    # Optimistic locking: an edit made from a stale copy is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    variants: Mapped[list[PostVariant]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostVariant.id"
    )
    images: Mapped[list[PostImage]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostImage.position"
    )
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="Delivery.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def text_for(self, channel_id: int) -> str:
        for variant in self.variants:
            if variant.channel_id == channel_id and variant.text:
                return variant.text
        return self.text


class PostVariant(Base):
    """A target channel of a post, with an optional text of its own."""

    __tablename__ = "post_variants"
    __table_args__ = (UniqueConstraint("post_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text)

    post: Mapped[Post] = relationship(back_populates="variants")


class PostImage(Base):
    __tablename__ = "post_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(Text)

    post: Mapped[Post] = relationship(back_populates="images")


class Delivery(StatorMixin, Base):
    """One post going to one channel: scheduled → publishing → published | failed."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("post_id", "channel_id"),
        Index("ix_deliveries_due", "state", "next_attempt_at"),
        # The inbox finds which of our posts a reply answers.
        Index("ix_deliveries_remote", "channel_id", "remote_id"),
    )
    state_graph = DeliveryStates

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), index=True
    )
    # Bumped by a manual retry, so the network sees a fresh idempotency key.
    round: Mapped[int] = mapped_column(Integer, default=1)
    remote_id: Mapped[str | None] = mapped_column(String(255))
    remote_url: Mapped[str | None] = mapped_column(String(1000))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_text: Mapped[str | None] = mapped_column(Text)
    remote_cid: Mapped[str | None] = mapped_column(String(255))
    # Every post a thread made: [{"id", "url", "cid"}], the first one included.
    remote_parts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Likes, reposts, replies, quotes, as last read from the network, and when.
    metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    metrics_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship(back_populates="deliveries")

    @property
    def idempotency_key(self) -> str:
        return f"palabre-delivery-{self.id}-{self.round}"
