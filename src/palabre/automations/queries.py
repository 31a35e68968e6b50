"""Reads for the pages and the API: suggestions with filters, counts, last runs."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palabre.automations.models import AutomationRun, Suggestion, SuggestionState


def suggestions(
    session: Session,
    workspace_id: int,
    *,
    state: str | None = SuggestionState.pending,
    automation_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Suggestion], int]:
    where = [Suggestion.workspace_id == workspace_id]
    if state:
        where.append(Suggestion.state == state)
    if automation_id:
        where.append(Suggestion.automation_id == automation_id)
    total = session.scalar(select(func.count(Suggestion.id)).where(*where)) or 0
    rows = session.scalars(
        select(Suggestion)
        .where(*where)
        .order_by(Suggestion.planned_at.is_(None), Suggestion.planned_at, Suggestion.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


def pending_count(session: Session, workspace_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Suggestion.id)).where(
                Suggestion.workspace_id == workspace_id,
                Suggestion.state == SuggestionState.pending,
            )
        )
        or 0
    )


def pending_by_automation(session: Session, workspace_id: int) -> dict[int, int]:
    rows = session.execute(
        select(Suggestion.automation_id, func.count(Suggestion.id))
        .where(
            Suggestion.workspace_id == workspace_id,
            Suggestion.state == SuggestionState.pending,
        )
        .group_by(Suggestion.automation_id)
    ).all()
    return {r[0]: int(r[1]) for r in rows}


def run_of(session: Session, automation_id: int) -> AutomationRun | None:
    return session.scalar(select(AutomationRun).where(AutomationRun.automation_id == automation_id))
