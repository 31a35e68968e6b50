"""The worker's visit of a workspace's inbox, every minute: notifications not threaded
yet (stored before the inbox existed, or left aside by an error) are threaded, and each
conversation past its first-response due time is raised to the managers and
its assignee, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from palabre.core.i18n import N_, pick_language, translator_for
from palabre.inbox.conversation_models import Conversation
from palabre.inbox.services import notice_about
from palabre.inbox.threads import ingest_pending
from palabre.stator import HandlerContext
from palabre.team.models import User, Workspace
from palabre.team.notices import managing

SWEEP_EVERY = timedelta(minutes=1)
BATCH = 200
TO_MANAGERS = N_("No answer yet to %(contact)s: the first response was due %(due)s")
TO_ASSIGNEE = N_(
    "No answer yet to %(contact)s, assigned to you: the first response was due %(due)s"
)


def handle_watching(row: Any, ctx: HandlerContext) -> str | None:
    with ctx.db.transaction() as session:
        threaded = ingest_pending(session.connection(), row.workspace_id)
        raised = raise_breaches(session, row.workspace_id, ctx.now)
    row.last_swept_at = ctx.now
    row.breaches = (row.breaches or 0) + raised
    more = threaded >= 1000 or raised >= BATCH
    row.next_attempt_at = ctx.now if more else ctx.now + SWEEP_EVERY
    return None


def raise_breaches(session: Session, workspace_id: int, now: datetime) -> int:
    """One notice per conversation past due without a first response, never twice: the
    conversation is marked (``sla_breached_at``) in the same transaction. Managers and
    the person it is assigned to are told, the due time written in each one's language
    and the workspace's timezone."""
    late = session.scalars(
        select(Conversation)
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.first_response_at.is_(None),
            Conversation.sla_breached_at.is_(None),
            Conversation.first_response_due_at <= now,
            Conversation.to_handle.is_(True),
        )
        .order_by(Conversation.first_response_due_at, Conversation.id)
        .limit(BATCH)
    ).all()
    ws = session.get(Workspace, workspace_id)
    if ws is None or not late:
        return 0
    managers = managing(session, workspace_id)
    raised = 0
    for conv in late:
        marked = session.execute(
            update(Conversation)
            .where(Conversation.id == conv.id, Conversation.sla_breached_at.is_(None))
            .values(sla_breached_at=now)
        )
        if not getattr(marked, "rowcount", 0):
            continue
        raised += 1
        for person, message in _readers(conv, managers):
            tr = translator_for(pick_language(person.language, ws.language))
            due = tr.datetime(conv.first_response_due_at, ws.timezone, "short")
            notice = notice_about(conv, person.id, "inbox.sla_breach", message, due=due)
            session.add(notice)
    return raised


def _readers(conv: Conversation, managers: list[User]) -> list[tuple[User, str]]:
    """Who is told of a breach, and with which words: the managers, and the assignee
    (once, as a manager if they are one)."""
    told = [(m, TO_MANAGERS) for m in managers]
    assignee = conv.assignee
    if assignee is not None and assignee.active and all(m.id != assignee.id for m in managers):
        told.append((assignee, TO_ASSIGNEE))
    return told
