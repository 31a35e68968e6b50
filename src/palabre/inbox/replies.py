"""Answering: a reply sent (once, by the worker: ``sending.py``), or proposed by a
volunteer and approved, edited or rejected by a manager; a failed reply tried again.
One function per change, one transaction (the caller commits), one audit row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.channels.models import Channel
from palabre.channels.services import capabilities
from palabre.channels.text import count
from palabre.core.db import utcnow
from palabre.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from palabre.core.i18n import N_
from palabre.inbox import saved
from palabre.inbox.conversation_models import (
    Conversation,
    Message,
    MessageSend,
    MessageState,
    Status,
)
from palabre.inbox.services import change_state, check_can_act, get_message, tell
from palabre.team import audit
from palabre.team.models import Role, User

OUTGOING = (MessageState.sending, MessageState.sent, MessageState.proposed)


def check_reply_text(channel: Channel, text: str) -> None:
    errors = FieldErrors()
    if not text.strip():
        errors.add("text", "Write a reply.")
    else:
        caps = capabilities(channel)
        used = count(text, caps)
        if used > caps.text_limit:
            errors.add(
                "text",
                "This reply has %(count)s characters; this network allows %(limit)s.",
                count=used,
                limit=caps.text_limit,
            )
    errors.raise_if_any()


def _answered(session: Session, conv: Conversation, reply_to_id: int | None) -> Message:
    if reply_to_id is not None:
        return _answerable(get_message(session, conv, reply_to_id))
    latest = session.scalar(
        select(Message)
        .where(Message.conversation_id == conv.id, Message.direction == "in")
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
    )
    if latest is None:
        raise Conflict("There is no message to answer in this conversation.")
    return _answerable(latest)


def _answerable(message: Message) -> Message:
    if not message.remote_id:
        raise Conflict("This message cannot be answered: the network did not give its address.")
    return message


def _check_no_other_reply(
    session: Session, conv: Conversation, answered: Message, actor: User, seen_id: int | None
) -> None:
    """Two people answering at once: the second is told, never silently duplicated."""
    stmt = select(Message).where(
        Message.conversation_id == conv.id,
        Message.direction == "out",
        Message.state.in_([str(s) for s in OUTGOING]),
    )
    if seen_id is not None:
        stmt = stmt.where(Message.id > seen_id)
    else:
        stmt = stmt.where(Message.reply_to_id == answered.id)
    other = session.scalar(stmt.order_by(Message.id.desc()).limit(1))
    if other is not None:
        who = other.sent_by.name if other.sent_by else "?"
        minutes = max(0, int((utcnow() - other.created_at).total_seconds() // 60))
        if other.state == MessageState.proposed:
            raise Conflict(
                "%(name)s proposed a reply %(minutes)s min ago. Approve or send it back, "
                "or send yours anyway.",
                name=who,
                minutes=minutes,
            )
        raise Conflict(
            "%(name)s already replied %(minutes)s min ago. Read their reply, then send "
            "yours if it is still needed.",
            name=who,
            minutes=minutes,
        )


def reply(
    session: Session,
    conv: Conversation,
    text: str,
    *,
    actor: User,
    reply_to_id: int | None = None,
    seen_message_id: int | None = None,
    force: bool = False,
    close: bool = False,
    saved_reply_id: int | None = None,
) -> Message:
    """Answer in the thread. Members and above send (the worker delivers it, once);
    contributors propose, and a manager approves, edits or rejects."""
    check_can_act(actor)
    if conv.status == Status.closed and close:
        close = False
    channel = session.get(Channel, conv.channel_id)
    if channel is None:
        raise NotFound("The channel of this conversation was removed.")
    check_reply_text(channel, text)
    used = saved.check_reply(session, conv, text, saved_reply_id)
    answered = _answered(session, conv, reply_to_id)
    if not force:
        _check_no_other_reply(session, conv, answered, actor, seen_message_id)
    sending = actor.can(Role.member)
    message = Message(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        channel_id=conv.channel_id,
        direction="out",
        state=MessageState.sending if sending else MessageState.proposed,
        kind="direct_message" if conv.direct else "reply",
        author_handle="",
        text=text,
        reply_to_id=answered.id,
        parent_id=answered.remote_id,
        sent_by_id=actor.id,
        created_at=utcnow(),
    )
    session.add(message)
    session.flush()
    if used is not None:
        saved.record_use(session, used, conv, text, message.id)
    if sending:
        _queue(session, conv, message, close=close)
    else:
        change_state(session, conv, status=Status.open if conv.status == Status.new else None)
        _tell_managers_of_proposal(session, conv, actor)
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action="conversation.replied" if sending else "conversation.reply_proposed",
        object_type="conversation",
        object_id=conv.id,
        message_id=message.id,
    )
    return message


def _queue(session: Session, conv: Conversation, message: Message, *, close: bool = False) -> None:
    message.state = MessageState.sending
    session.add(
        MessageSend(
            message_id=message.id,
            channel_id=message.channel_id,
            state="queued",
            next_attempt_at=utcnow(),
        )
    )
    now = utcnow()
    conv.message_count += 1
    conv.last_message_at = max(conv.last_message_at, now)
    if conv.first_response_at is None:
        conv.first_response_at = now
    change_state(session, conv, status=Status.closed if close else Status.waiting)


def _tell_managers_of_proposal(session: Session, conv: Conversation, actor: User) -> None:
    from palabre.team.notices import tell_managers

    tell_managers(
        session,
        conv.workspace_id,
        kind="inbox.proposal",
        message=N_("%(name)s proposes a reply to %(contact)s"),
        params={"name": actor.name, "contact": conv.contact_handle},
        link=f"/inbox/{conv.id}",
    )


def approve_proposal(
    session: Session,
    conv: Conversation,
    message: Message,
    *,
    actor: User,
    text: str | None = None,
    force: bool = False,
) -> None:
    """A manager sends a volunteer's proposed reply, edited or as it is, after the same
    checks as any reply: the network's length, saved replies' placeholders and same-day
    rule, and no teammate's reply since the proposal (unless ``force``)."""
    if not actor.can(Role.manager):
        raise Forbidden("Only managers approve proposed replies.")
    if message.state != MessageState.proposed:
        raise Conflict("This reply is no longer awaiting approval.")
    channel = session.get(Channel, conv.channel_id)
    if channel is None:
        raise NotFound("The channel of this conversation was removed.")
    final = message.text if text is None else text
    check_reply_text(channel, final)
    saved.check_reply(session, conv, final, None)
    if not force:
        _check_no_other_reply(session, conv, message, actor, message.id)
    if final != message.text:
        saved.retext_use(session, conv, message.id, final)
        message.text = final
    message.reviewed_by_id = actor.id
    message.created_at = utcnow()  # it goes out now (the reply's time in the thread)
    _queue(session, conv, message)
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action="conversation.reply_approved",
        object_type="conversation",
        object_id=conv.id,
        message_id=message.id,
        forced=force,
    )
    _tell_author(session, conv, message, N_("%(name)s approved your reply to %(contact)s"), actor)


