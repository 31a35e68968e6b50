"""Notifications become messages in conversations: grouped by thread, triaged, once.

Runs in the transaction that stores the notifications (``ingest.store_notifications``),
each notification in a savepoint: one that cannot be threaded (a bug, a strange payload)
stays stored and is picked up again by :func:`ingest_pending`; nothing is lost and the
reading of the channel goes on.

Where a message goes: the thread's root when the network names it (Bluesky); otherwise
the conversation holding the post it answers (Mastodon's ``in_reply_to_id``: a reply to
a reply, or to our own reply, joins it); otherwise a conversation keyed by that parent
post (one of ours, usually); a message answering nothing starts a conversation keyed by
its own post (a mention, a first direct message).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, or_, select
from sqlalchemy.orm import Session

from palabre.inbox import arrival, counters, sla, waiting
from palabre.inbox.conversation_models import (
    Conversation,
    Message,
    MessageState,
    Status,
)
from palabre.inbox.models import Notification

log = logging.getLogger(__name__)

# Follows, likes and reposts feed suggestions and analytics, not the inbox.
CONVERSATIONAL = ("mention", "reply", "quote", "direct_message")
MAX_TEXT = 100_000  # characters kept of one message (the rest is not a conversation)


def ingest_ids(conn: Connection, notification_ids: Sequence[int]) -> int:
    """Thread these stored notifications (on the caller's connection and transaction).
    Returns how many messages were made."""
    if not notification_ids:
        return 0
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    try:
        rows = session.scalars(
            select(Notification)
            .where(Notification.id.in_(notification_ids), Notification.kind.in_(CONVERSATIONAL))
            .order_by(Notification.created_at, Notification.id)
        ).all()
        return _ingest_each(session, rows)
    finally:
        session.close()


def ingest_pending(conn: Connection, workspace_id: int, limit: int = 1000) -> int:
    """Thread the conversational notifications that have no message yet (stored before
    the inbox existed, or left aside by an error)."""
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    try:
        done = select(Message.notification_id).where(Message.notification_id.is_not(None))
        rows = session.scalars(
            select(Notification)
            .where(
                Notification.workspace_id == workspace_id,
                Notification.kind.in_(CONVERSATIONAL),
                Notification.id.not_in(done),
            )
            .order_by(Notification.created_at, Notification.id)
            .limit(limit)
        ).all()
        return _ingest_each(session, rows)
    finally:
        session.close()


def _ingest_each(session: Session, rows: Sequence[Notification]) -> int:
    """The whole batch in one savepoint; if one of them fails, each in its own, so the
    others go in and the failing one is left for ``ingest_pending``."""
    if not rows:
        return 0
    try:
        with session.begin_nested():
            _ingest(session, rows)
        made = len(rows)
    except Exception:
        made = 0
        for notification in rows:
            try:
                with session.begin_nested():
                    _ingest(session, [notification])
                made += 1
            except Exception:
                log.exception(
                    "notification %s could not be threaded; kept for later", notification.id
                )
    session.commit()  # releases the session's savepoint; the caller's transaction goes on
    return made


# (assignee, status) of each conversation touched, as it was before (None: a new one).
Touched = dict[int, tuple[int | None, str] | None]


def _ingest(session: Session, rows: Sequence[Notification]) -> None:
    touched: Touched = {}
    known = Known.read(session, rows)
    for notification in rows:
        ingest_one(session, notification, touched, known)
    known.dispatcher.record(session)
    session.flush()
    deltas: dict[tuple[int, int | None, str], int] = {}
    for conv_id, before in touched.items():
        conv = session.get(Conversation, conv_id)
        assert conv is not None
        after = (conv.assignee_id, conv.status)
        if before == after:
            continue
        if before is not None:
            key = (conv.workspace_id, *before)
            deltas[key] = deltas.get(key, 0) - 1
        key = (conv.workspace_id, *after)
        deltas[key] = deltas.get(key, 0) + 1
    conn = session.connection()
    for (workspace_id, assignee_id, status), n in deltas.items():
        if n:
            counters.add(conn, workspace_id, assignee_id, status, n)


def ingest_one(session: Session, n: Notification, touched: Touched, known: Known) -> Message:
    """Thread one notification; ``touched`` collects the conversations changed, for the
    counters (moved once per conversation by the caller)."""
    conv = known.conversation_of(n)
    message = Message(
        workspace_id=n.workspace_id,
        channel_id=n.channel_id,
        notification_id=n.id,
        direction="in",
        state=MessageState.received,
        kind=n.kind,
        author_handle=n.author_handle,
        author_name=n.author_name,
        author_url=n.author_url,
        text=(n.text or "")[:MAX_TEXT],
        html=n.html,
        language=n.language,
        remote_id=n.post_id,
        remote_url=n.post_url,
        remote_cid=n.post_cid,
        parent_id=n.parent_id,
        created_at=n.created_at,
    )
    _triage(message)
    if conv is None:
        conv = _new_conversation(n, known)
        clock = known.clock(session, n.workspace_id)
        _received(conv, message, clock)
        chosen = None
        if clock.policy.round_robin_on_arrival:
            chosen = known.dispatcher.choose(session, n.workspace_id)
            conv.assignee_id = chosen.id if chosen is not None else None
        session.add(conv)
        session.flush()  # one INSERT with its summary; its id, for the message
        touched[conv.id] = None
        known.add_conversation(conv)
        if chosen is not None:
            known.dispatcher.give(conv, chosen)
    else:
        touched.setdefault(conv.id, (conv.assignee_id, conv.status))
        _received(conv, message, known.clock(session, n.workspace_id))
    message.conversation_id = conv.id
    session.add(message)
    if message.remote_id:
        known.by_post[n.channel_id, message.remote_id] = conv.id
    return message


def _triage(message: Message) -> None:
    """Leaves the columns empty ("not triaged yet") if triage fails: never loses a message."""
    from palabre.inbox.triage import triage

    try:
        result = triage(message.text, message.language)
    except Exception:
        log.exception("triage failed for a message; stored untriaged")
        return
    message.category = result.category
    message.urgency = result.urgency
    message.important = result.important
    message.reasons = [{"code": r.code, "words": list(r.words)} for r in result.reasons]


def root_of(n: Notification) -> str:
    """The key of the conversation a message with no known thread starts."""
    key = n.root_id or n.parent_id or n.post_id or f"notification:{n.remote_id}"
    return key[:500]  # as stored (the column's length)


@dataclass
class Known:
    """What threading a batch needs, read in three queries rather than a few per
    notification: conversations by root, the conversation of each post answered (theirs
    or ours), our posts among those answered."""

    by_root: dict[tuple[int, str], Conversation] = field(default_factory=dict)
    by_id: dict[int, Conversation] = field(default_factory=dict)
    by_post: dict[tuple[int, str], int] = field(default_factory=dict)  # -> conversation id
    ours: dict[tuple[int, str], int] = field(default_factory=dict)  # -> our post's id
    clocks: dict[int, sla.Clock] = field(default_factory=dict)  # workspace -> SLA policy
    dispatcher: arrival.Dispatcher = field(default_factory=arrival.Dispatcher)

    @classmethod
    def read(cls, session: Session, rows: Sequence[Notification]) -> Known:
        from palabre.publishing.models import Delivery  # (publishing imports inbox models)

        known = cls()
        channels = {n.channel_id for n in rows}
        roots = {root_of(n) for n in rows}
        parents = {n.parent_id for n in rows if n.parent_id}
        if parents:
            for channel_id, remote_id, conv_id in session.execute(
                select(Message.channel_id, Message.remote_id, Message.conversation_id).where(
                    Message.channel_id.in_(channels), Message.remote_id.in_(parents)
                )
            ):
                if remote_id is not None:
                    known.by_post.setdefault((channel_id, remote_id), conv_id)
        wanted = set(known.by_post.values())
        for conv in session.scalars(
            select(Conversation).where(
                Conversation.channel_id.in_(channels),
                or_(Conversation.root_id.in_(roots), Conversation.id.in_(wanted)),
            )
        ):
            known.add_conversation(conv)
        refs = roots | parents | {n.subject_id for n in rows if n.subject_id}
        for channel_id, remote_id, post_id in session.execute(
            select(Delivery.channel_id, Delivery.remote_id, Delivery.post_id).where(
                Delivery.channel_id.in_(channels), Delivery.remote_id.in_(refs)
            )
        ):
            if remote_id is not None:
                known.ours[channel_id, remote_id] = post_id
        return known

    def clock(self, session: Session, workspace_id: int) -> sla.Clock:
        if workspace_id not in self.clocks:
            self.clocks[workspace_id] = sla.Clock(session, workspace_id)
        return self.clocks[workspace_id]

    def add_conversation(self, conv: Conversation) -> None:
        self.by_root[conv.channel_id, conv.root_id] = conv
        self.by_id[conv.id] = conv

    def conversation_of(self, n: Notification) -> Conversation | None:
        if not n.root_id and n.parent_id:
            conv_id = self.by_post.get((n.channel_id, n.parent_id))
            if conv_id is not None and conv_id in self.by_id:
                return self.by_id[conv_id]
        return self.by_root.get((n.channel_id, root_of(n)))

    def our_post(self, n: Notification) -> int | None:
        for ref in (n.root_id, n.parent_id, n.subject_id):
            if ref and (n.channel_id, ref) in self.ours:
                return self.ours[n.channel_id, ref]
        return None


def _new_conversation(n: Notification, known: Known) -> Conversation:
    root = root_of(n)
    own = root == n.post_id
    conv = Conversation(
        workspace_id=n.workspace_id,
        channel_id=n.channel_id,
        root_id=root,
        root_url=n.post_url if own else None,
        root_cid=n.root_cid or (n.post_cid if own else None),
        subject_post_id=known.our_post(n),
        direct=n.kind == "direct_message",
        status=Status.new,
        first_message_at=n.created_at,
        last_message_at=n.created_at,
        last_inbound_at=n.created_at,
        contact_handle=n.author_handle,
        message_count=0,
        unread=0,
        priority=1,
        version=1,
    )
    return conv


def _received(conv: Conversation, message: Message, clock: sla.Clock) -> None:
    """A message of theirs arrived: the conversation's summary, triage (the most urgent
    of those waiting for an answer, ``waiting.py``) and status."""
    at: datetime = message.created_at
    waiting.on_arrival(conv, message, first=conv.message_count == 0)
    conv.message_count += 1
    conv.unread += 1
    conv.version += 1
    conv.last_message_at = max(conv.last_message_at, at)
    if at >= conv.last_inbound_at or conv.message_count == 1:
        conv.last_inbound_at = at
        conv.contact_handle = message.author_handle
        conv.contact_name = message.author_name
        conv.snippet = " ".join(message.text.split())[:300]
    if message.kind == "direct_message":
        conv.direct = True
    if conv.first_response_at is None:
        candidate = clock.due(conv.first_message_at, message.urgency)
        if conv.first_response_due_at is None or candidate < conv.first_response_due_at:
            conv.first_response_due_at = candidate
    if conv.status in (Status.closed, Status.waiting):
        conv.status = Status.open  # the person wrote again
