"""Reading posts for pages and the API (no changes of state here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from palabre.channels.preview.models import PreviewRecord
from palabre.core.errors import NotFound
from palabre.publishing.models import Delivery, Post, PostState
from palabre.team.models import AuditEntry


def _with_details(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        selectinload(Post.variants), selectinload(Post.deliveries), selectinload(Post.images)
    )


def list_posts(
    session: Session,
    workspace_id: int,
    *,
    state: str | None = None,
    author_id: int | None = None,
    limit: int = 50,
    before_id: int | None = None,
) -> list[Post]:
    stmt = select(Post).where(Post.workspace_id == workspace_id)
    if state:
        stmt = stmt.where(Post.state == state)
    if author_id:
        stmt = stmt.where(Post.author_id == author_id)
    if before_id:
        stmt = stmt.where(Post.id < before_id)
    stmt = stmt.order_by(Post.id.desc()).limit(limit)
    return list(session.scalars(_with_details(stmt)))


def between(
    session: Session, workspace_id: int, start: datetime, end: datetime, limit: int = 2000
) -> list[Post]:
    """Posts shown on a calendar between two UTC instants (cancelled ones left out)."""
    stmt = (
        select(Post)
        .where(
            Post.workspace_id == workspace_id,
            Post.scheduled_at >= start,
            Post.scheduled_at < end,
            Post.state != PostState.cancelled,
        )
        .order_by(Post.scheduled_at)
        .limit(limit)
    )
    return list(session.scalars(_with_details(stmt)))


def on_calendar(
    session: Session, workspace_id: int, start: datetime, end: datetime, limit: int = 2000
) -> list[Post]:
    """What a calendar shows: posts by their scheduled time, and posts sent "as soon as
    possible" (no scheduled time) by the time they went out, or were let go."""
    posts = between(session, workspace_id, start, end, limit)
    stmt = (
        select(Post)
        .where(
            Post.workspace_id == workspace_id,
            Post.state.in_([PostState.scheduled, PostState.published, PostState.failed]),
            Post.scheduled_at.is_(None),
            or_(
                and_(Post.published_at >= start, Post.published_at < end),
                and_(Post.published_at.is_(None), Post.updated_at >= start, Post.updated_at < end),
            ),
        )
        .order_by(Post.id)
        .limit(limit)
    )
    posts += list(session.scalars(_with_details(stmt)))
    posts.sort(key=lambda p: calendar_time(p) or start)
    return posts


def calendar_time(post: Post) -> datetime | None:
    """When a post is (or was) published; None for a draft or proposal with no time yet."""
    if post.scheduled_at or post.published_at:
        return post.scheduled_at or post.published_at
    if post.state in {PostState.scheduled, PostState.failed}:
        return post.updated_at  # as soon as possible: from when it was let go
    return None


def awaiting_approval(session: Session, workspace_id: int, limit: int = 100) -> list[Post]:
    stmt = (
        select(Post)
        .where(Post.workspace_id == workspace_id, Post.state == PostState.awaiting_approval)
        .order_by(Post.scheduled_at.is_(None), Post.scheduled_at, Post.id)
        .limit(limit)
    )
    return list(session.scalars(_with_details(stmt)))


def upcoming(session: Session, workspace_id: int, now: datetime, limit: int = 10) -> list[Post]:
    stmt = (
        select(Post)
        .where(Post.workspace_id == workspace_id, Post.state == PostState.scheduled)
        .order_by(Post.scheduled_at.is_(None).desc(), Post.scheduled_at)
        .limit(limit)
    )
    return list(session.scalars(_with_details(stmt)))


def failed_deliveries(session: Session, workspace_id: int, limit: int = 20) -> list[Delivery]:
    stmt = (
        select(Delivery)
        .join(Post)
        .where(Post.workspace_id == workspace_id, Delivery.state == "failed")
        .order_by(Delivery.state_changed_at.desc())
        .limit(limit)
        .options(selectinload(Delivery.post))
    )
    return list(session.scalars(stmt))


@dataclass
class Counts:
    draft: int = 0
    awaiting_approval: int = 0
    scheduled: int = 0
    published: int = 0
    failed: int = 0
    cancelled: int = 0


def counts(session: Session, workspace_id: int) -> Counts:
    rows = session.execute(
        select(Post.state, func.count())
        .where(Post.workspace_id == workspace_id)
        .group_by(Post.state)
    )
    return Counts(**{state: n for state, n in rows.all() if state in Counts.__dataclass_fields__})


def history(session: Session, post_id: int) -> list[AuditEntry]:
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.object_type == "post", AuditEntry.object_id == post_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(session.scalars(stmt))


def post_detail(session: Session, workspace_id: int, post_id: int) -> Post | None:
    stmt = _with_details(select(Post).where(Post.id == post_id, Post.workspace_id == workspace_id))
    post: Post | None = session.scalar(stmt)
    return post


def get_delivery(session: Session, workspace_id: int, delivery_id: int) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.post.workspace_id != workspace_id:
        raise NotFound("No such delivery in this workspace.")
    return delivery


def preview_records(session: Session, deliveries: list[Delivery]) -> dict[int, PreviewRecord]:
    """What preview channels recorded for these deliveries, by delivery id."""
    keys = {d.idempotency_key: d.id for d in deliveries}
    if not keys:
        return {}
    rows = session.scalars(select(PreviewRecord).where(PreviewRecord.idempotency_key.in_(keys)))
    return {keys[r.idempotency_key]: r for r in rows}
