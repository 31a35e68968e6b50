"""The instance's workspace (one per installation for now)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.team import services
from palabre.team.models import Workspace


class NoWorkspace(Exception):
    pass


def the_workspace(session: Session) -> Workspace:
    workspace = session.scalar(select(Workspace).order_by(Workspace.id).limit(1))
    if workspace is None:
        raise NoWorkspace()
    return workspace


def ensure_workspace(session: Session, *, name: str, timezone: str) -> Workspace:
    try:
        return the_workspace(session)
    except NoWorkspace:
        return services.create_workspace(session, name=name, timezone=timezone)
