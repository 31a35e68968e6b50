"""Every change of a conversation: one function, one transaction (the caller commits),
one audit row. Replies go out through ``sending.py``; badges move in ``counters``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.channels.models import Channel
from palabre.channels.services import capabilities
from palabre.channels.text import count
from palabre.core.db import utcnow
from palabre.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from palabre.core.i18n import N_
from palabre.inbox import counters
from palabre.inbox.conversation_models import (
    Conversation,
    Message,
    MessageSend,
    MessageState,
    Note,
    Presence,
    Status,
    TriageCorrection,
    priority_of,
)
from palabre.team import audit
from palabre.team.models import Notice, Role, User

OUTGOING = (MessageState.sending, MessageState.sent, MessageState.proposed)
NOTE_LIMIT = 5000
PRESENCE_WINDOW = timedelta(minutes=2)


def get_conversation(
    session: Session, workspace_id: int, conversation_id: int, *, lock: bool = False
) -> Conversation:
    stmt = select(Conversation).where(
        Conversation.id == conversation_id, Conversation.workspace_id == workspace_id
    )
    if lock and session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update(of=Conversation)  # two replies at once wait for each other
    conv = session.scalar(stmt)
    if conv is None:
        raise NotFound("No such conversation in this workspace.")
    return conv


def get_message(session: Session, conv: Conversation, message_id: int) -> Message:
    message = session.get(Message, message_id)
    if message is None or message.conversation_id != conv.id:
        raise NotFound("No such message in this conversation.")
    return message


def _set(
    session: Session,
    conv: Conversation,
    *,
    status: str | None = None,
    assignee_id: int | bool | None = False,
) -> None:
    """Change status and/or assignee, moving the badges' counters in the same transaction."""
    before = (conv.assignee_id, conv.status)
    if status is not None:
        conv.status = status
    if assignee_id is not False:
        conv.assignee_id = assignee_id
    conv.version += 1
    session.flush()
    counters.move(session.connection(), conv.workspace_id, before, (conv.assignee_id, conv.status))


def _tell(
    session: Session, conv: Conversation, user_id: int, kind: str, message: str, actor: User
) -> None:
    """A notice to a teammate about this conversation, naming who did it and with whom."""
    session.add(
        Notice(
            workspace_id=conv.workspace_id,
            user_id=user_id,
            kind=kind,
            message=message,
            params={"name": actor.name, "contact": conv.contact_handle},
            link=f"/inbox/{conv.id}",
        )
    )


def _check_can_act(actor: User) -> None:
    if not actor.can(Role.contributor):
        raise Forbidden("Your role does not allow this.")


# ---------------------------------------------------------------- assignment and status


def assign(session: Session, conv: Conversation, assignee: User | None, *, actor: User) -> None:
    """Give the conversation to ``assignee`` (None: to nobody). Members and above assign
    anyone; a contributor may only take a conversation for themself."""
    _check_can_act(actor)
    if assignee is not None:
        if assignee.workspace_id != conv.workspace_id or not assignee.active:
            raise NotFound("No such person in this workspace.")
        if not assignee.can(Role.contributor):
            raise Conflict("A viewer cannot be given conversations.")
    if not actor.can(Role.member) and (assignee is None or assignee.id != actor.id):
        raise Forbidden("Volunteers can only take a conversation for themselves.")
    if conv.assignee_id == (assignee.id if assignee else None):
        return
    status = Status.open if conv.status == Status.new and assignee is not None else None
    _set(session, conv, status=status, assignee_id=assignee.id if assignee else None)
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action="conversation.assigned",
        object_type="conversation",
        object_id=conv.id,
        assignee_id=assignee.id if assignee else None,
    )
    if assignee is not None and assignee.id != actor.id:
        _tell(
            session,
            conv,
            assignee.id,
            "inbox.assigned",
            N_("%(name)s gave you a conversation with %(contact)s"),
            actor,
        )


def on_duty(session: Session, workspace_id: int) -> list[User]:
    """Who takes conversations in turn: active members, managers and owners."""
    return [
        u
        for u in session.scalars(
            select(User)
            .where(User.workspace_id == workspace_id, User.active.is_(True))
            .order_by(User.id)
        )
        if u.can(Role.member)
    ]


def assign_round_robin(session: Session, conv: Conversation, *, actor: User) -> User | None:
    """Give the conversation to whoever on duty has the fewest to handle (counters),
    the longest-serving first on a tie."""
    people = on_duty(session, conv.workspace_id)
    if not people:
        return None
    conn = session.connection()
    load = {u.id: counters.to_handle(conn, conv.workspace_id, u.id) for u in people}
    chosen = min(people, key=lambda u: (load[u.id], u.id))
    assign(session, conv, chosen, actor=actor)
    return chosen


def set_status(session: Session, conv: Conversation, status: Status, *, actor: User) -> None:
    """Close, reopen, or mark as waiting on the other person: members and above."""
    if not actor.can(Role.member):
        raise Forbidden("Your role does not allow this.")
    if conv.status == status:
        return
    old = conv.status
    reopening = status == Status.open and old == Status.closed
    _set(session, conv, status=status)
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action=f"conversation.{'reopened' if reopening else status}",
        object_type="conversation",
        object_id=conv.id,
        old=old,
        new=str(status),
    )


