"""Writing the audit log. Every service that changes state calls :func:`record`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from palabre.team.models import AuditEntry, User


def record(
    session: Session,
    *,
    workspace_id: int,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None = None,
    comment: str | None = None,
    **details: Any,
) -> AuditEntry:
    entry = AuditEntry(
        workspace_id=workspace_id,
        user_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        comment=comment,
        details=details,
    )
    session.add(entry)
    return entry
