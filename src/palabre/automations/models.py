"""Automations, what they suggest (or post), and the guardrails of each channel.

Every output of an automation is a :class:`Suggestion` row, in suggest mode (a person
decides) as in auto mode (approved at once by the automation). Its ``key`` makes repeats
impossible: one row per (automation, source item), per (automation, occurrence, reminder
offset), per (automation, person)…
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from palabre.automations.states import RunStates
from palabre.channels.models import Channel
from palabre.core.db import Base, UTCDateTime, utcnow
from palabre.sources.models import Source
from palabre.stator import StatorMixin


class Kind(enum.StrEnum):
    news = "news"
    agenda = "agenda"
    curation = "curation"
    welcome = "welcome"
    thanks = "thanks"


class Mode(enum.StrEnum):
    suggest = "suggest"
    auto = "auto"


class SuggestionState(enum.StrEnum):
    pending = "pending"
    approved = "approved"  # became a post (post_id)
    skipped = "skipped"  # a person said no
    expired = "expired"  # too late now (the news is old, the reminder's time is past)
    cancelled = "cancelled"  # the event was cancelled or removed


automation_sources = Table(
    "automation_sources",
    Base.metadata,
    Column("automation_id", ForeignKey("automations.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
)

automation_channels = Table(
    "automation_channels",
    Base.metadata,
    Column("automation_id", ForeignKey("automations.id", ondelete="CASCADE"), primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
)


class Automation(Base):
    __tablename__ = "automations"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16), default=Mode.suggest)
    # Validated by the kind's pydantic model (automations/settings.py).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Why it is paused: "manual", or "share" (the automated share passed the ceiling).
    paused_reason: Mapped[str | None] = mapped_column(String(32))
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A manager resumed it above the ceiling: not paused again for the share until then.
    share_ack_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sources: Mapped[list[Source]] = relationship(
        secondary=automation_sources, lazy="selectin", order_by="Source.id"
    )
    channels: Mapped[list[Channel]] = relationship(
        secondary=automation_channels, lazy="selectin", order_by="Channel.id"
    )

    @property
    def source_ids(self) -> list[int]:
        return [s.id for s in self.sources]

    @property
    def channel_ids(self) -> list[int]:
        return [c.id for c in self.channels]

    @property
    def active(self) -> bool:
        return self.enabled and self.paused_reason is None


class AutomationRun(StatorMixin, Base):
    """The worker's row for an automation: visited every few minutes."""

    __tablename__ = "automation_runs"
    state_graph = RunStates

    id: Mapped[int] = mapped_column(primary_key=True)
    automation_id: Mapped[int] = mapped_column(
        ForeignKey("automations.id", ondelete="CASCADE"), unique=True
    )
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    made: Mapped[int] = mapped_column(Integer, default=0)  # suggestions made, ever


class Suggestion(Base):
    __tablename__ = "suggestions"
    __table_args__ = (
        UniqueConstraint("automation_id", "key"),
        Index("ix_suggestions_ws_state", "workspace_id", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    automation_id: Mapped[int] = mapped_column(
        ForeignKey("automations.id", ondelete="CASCADE"), index=True
    )
    # "post" (news, curation), "reminder", "correction", "welcome", "thanks".
    kind: Mapped[str] = mapped_column(String(16))
    # What makes it unique within its automation: "item:<id>", "occ:<id>:<offset>",
    # "fix:<occ>:<offset>", "person:<channel>:<account id>".
    key: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16), default=SuggestionState.pending, index=True)
    # The text per target channel (each fits its network's limit): {"<channel id>": text}.
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # When it should go out (the next free slot, the reminder's time); None: asap.
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_items.id", ondelete="SET NULL"), index=True
    )
    occurrence_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_occurrences.id", ondelete="SET NULL"), index=True
    )
    reminder_offset: Mapped[str | None] = mapped_column(String(32))
    # The occurrence's content_hash the text was written from.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    person_handle: Mapped[str | None] = mapped_column(String(255))
    person_name: Mapped[str | None] = mapped_column(String(255))
    quote: Mapped[str | None] = mapped_column(Text)  # what the person said, short
    score: Mapped[float | None] = mapped_column(Float)  # curation's relevance
    note: Mapped[str | None] = mapped_column(String(500))  # why it waits (msgid)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    automation: Mapped[Automation] = relationship(lazy="joined")

    def text_for(self, channel_id: int) -> str:
        return self.texts.get(str(channel_id), "")

    @property
    def first_text(self) -> str:
        return next(iter(self.texts.values()), "")


class SentText(Base):
    """A hash of every welcome or thank-you text sent: the same text never goes to two
    people."""

    __tablename__ = "automation_sent_texts"
    __table_args__ = (UniqueConstraint("automation_id", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    automation_id: Mapped[int] = mapped_column(ForeignKey("automations.id", ondelete="CASCADE"))
    text_hash: Mapped[str] = mapped_column(String(64))
    suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChannelGuardrails(Base):
    """How much, how close together and when automations may post on a channel."""

    __tablename__ = "channel_guardrails"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    daily_cap: Mapped[int] = mapped_column(Integer, default=3)
    min_spacing_minutes: Mapped[int] = mapped_column(Integer, default=120)
    quiet_start: Mapped[str] = mapped_column(String(5), default="21:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00")
    share_warning: Mapped[int] = mapped_column(Integer, default=50)  # percent
    share_ceiling: Mapped[int] = mapped_column(Integer, default=70)  # percent
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
