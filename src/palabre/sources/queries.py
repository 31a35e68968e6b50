"""Reading what sources brought (pages and API alike)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.sources.models import AgendaOccurrence, SourceItem


def latest_items(session: Session, source_id: int, limit: int) -> list[SourceItem]:
    when = SourceItem.published_at
    return list(
        session.scalars(
            select(SourceItem)
            .where(SourceItem.source_id == source_id)
            .order_by(when.desc().nulls_last(), SourceItem.id.desc())
            .limit(limit)
        )
    )


def latest_occurrences(session: Session, source_id: int, limit: int) -> list[AgendaOccurrence]:
    start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return list(
        session.scalars(
            select(AgendaOccurrence)
            .where(
                AgendaOccurrence.source_id == source_id,
                AgendaOccurrence.starts_at >= start,
            )
            .order_by(AgendaOccurrence.starts_at, AgendaOccurrence.id)
            .limit(limit)
        )
    )
