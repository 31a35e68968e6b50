"""Notices: what a person should know, shown in the header until they have read it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.team.models import Notice, Role, User

MANAGING = (Role.owner, Role.manager)


def tell_managers(
    session: Session,
    workspace_id: int,
    *,
    kind: str,
    message: str,
    params: dict[str, Any] | None = None,
    link: str | None = None,
) -> int:
    """One notice for each active owner and manager of the workspace."""
    people = [u.id for u in managing(session, workspace_id)]
    for user_id in people:
        session.add(
            Notice(
                workspace_id=workspace_id,
                user_id=user_id,
                kind=kind,
                message=message,
                params=params or {},
                link=link,
            )
        )
    return len(people)


def managing(session: Session, workspace_id: int) -> list[User]:
    """The workspace's active owners and managers."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.workspace_id == workspace_id,
                User.role.in_([str(r) for r in MANAGING]),
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def unread_count(session: Session, user_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(Notice.user_id == user_id, Notice.read_at.is_(None))
        )
        or 0
    )


def recent(session: Session, user_id: int, limit: int = 50) -> list[Notice]:
    return list(
        session.scalars(
            select(Notice).where(Notice.user_id == user_id).order_by(Notice.id.desc()).limit(limit)
        )
    )


def mark_all_read(session: Session, user_id: int) -> int:
    result = session.execute(
        update(Notice)
        .where(Notice.user_id == user_id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
