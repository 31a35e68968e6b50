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


# What a calendar entry shows of a post's text; the page clips it further.
EXCERPT = 120


@dataclass(slots=True)
class CalendarEntry:
    """A post as a calendar shows it: a few columns, not the whole post with its
    variants, deliveries and images (a month can hold a thousand posts)."""

    id: int
    state: str
    when: datetime  # UTC: when it is (or was) published
    excerpt: str
    version: int
    author_id: int | None


def calendar_entries(
    session: Session, workspace_id: int, start: datetime, end: datetime, limit: int = 5000
) -> list[CalendarEntry]:
    """What a calendar shows between two UTC instants, in time order: posts by their
    scheduled time, and posts sent "as soon as possible" (no scheduled time) by the time
    they went out, or were let go. Cancelled posts are left out."""
    columns = (
        Post.id,
        Post.state,
        func.substr(Post.text, 1, EXCERPT),
        Post.version,
        Post.author_id,
    )
    timed = (
        select(Post.scheduled_at, *columns)
        .where(
            Post.workspace_id == workspace_id,
            Post.scheduled_at >= start,
            Post.scheduled_at < end,
            # Listed rather than "!= cancelled": then the (workspace, state, time) index
            # serves the time range too (SQLite otherwise read every post of the workspace).
            Post.state.in_([s for s in PostState if s != PostState.cancelled]),
        )
        .order_by(Post.scheduled_at, Post.id)
        .limit(limit)
    )
    entries = [
        CalendarEntry(i, st, w, x or "", v, a) for w, i, st, x, v, a in session.execute(timed)
    ]
    asap = (
        select(Post.published_at, Post.updated_at, *columns)
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
    extra = []
    for published, updated, i, st, x, v, a in session.execute(asap):
        # The same rule as calendar_time(): a published post without its time is left out.
        when = published or (updated if st in {PostState.scheduled, PostState.failed} else None)
        if when is not None:
            extra.append(CalendarEntry(i, st, when, x or "", v, a))
    if extra:
        entries = sorted(entries + extra, key=lambda e: (e.when, e.id))
    return entries


def calendar_time(post: Post) -> datetime | None:
    """When a post is (or was) published; None for a draft or proposal with no time yet."""
    if post.scheduled_at or post.published_at:
        return post.scheduled_at or post.published_at
    if post.state in {PostState.scheduled, PostState.failed}:
        return post.updated_at  # as soon as possible: from when it was let go
    return None


def _awaiting(workspace_id: int) -> Select[Any]:
    return select(Post).where(
        Post.workspace_id == workspace_id, Post.state == PostState.awaiting_approval
    )


# The approval queue's order: soonest publication first, "as soon as approved" last.
def _queue_order(descending: bool = False) -> tuple[Any, ...]:
    if descending:
        return (Post.scheduled_at.is_(None).desc(), Post.scheduled_at.desc(), Post.id.desc())
    return (Post.scheduled_at.is_(None), Post.scheduled_at, Post.id)


def awaiting_approval(session: Session, workspace_id: int, limit: int = 100) -> list[Post]:
    stmt = _awaiting(workspace_id).order_by(*_queue_order()).limit(limit)
    return list(session.scalars(_with_details(stmt)))


def awaiting_count(session: Session, workspace_id: int) -> int:
    stmt = select(func.count()).where(
        Post.workspace_id == workspace_id, Post.state == PostState.awaiting_approval
    )
    return int(session.scalar(stmt) or 0)


@dataclass
class QueuePage:
    posts: list[Post]
    total: int  # proposals waiting, on every page
    first: int  # the position of this page's first post in the queue, from 1
    previous: int | None  # ?before= for the page before this one, if any
    next: int | None  # ?after= for the page after this one, if any


def approval_queue(
    session: Session,
    workspace_id: int,
    *,
    per_page: int,
    after: int | None = None,
    before: int | None = None,
    start_at: int | None = None,
) -> QueuePage:
    """One page of the approval queue, by keyset on (scheduled time, id): the proposals
    after the post ``after``, before the post ``before``, or from the post ``start_at``
    (included). A cursor that names no post of the workspace gives the first page."""
    cursor_id = after or before or start_at
    key = None
    if cursor_id:
        key = session.execute(
            select(Post.scheduled_at, Post.id).where(
                Post.id == cursor_id, Post.workspace_id == workspace_id
            )
        ).first()
    stmt = _awaiting(workspace_id).options(selectinload(Post.variants), selectinload(Post.images))
    backwards = key is not None and bool(before)
    if key is not None:
        when, ident = key
        if backwards:
            stmt = stmt.where(_sooner(when, ident))
        elif start_at:
            stmt = stmt.where(or_(_later(when, ident), Post.id == ident))
        else:
            stmt = stmt.where(_later(when, ident))
    stmt = stmt.order_by(*_queue_order(descending=backwards)).limit(per_page + 1)
    posts = list(session.scalars(stmt))
    more = len(posts) > per_page
    posts = posts[:per_page]
    if not posts and key is not None:  # nothing that way any more: the first page
        return approval_queue(session, workspace_id, per_page=per_page)
    if backwards:
        posts.reverse()

    def any_of(condition: Any) -> bool:
        return (
            session.scalar(
                _awaiting(workspace_id).with_only_columns(Post.id).where(condition).limit(1)
            )
            is not None
        )

    previous = following = None
    position = 1
    if posts:
        first, last = posts[0], posts[-1]
        if key is not None:
            sooner = _awaiting(workspace_id).where(_sooner(first.scheduled_at, first.id))
            position += int(session.scalar(sooner.with_only_columns(func.count())) or 0)
        if position > 1:
            previous = first.id
        if more if not backwards else any_of(_later(last.scheduled_at, last.id)):
            following = last.id
    return QueuePage(posts, awaiting_count(session, workspace_id), position, previous, following)


def _later(when: datetime | None, ident: int) -> Any:
    """Posts after (``when``, ``ident``) in the queue's order (no time sorts last)."""
    if when is None:
        return and_(Post.scheduled_at.is_(None), Post.id > ident)
    return or_(
        Post.scheduled_at > when,
        and_(Post.scheduled_at == when, Post.id > ident),
        Post.scheduled_at.is_(None),
    )


def _sooner(when: datetime | None, ident: int) -> Any:
    """Posts before (``when``, ``ident``) in the queue's order."""
    if when is None:
        return or_(Post.scheduled_at.is_not(None), Post.id < ident)
    return or_(
        Post.scheduled_at < when,
        and_(Post.scheduled_at == when, Post.id < ident),
    )


def upcoming(session: Session, workspace_id: int, now: datetime, limit: int = 10) -> list[Post]:
    """What goes out next: posts to send as soon as possible first, then by time.

    Two small queries, each served in order by the (workspace, state, time) index, rather
    than one that sorts every scheduled post."""
    scheduled = (Post.workspace_id == workspace_id, Post.state == PostState.scheduled)
    asap = select(Post).where(*scheduled, Post.scheduled_at.is_(None)).order_by(Post.id)
    posts = list(session.scalars(_with_details(asap.limit(limit))))
    if len(posts) < limit:
        timed = (
            select(Post)
            .where(*scheduled, Post.scheduled_at.is_not(None))
            .order_by(Post.scheduled_at)
            .limit(limit - len(posts))
        )
        posts += session.scalars(_with_details(timed))
    return posts


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
