"""Every change to suggestions: offered by an automation, approved (a post), skipped.

Approving goes through ``publishing.services.create_post``: the usual rules of the
person's role apply (a contributor's approval asks a manager; a member's schedules), at
the next time the channels' guardrails allow.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from palabre.automations import replying
from palabre.automations.events import deadline
from palabre.automations.filters import fold
from palabre.automations.models import (
    Automation,
    Mode,
    SentText,
    Suggestion,
    SuggestionState,
    automation_channels,
)
from palabre.automations.planner import planner_for
from palabre.core.db import utcnow
from palabre.core.errors import Conflict, FieldErrors, Forbidden, NotFound, PalabreError
from palabre.core.i18n import N_
from palabre.inbox.conversation_models import Message
from palabre.publishing import services as publishing
from palabre.publishing.models import Post
from palabre.publishing.rights import can_publish
from palabre.publishing.validation import Draft, load_channels
from palabre.sources.models import AgendaOccurrence
from palabre.team import audit
from palabre.team.models import Role, User, Workspace

PEOPLE_KINDS = {"welcome", "thanks"}
NO_SLOT = N_("No free time in the next 60 days: the channels' guardrails are full.")
TOO_LATE = N_("Too late: no time the guardrails allow is left before the event starts.")
SAME_TEXT = N_("This exact text was already sent to someone else: personalise it.")


def get_suggestion(session: Session, workspace_id: int, suggestion_id: int) -> Suggestion:
    row = session.get(Suggestion, suggestion_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound("No such suggestion in this workspace.")
    return row


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(fold(text).split()).encode()).hexdigest()


def _log(session: Session, s: Suggestion, actor: User | None, action: str, **details: Any) -> None:
    audit.record(
        session,
        workspace_id=s.workspace_id,
        actor=actor,
        action=f"suggestion.{action}",
        object_type="suggestion",
        object_id=s.id,
        automation_id=s.automation_id,
        **details,
    )


def offer(
    session: Session,
    automation: Automation,
    *,
    key: str,
    kind: str,
    texts: dict[str, str],
    now: datetime,
    planned_at: datetime | None = None,
    auto: bool | None = None,
    **refs: Any,
) -> Suggestion | None:
    """A new suggestion, unless the automation already made one for ``key`` (None then).
    In auto mode (or with ``auto``) it is published at once when the guardrails allow;
    a correction never is."""
    found = session.scalar(
        select(Suggestion.id).where(
            Suggestion.automation_id == automation.id, Suggestion.key == key
        )
    )
    if found is not None:
        return None
    row = Suggestion(
        workspace_id=automation.workspace_id,
        automation_id=automation.id,
        automation=automation,
        key=key,
        kind=kind,
        texts=texts,
        planned_at=planned_at,
        state=SuggestionState.pending,
        created_at=now,
        **refs,
    )
    try:
        with session.begin_nested():  # another run made it meanwhile: the key says so
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    _log(session, row, None, "offered", kind=kind)
    if auto is None:
        auto = automation.mode == Mode.auto
    if auto and kind != "correction":
        publish_automatically(session, row, now)
    return row


def robot_actor(session: Session, automation: Automation) -> User | None:
    """Who an auto-mode automation publishes as: its author while they may publish, else
    the first active manager (None: nobody; the suggestion waits for a person)."""
    author = session.get(User, automation.created_by_id) if automation.created_by_id else None
    if author is not None and author.active and can_publish(author):
        return author
    return session.scalar(
        select(User)
        .where(
            User.workspace_id == automation.workspace_id,
            User.active.is_(True),
            User.role.in_([str(Role.owner), str(Role.manager)]),
        )
        .order_by(User.id)
        .limit(1)
    )


def publish_automatically(
    session: Session, row: Suggestion, now: datetime
) -> Post | Message | None:
    actor = robot_actor(session, row.automation)
    if actor is None:
        row.note = N_("Auto mode: nobody who may publish is left; approve it by hand.")
        return None
    try:
        with session.begin_nested():  # nothing half-made when it is refused
            return _publish(session, row, actor, now=now, automated=True)
    except PalabreError as exc:
        row.note = exc.message  # stays pending: a person decides
        return None


def approve(
    session: Session,
    row: Suggestion,
    *,
    actor: User,
    texts: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Post | Message:
    """Turn a pending suggestion into a post (edited texts replace the suggested ones),
    or, for a thank-you for what someone wrote, into a reply in their thread."""
    if not actor.can(Role.contributor):
        raise Forbidden("Your role does not allow this.")
    if texts:
        edit(session, row, texts=texts, actor=actor)
    return _publish(session, row, actor, now=now or utcnow(), automated=False)


def edit(session: Session, row: Suggestion, *, texts: dict[str, str], actor: User) -> Suggestion:
    if not actor.can(Role.contributor):
        raise Forbidden("Your role does not allow this.")
    _check_pending(row)
    errors = FieldErrors()
    merged = dict(row.texts)
    for cid, text in texts.items():
        if str(cid) not in merged:
            errors.add(f"text_{cid}", N_("This channel is not among the suggestion's channels."))
        elif not text.strip():
            errors.add(f"text_{cid}", N_("Write something to publish."))
        else:
            merged[str(cid)] = text.strip()
    errors.raise_if_any()
    if merged != row.texts:
        row.texts = merged
        _log(session, row, actor, "edited")
    session.flush()
    return row


def skip(session: Session, row: Suggestion, *, actor: User) -> Suggestion:
    if not can_publish(actor):
        raise Forbidden("Only members, managers and owners decide not to publish a suggestion.")
    _check_pending(row)
    _decide(session, row, SuggestionState.skipped, actor)
    return row


def close(session: Session, row: Suggestion, state: str, now: datetime) -> None:
    """Expired or cancelled by the automation itself (no person decided)."""
    row.state = state
    row.decided_at = now
    _log(session, row, None, state)


def _check_pending(row: Suggestion) -> None:
    if row.state != SuggestionState.pending:
        raise Conflict("This suggestion was already dealt with.")


def _decide(
    session: Session,
    row: Suggestion,
    state: str,
    actor: User | None,
    now: datetime | None = None,
) -> None:
    row.state = state
    row.decided_by_id = actor.id if actor else None
    row.decided_at = now or utcnow()
    session.flush()
    _log(session, row, actor, state)


def _publish(
    session: Session, row: Suggestion, actor: User, *, now: datetime, automated: bool
) -> Post | Message:
    _check_pending(row)
    alive = load_channels(session, row.workspace_id, [int(c) for c in row.texts])
    if len(alive) < len(row.texts):  # a channel was removed since: publish on the others
        row.texts = {c: t for c, t in row.texts.items() if int(c) in alive}
    if not row.texts:
        raise Conflict(N_("This suggestion's channels were removed: nothing to publish it on."))
    automation = row.automation
    workspace = session.get(Workspace, row.workspace_id)
    assert workspace is not None
    if row.kind in PEOPLE_KINDS:
        _check_text_unused(session, row)
    answered = replying.answered_message(session, row)
    if answered is not None:  # a thank-you for what they wrote: a reply in their thread
        message = replying.reply_in_thread(session, row, answered, actor)
        row.planned_at, row.note = now, None
        _remember_texts(session, row)
        _decide(session, row, SuggestionState.approved, None if automated else actor, now)
        return message
    when = _slot(session, row, workspace.timezone, now)
    channel_ids = [int(cid) for cid in row.texts]
    first = row.texts[str(channel_ids[0])]
    draft = Draft(
        text=first,
        channel_ids=channel_ids,
        variants={int(c): t for c, t in row.texts.items() if t != first},
        scheduled_at=when,
    )
    post = publishing.create_post(session, workspace, draft, author=actor, intent="auto")
    post.automation_id = automation.id
    post.origin = "automation"
    row.post_id = post.id
    row.planned_at = when
    row.note = None
    if row.kind in PEOPLE_KINDS:
        _remember_texts(session, row)
    _decide(session, row, SuggestionState.approved, None if automated else actor, now)
    return post


def _slot(session: Session, row: Suggestion, tz: str, now: datetime) -> datetime:
    after = max(now, row.planned_at) if row.planned_at else now
    planner = planner_for(session, [int(c) for c in row.texts], tz)
    slot = planner.slot(after, reserve=False)
    if slot is None:
        raise Conflict(NO_SLOT)
    if row.kind == "reminder" and row.occurrence_id is not None:
        occ = session.get(AgendaOccurrence, row.occurrence_id)
        if occ is not None and slot >= deadline(occ):
            raise Conflict(TOO_LATE)
    planner.reserve(slot)
    return slot


def _remember_texts(session: Session, row: Suggestion) -> None:
    """Keep each text's hash; one approved meanwhile with the same text is refused."""
    try:
        with session.begin_nested():
            for text in set(row.texts.values()):
                hashed = text_hash(text)
                session.add(
                    SentText(
                        automation_id=row.automation_id, text_hash=hashed, suggestion_id=row.id
                    )
                )
            session.flush()
    except IntegrityError as exc:
        raise Conflict(SAME_TEXT) from exc


def sharing_channels(channel_ids: list[int]) -> Select[tuple[int]]:
    """The automations that speak on any of these channels (the workspace's only)."""
    return select(automation_channels.c.automation_id).where(
        automation_channels.c.channel_id.in_(channel_ids)
    )


def _check_text_unused(session: Session, row: Suggestion) -> None:
    """Never the same text to two people on a channel, whichever automation sent it."""
    hashes = [text_hash(t) for t in row.texts.values()]
    used = session.scalar(
        select(SentText.id)
        .where(
            SentText.automation_id.in_(sharing_channels([int(c) for c in row.texts])),
            SentText.text_hash.in_(hashes),
        )
        .limit(1)
    )
    if used is not None:
        raise Conflict(SAME_TEXT)