def reject_proposal(
    session: Session, conv: Conversation, message: Message, *, actor: User, comment: str
) -> None:
    if not actor.can(Role.manager):
        raise Forbidden("Only managers reject proposed replies.")
    if message.state != MessageState.proposed:
        raise Conflict("This reply is no longer awaiting approval.")
    if not comment.strip():
        errors = FieldErrors()
        errors.add("comment", "Say why, so the volunteer can learn.")
        errors.raise_if_any()
    message.state = MessageState.rejected
    message.reviewed_by_id = actor.id
    message.review_comment = comment.strip()
    conv.version += 1
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action="conversation.reply_rejected",
        object_type="conversation",
        object_id=conv.id,
        comment=comment.strip(),
        message_id=message.id,
    )
    _tell_author(session, conv, message, N_("%(name)s sent back your reply to %(contact)s"), actor)


def _tell_author(
    session: Session, conv: Conversation, message: Message, text: str, actor: User
) -> None:
    if message.sent_by_id and message.sent_by_id != actor.id:
        tell(session, conv, message.sent_by_id, "inbox.proposal_reviewed", text, actor)


def retry_reply(session: Session, conv: Conversation, message: Message, *, actor: User) -> None:
    if not actor.can(Role.member):
        raise Forbidden("Your role does not allow this.")
    send = session.scalar(select(MessageSend).where(MessageSend.message_id == message.id))
    if message.state != MessageState.failed or send is None:
        raise Conflict("Only a reply that failed can be tried again.")
    send.state = "queued"
    send.next_attempt_at = utcnow()
    send.attempts = 0
    send.last_error = None
    message.state = MessageState.sending
    message.last_error = None
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action="conversation.reply_retried",
        object_type="conversation",
        object_id=conv.id,
        message_id=message.id,
    )
