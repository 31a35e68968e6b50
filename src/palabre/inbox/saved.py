"""Saved replies: texts managers prepare, with placeholders in square brackets
(``[first name]``, ``[opening time]``) that must all be filled in before a reply is sent,
and a guard against sending the same text, word for word, to two people on one day."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.core.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound
from palabre.core.i18n import N_
from palabre.inbox.conversation_models import Conversation
from palabre.inbox.saved_models import SavedReply, SavedReplyUse
from palabre.team import audit
from palabre.team.models import Role, User, Workspace

PLACEHOLDER = re.compile(r"\[([^\[\]\n]{1,40})\]")
MAX_TEXT = 5000


def placeholders(text: str) -> list[str]:
    """The placeholders of a text, in order, each once: ``[first name]`` gives "first name"."""
    seen: dict[str, None] = {}
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1).strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)


def listing(session: Session, workspace_id: int) -> list[SavedReply]:
    return list(
        session.scalars(
            select(SavedReply)
            .where(SavedReply.workspace_id == workspace_id)
            .order_by(SavedReply.name, SavedReply.id)
        )
    )


def get(session: Session, workspace_id: int, saved_id: int) -> SavedReply:
    found = session.get(SavedReply, saved_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("This saved reply does not exist (any more).")
    return found


def _check(session: Session, workspace_id: int, name: str, text: str, own_id: int | None) -> None:
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", "Give it a name.")
    elif session.scalar(
        select(SavedReply.id).where(
            SavedReply.workspace_id == workspace_id,
            SavedReply.name == name.strip(),
            SavedReply.id != (own_id or 0),
        )
    ):
        errors.add("name", "Another saved reply has this name.")
    if not text.strip():
        errors.add("text", "Write the reply.")
    elif len(text) > MAX_TEXT:
        errors.add("text", "At most %(n)s characters.", n=MAX_TEXT)
    errors.raise_if_any()


def _managing(actor: User) -> None:
    if not actor.can(Role.manager):
        raise Forbidden("Only managers prepare saved replies.")


def create(session: Session, actor: User, name: str, text: str) -> SavedReply:
    _managing(actor)
    _check(session, actor.workspace_id, name, text, None)
    saved = SavedReply(
        workspace_id=actor.workspace_id,
        name=name.strip(),
        text=text.strip(),
        created_by_id=actor.id,
        uses=0,
        version=1,
    )
    session.add(saved)
    session.flush()
    _audit(session, actor, saved, "saved_reply.created")
    return saved


def update(
    session: Session,
    actor: User,
    saved: SavedReply,
    *,
    name: str | None,
    text: str | None,
    version: int | None,
) -> SavedReply:
    _managing(actor)
    if version is not None and version != saved.version:
        raise Conflict("Someone changed this saved reply meanwhile: reload it and try again.")
    name = saved.name if name is None else name
    text = saved.text if text is None else text
    _check(session, actor.workspace_id, name, text, saved.id)
    saved.name, saved.text = name.strip(), text.strip()
    saved.version += 1
    saved.updated_at = utcnow()
    _audit(session, actor, saved, "saved_reply.changed")
    return saved


def delete(session: Session, actor: User, saved: SavedReply) -> None:
    _managing(actor)
    _audit(session, actor, saved, "saved_reply.deleted")
    session.delete(saved)


def _audit(session: Session, actor: User, saved: SavedReply, action: str) -> None:
    audit.record(
        session,
        workspace_id=actor.workspace_id,
        actor=actor,
        action=action,
        object_type="saved_reply",
        object_id=saved.id,
        name=saved.name,
    )


def fingerprint(text: str) -> str:
    """Two texts that differ only by case or spacing are the same text."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()


def workspace_day(session: Session, workspace_id: int, now: datetime) -> str:
    ws = session.get(Workspace, workspace_id)
    return now.astimezone(ZoneInfo(ws.timezone if ws else "UTC")).date().isoformat()


def check_reply(
    session: Session, conv: Conversation, text: str, saved_id: int | None
) -> SavedReply | None:
    """Before a reply goes out (or is proposed): every placeholder filled (those of the
    saved reply used, and of any saved reply of the workspace still in the text), and not
    the same text a saved reply already sent to someone else today."""
    saved = get(session, conv.workspace_id, saved_id) if saved_id else None
    known = {p for s in listing(session, conv.workspace_id) for p in placeholders(s.text)}
    left = [p for p in placeholders(text) if p in known]
    if left:
        names = ", ".join(f"[{p}]" for p in left)
        message = N_("Fill in every placeholder before sending: %(names)s")
        raise Invalid({"text": (message, {"names": names})})
    day = workspace_day(session, conv.workspace_id, utcnow())
    sent = session.scalar(
        select(SavedReplyUse.id)
        .join(SavedReply, SavedReply.id == SavedReplyUse.saved_reply_id)
        .where(
            SavedReply.workspace_id == conv.workspace_id,
            SavedReplyUse.day == day,
            SavedReplyUse.text_hash == fingerprint(text),
            SavedReplyUse.contact != contact_of(conv),
        )
        .limit(1)
    )
    if sent is not None:
        message = N_(
            "This saved reply already went to someone else today, word for word: "
            "add a personal touch."
        )
        raise Invalid({"text": (message, {})})
    return saved


def contact_of(conv: Conversation) -> str:
    return f"{conv.channel_id}:{conv.contact_handle}"[:255]


def record_use(
    session: Session, saved: SavedReply, conv: Conversation, text: str, message_id: int
) -> None:
    session.add(
        SavedReplyUse(
            saved_reply_id=saved.id,
            day=workspace_day(session, conv.workspace_id, utcnow()),
            text_hash=fingerprint(text),
            contact=contact_of(conv),
            message_id=message_id,
        )
    )
    saved.uses += 1


def retext_use(session: Session, conv: Conversation, message_id: int, text: str) -> None:
    """A proposal made from a saved reply was edited before it went out: its use counts
    the text really sent, today."""
    for use in session.scalars(select(SavedReplyUse).where(SavedReplyUse.message_id == message_id)):
        use.text_hash = fingerprint(text)
        use.day = workspace_day(session, conv.workspace_id, utcnow())
