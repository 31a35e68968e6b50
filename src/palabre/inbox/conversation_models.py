"""Conversations: what people wrote to the organisation, grouped by thread, with our
replies, internal notes, triage corrections and the counters the badges read.

A conversation is one thread on one channel, keyed by its root post (a reply to a reply
joins the root's conversation; a message with no known root starts one keyed by its own
post). Lists are read by keyset on ``(priority, last_inbound_at, id)``: the most urgent
and important first, then the one waiting longest.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from palabre.core.db import Base, UTCDateTime, utcnow
from palabre.inbox.send_states import SendStates
from palabre.stator import StatorMixin
from palabre.team.models import User


class Status(enum.StrEnum):
    new = "new"  # nobody has acted on it yet
    open = "open"  # someone is on it
    waiting = "waiting"  # we answered; waiting on the other person
    closed = "closed"


# Statuses that need someone: the default list and the nav badge.
TO_HANDLE = (Status.new, Status.open)


class MessageState(enum.StrEnum):
    received = "received"  # theirs
    proposed = "proposed"  # a volunteer's reply awaiting a manager
    rejected = "rejected"  # a proposal a manager turned down
    sending = "sending"  # ours, on its way (see MessageSend)
    sent = "sent"
    failed = "failed"


def priority_of(urgency: str | None, important: bool | None) -> int:
    """The list's first sort key: urgent and important 4, urgent 3, important 2,
    normal or not triaged yet 1, low 0."""
    if urgency == "urgent":
        return 4 if important else 3
    if important:
        return 2
    return 0 if urgency == "low" else 1


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel_id", "root_id"),
        Index("ix_conversations_recent", "workspace_id", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    root_id: Mapped[str] = mapped_column(String(500))
    root_url: Mapped[str | None] = mapped_column(String(1000))
    root_cid: Mapped[str | None] = mapped_column(String(255))
    # Our post the thread answers, when it is one of ours.
    subject_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    direct: Mapped[bool] = mapped_column(Boolean, default=False)  # a private message
    # Who wrote last (shown in lists without reading the messages).
    contact_handle: Mapped[str] = mapped_column(String(255), default="")
    contact_name: Mapped[str | None] = mapped_column(String(255))
    snippet: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default=Status.new)
    # New or open: the default list's key (one index range instead of two statuses).
    to_handle: Mapped[bool] = mapped_column(Boolean, default=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    first_message_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_inbound_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the managers were told the first response is late (once per conversation).
    sla_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The triage of the latest message received (NULL: not triaged yet).
    category: Mapped[str | None] = mapped_column(String(16))
    urgency: Mapped[str | None] = mapped_column(String(8))
    important: Mapped[bool | None] = mapped_column(Boolean)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    # Messages received since someone on the team last opened it.
    unread: Mapped[int] = mapped_column(Integer, default=0)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped by every change: a reply or a status change made from a stale copy is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignee: Mapped[User | None] = relationship(lazy="joined")

    @validates("status")
    def _keep_to_handle(self, _key: str, status: str) -> str:
        self.to_handle = status in TO_HANDLE
        return status


# The lists read one priority at a time, by (last_inbound_at, id) within it: each of
# these serves a filter (to handle, by status, mine, a channel) as an index range.
_LIST_ORDER = (Conversation.priority.desc(), Conversation.last_inbound_at, Conversation.id)
Index("ix_conversations_todo", Conversation.workspace_id, Conversation.to_handle, *_LIST_ORDER)
Index("ix_conversations_status", Conversation.workspace_id, Conversation.status, *_LIST_ORDER)
Index(
    "ix_conversations_assignee",
    Conversation.workspace_id,
    Conversation.assignee_id,
    Conversation.to_handle,
    *_LIST_ORDER,
)
Index("ix_conversations_channel", Conversation.channel_id, Conversation.to_handle, *_LIST_ORDER)


class Message(Base):
    __tablename__ = "inbox_messages"
    __table_args__ = (
        Index("ix_inbox_messages_remote", "channel_id", "remote_id"),
        Index("ix_inbox_messages_conversation", "conversation_id", "id"),
        # Replies awaiting approval, however many have been sent before (proposals.py).
        Index(
            "ix_inbox_messages_proposed",
            "workspace_id",
            "conversation_id",
            sqlite_where=text("state = 'proposed'"),
            postgresql_where=text("state = 'proposed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    # The notification it came from (theirs): unique, so a notification makes one message.
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), unique=True
    )
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    state: Mapped[str] = mapped_column(String(16), default=MessageState.received)
    kind: Mapped[str] = mapped_column(String(32), default="reply")
    author_handle: Mapped[str] = mapped_column(String(255), default="")
    author_name: Mapped[str | None] = mapped_column(String(255))
    author_url: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)  # sanitised (nh3) when the network sent HTML
    language: Mapped[str | None] = mapped_column(String(16))
    remote_id: Mapped[str | None] = mapped_column(String(500))
    remote_url: Mapped[str | None] = mapped_column(String(1000))
    remote_cid: Mapped[str | None] = mapped_column(String(255))
    parent_id: Mapped[str | None] = mapped_column(String(500))  # the post it answers
    # Ours: the message of theirs it answers, who wrote it, who reviewed a proposal.
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbox_messages.id", ondelete="SET NULL")
    )
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Triage (theirs; NULL = not triaged yet), with the reasons [{"code", "words"}].
    category: Mapped[str | None] = mapped_column(String(16))
    urgency: Mapped[str | None] = mapped_column(String(8))
    important: Mapped[bool | None] = mapped_column(Boolean)
    reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    triage_corrected: Mapped[bool] = mapped_column(Boolean, default=False)

    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id], lazy="joined")


class MessageSend(StatorMixin, Base):
    """One reply of ours going out: sending (talks to the network) → sent | failed.
    Its idempotency key makes a resend after a crash find, not repeat, the reply."""

    __tablename__ = "inbox_sends"
    __table_args__ = (Index("ix_inbox_sends_due", "state", "next_attempt_at"),)
    state_graph = SendStates

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_messages.id", ondelete="CASCADE"), unique=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    # What the network answered; copied onto the message when the row reaches ``sent``.
    remote_id: Mapped[str | None] = mapped_column(String(500))
    remote_url: Mapped[str | None] = mapped_column(String(1000))
    remote_cid: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def idempotency_key(self) -> str:
        return f"palabre-reply-{self.message_id}"


class Note(Base):
    """An internal note on a conversation: never sent out; @mentions notify teammates."""

    __tablename__ = "inbox_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class TriageCorrection(Base):
    """Someone on the team corrected a message's triage: kept and shown."""

    __tablename__ = "triage_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_messages.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    old: Mapped[dict[str, Any]] = mapped_column(JSON)
    new: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship(lazy="joined")


class InboxCount(Base):
    """How many conversations a workspace has in each status, per assignee (0: nobody):
    kept up to date in the transaction that changes a conversation, so badges never
    count over the conversations table."""

    __tablename__ = "inbox_counts"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    assignee_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class Presence(Base):
    """Who has a conversation open (refreshed while the page stays open), so two people
    see each other there."""

    __tablename__ = "inbox_presence"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
