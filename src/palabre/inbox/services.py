"""Every change of a conversation: one function, one transaction (the caller commits),
one audit row. Replies go out through ``sending.py``; badges move in ``counters``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from palabre.core.i18n import N_
from palabre.inbox import counters, sla, waiting
from palabre.inbox.conversation_models import (
    TO_HANDLE,
    Conversation,
    InboxCount,
    Message,
    Note,
    Presence,
    Status,
    TriageCorrection,
)
from palabre.team import audit
from palabre.team.models import Notice, Role, User

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


def change_state(
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


def notice_about(
    conv: Conversation, user_id: int, kind: str, message: str, **params: Any
) -> Notice:
    """A notice to a teammate about this conversation: with whom, and a link to it."""
    return Notice(
        workspace_id=conv.workspace_id,
        user_id=user_id,
        kind=kind,
        message=message,
        params={"contact": conv.contact_handle, **params},
        link=f"/inbox/{conv.id}",
    )


def tell(
    session: Session, conv: Conversation, user_id: int, kind: str, message: str, actor: User
) -> None:
    """A notice to a teammate about this conversation, naming who did it and with whom."""
    session.add(notice_about(conv, user_id, kind, message, name=actor.name))


def check_can_act(actor: User) -> None:
    if not actor.can(Role.contributor):
        raise Forbidden("Your role does not allow this.")


# ---------------------------------------------------------------- assignment and status


def assign(session: Session, conv: Conversation, assignee: User | None, *, actor: User) -> None:
    """Give the conversation to ``assignee`` (None: to nobody). Members and above assign
    anyone; a contributor may only take a conversation for themself."""
    check_can_act(actor)
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
    change_state(session, conv, status=status, assignee_id=assignee.id if assignee else None)
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
        tell(
            session,
            conv,
            assignee.id,
            "inbox.assigned",
            N_("%(name)s gave you a conversation with %(contact)s"),
            actor,
        )


def on_duty(session: Session, workspace_id: int) -> list[User]:
    """Who takes conversations in turn: active members, managers and owners on duty."""
    return [
        u
        for u in session.scalars(
            select(User)
            .where(
                User.workspace_id == workspace_id,
                User.active.is_(True),
                User.on_duty.is_(True),
            )
            .order_by(User.id)
        )
        if u.can(Role.member)
    ]


def set_on_duty(session: Session, person: User, on_duty: bool, *, actor: User) -> None:
    """On duty (takes conversations in turn) or not: the person themself, or a manager."""
    if person.workspace_id != actor.workspace_id:
        raise Forbidden("Your role does not allow this.")
    if person.id != actor.id and not actor.can(Role.manager):
        raise Forbidden("Only managers put someone else on or off duty.")
    if person.id != actor.id and person.role == Role.owner and actor.role != Role.owner:
        raise Forbidden("Only an owner can change an owner.")
    if person.on_duty == on_duty:
        return
    person.on_duty = on_duty
    audit.record(
        session,
        workspace_id=actor.workspace_id,
        actor=actor,
        action="user.on_duty" if on_duty else "user.off_duty",
        object_type="user",
        object_id=person.id,
    )


def duty_loads(session: Session, workspace_id: int) -> dict[User, int]:
    """Who is on duty (active members, managers, owners) and how many conversations
    each has to handle (the counters), in one query."""
    load = (
        select(func.coalesce(func.sum(InboxCount.n), 0))
        .where(
            InboxCount.workspace_id == workspace_id,
            InboxCount.assignee_key == User.id,
            InboxCount.status.in_([str(s) for s in TO_HANDLE]),
        )
        .correlate(User)
        .scalar_subquery()
    )
    rows = session.execute(
        select(User, load).where(
            User.workspace_id == workspace_id, User.active.is_(True), User.on_duty.is_(True)
        )
    )
    return {user: int(n) for user, n in rows if user.can(Role.member)}


def next_on_duty(loads: dict[User, int]) -> User | None:
    """Round-robin's choice: the fewest to handle, the longest-serving first on a tie."""
    if not loads:
        return None
    return min(loads, key=lambda u: (loads[u], u.id))


def assign_round_robin(session: Session, conv: Conversation, *, actor: User) -> User | None:
    """Give the conversation to whoever on duty has the fewest to handle (counters),
    the longest-serving first on a tie."""
    chosen = next_on_duty(duty_loads(session, conv.workspace_id))
    if chosen is not None:
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
    change_state(session, conv, status=status)
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


def add_note(
    session: Session, conv: Conversation, text: str, *, actor: User, field: str = "note"
) -> Note:
    """An internal note; a refusal is filed under ``field`` (the page's note box; the
    API's body names it ``text``)."""
    check_can_act(actor)
    text = text.strip()
    errors = FieldErrors()
    if not text:
        errors.add(field, "Write a note.")
    elif len(text) > NOTE_LIMIT:
        errors.add(field, "A note has at most %(limit)s characters.", limit=NOTE_LIMIT)
    errors.raise_if_any()
    people = [p for p in mentioned_people(session, conv.workspace_id, text) if p.id != actor.id]
    note = Note(
        conversation_id=conv.id, author_id=actor.id, text=text, mentions=[p.id for p in people]
    )
    session.add(note)
    session.flush()
    for person in people:
        tell(
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

    check_can_act(actor)
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
    session.flush()
    waiting.recompute(session, conv)
    sla.recompute(session, conv)
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