def mark_seen(
    session: Session, conv: Conversation, user: User, now: datetime | None = None
) -> list[User]:
    """Someone has the conversation open: it is read, and they are present. Returns the
    others present in the last two minutes."""
    now = now or utcnow()
    if conv.unread:
        conv.unread = 0
    row = session.get(Presence, (conv.id, user.id))
    if row is None:
        session.add(Presence(conversation_id=conv.id, user_id=user.id, seen_at=now))
    else:
        row.seen_at = now
    others = session.scalars(
        select(User)
        .join(Presence, Presence.user_id == User.id)
        .where(
            Presence.conversation_id == conv.id,
            Presence.user_id != user.id,
            Presence.seen_at >= now - PRESENCE_WINDOW,
        )
    ).all()
    return list(others)


# ---------------------------------------------------------------- replies


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
) -> Message:
    """Answer in the thread. Members and above send (the worker delivers it, once);
    contributors propose, and a manager approves, edits or rejects."""
    _check_can_act(actor)
    if conv.status == Status.closed and close:
        close = False
    channel = session.get(Channel, conv.channel_id)
    if channel is None:
        raise NotFound("The channel of this conversation was removed.")
    check_reply_text(channel, text)
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
    if sending:
        _queue(session, conv, message, close=close)
    else:
        _set(session, conv, status=Status.open if conv.status == Status.new else None)
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
    _set(session, conv, status=Status.closed if close else Status.waiting)


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
    session: Session, conv: Conversation, message: Message, *, actor: User, text: str | None = None
) -> None:
    """A manager sends a volunteer's proposed reply, edited or as it is."""
    if not actor.can(Role.manager):
        raise Forbidden("Only managers approve proposed replies.")
    if message.state != MessageState.proposed:
        raise Conflict("This reply is no longer awaiting approval.")
    if text is not None and text != message.text:
        channel = session.get(Channel, conv.channel_id)
        if channel is None:
            raise NotFound("The channel of this conversation was removed.")
        check_reply_text(channel, text)
        message.text = text
    message.reviewed_by_id = actor.id
    _queue(session, conv, message)
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action="conversation.reply_approved",
        object_type="conversation",
        object_id=conv.id,
        message_id=message.id,
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
        _tell(session, conv, message.sent_by_id, "inbox.proposal_reviewed", text, actor)


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


# ---------------------------------------------------------------- notes and triage

MENTION_RE = re.compile(r"(?<![\w@])@([\w.\-]+)", re.UNICODE)


def mentioned_people(session: Session, workspace_id: int, text: str) -> list[User]:
    """Teammates named ``@first-name``, ``@FirstLast`` or ``@email-name`` in a note."""
    names = {m.group(1).lower().rstrip(".") for m in MENTION_RE.finditer(text)}
    if not names:
        return []
    people = session.scalars(
        select(User).where(User.workspace_id == workspace_id, User.active.is_(True))
    ).all()
    found = []
    for person in people:
        keys = {
            person.email.split("@", 1)[0].lower(),
            person.name.replace(" ", "").lower(),
            person.name.split(" ", 1)[0].lower(),
        }
        if keys & names:
            found.append(person)
    return found


def add_note(session: Session, conv: Conversation, text: str, *, actor: User) -> Note:
    _check_can_act(actor)
    text = text.strip()
    errors = FieldErrors()
    if not text:
        errors.add("text", "Write a note.")
    elif len(text) > NOTE_LIMIT:
        errors.add("text", "A note has at most %(limit)s characters.", limit=NOTE_LIMIT)
    errors.raise_if_any()
    people = [p for p in mentioned_people(session, conv.workspace_id, text) if p.id != actor.id]
    note = Note(
        conversation_id=conv.id, author_id=actor.id, text=text, mentions=[p.id for p in people]
    )
    session.add(note)
    session.flush()
    for person in people:
        _tell(
            session,
            conv,
            person.id,
            "inbox.mention",
            N_("%(name)s mentioned you in a note on a conversation with %(contact)s"),
            actor,
        )
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action="conversation.noted",
        object_type="conversation",
        object_id=conv.id,
        note_id=note.id,
        mentions=[p.id for p in people],
    )
    return note


def correct_triage(
    session: Session,
    conv: Conversation,
    message: Message,
    *,
    actor: User,
    category: str,
    urgency: str,
    important: bool,
) -> TriageCorrection:
    from palabre.inbox.triage import CATEGORIES, URGENCIES

    _check_can_act(actor)
    errors = FieldErrors()
    if category not in CATEGORIES:
        errors.add("category", "Choose one of the categories.")
    if urgency not in URGENCIES:
        errors.add("urgency", "Choose one of the urgencies.")
    if message.direction != "in":
        errors.add("message", "Only messages received are triaged.")
    errors.raise_if_any()
    old = {"category": message.category, "urgency": message.urgency, "important": message.important}
    new = {"category": category, "urgency": urgency, "important": important}
    correction = TriageCorrection(message_id=message.id, user_id=actor.id, old=old, new=new)
    session.add(correction)
    message.category, message.urgency, message.important = category, urgency, important
    message.triage_corrected = True
    latest = session.scalar(
        select(Message.id)
        .where(Message.conversation_id == conv.id, Message.direction == "in")
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
    )
    if latest == message.id:
        conv.category, conv.urgency, conv.important = category, urgency, important
        conv.priority = priority_of(urgency, important)
    conv.version += 1
    audit.record(
        session,
        workspace_id=conv.workspace_id,
        actor=actor,
        action="conversation.triage_corrected",
        object_type="conversation",
        object_id=conv.id,
        message_id=message.id,
        old=old,
        new=new,
    )
    return correction
