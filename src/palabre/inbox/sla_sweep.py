"""The worker's visit of a workspace's inbox, every minute: notifications not threaded
yet (stored before the inbox existed, or left aside by an error) are threaded, and each
conversation past its first-response due time is raised to the managers, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from palabre.core.i18n import N_
from palabre.inbox.conversation_models import Conversation
from palabre.inbox.threads import ingest_pending
from palabre.stator import HandlerContext
from palabre.team.models import Workspace
from palabre.team.notices import tell_managers

SWEEP_EVERY = timedelta(minutes=1)
BATCH = 200


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
    conversation is marked (``sla_breached_at``) in the same transaction."""
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
    raised = 0
    ws = session.get(Workspace, workspace_id)
    zone = ZoneInfo(ws.timezone if ws else "UTC")
    for conv in late:
        marked = session.execute(
            update(Conversation)
            .where(Conversation.id == conv.id, Conversation.sla_breached_at.is_(None))
            .values(sla_breached_at=now)
        )
        if not getattr(marked, "rowcount", 0):
            continue
        raised += 1
        tell_managers(
            session,
            workspace_id,
            kind="inbox.sla_breach",
            message=N_("No answer yet to %(contact)s: the first response was due %(due)s"),
            params={
                "contact": conv.contact_handle,
                "due": _local(conv.first_response_due_at, zone),
            },
            link=f"/inbox/{conv.id}",
        )
    return raised


def _local(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%d/%m %H:%M") if value else ""
