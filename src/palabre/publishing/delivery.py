"""What the worker does with a delivery in each state.

``scheduled``: when due, check the post is still to be published and the channel usable,
then move to ``publishing``. ``publishing``: send through the channel's adapter with an
idempotency key; a row claimed again after a crash (``attempts > 1``) first asks the
network whether that key already made a post, so nothing is ever sent twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, insert, or_, select, update
from sqlalchemy.orm import Session, lazyload, selectinload
from sqlalchemy.sql.elements import BindParameter

from palabre.channels.base import (
    AuthError,
    ChannelError,
    Media,
    PermanentError,
    PublishRequest,
    ThreadPart,
)
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.services import adapter_for, record_error, record_rate_limit
from palabre.core import pagecache
from palabre.core.db import UTCDateTime, utcnow
from palabre.core.i18n import N_
from palabre.publishing.models import Delivery, Post, PostState
from palabre.stator import HandlerContext, TransientError
from palabre.team.models import AuditEntry

log = logging.getLogger(__name__)


def prepare(state: str, deliveries: list[Delivery], ctx: HandlerContext) -> None:
    """Load what the handlers of ``state`` need for a whole batch in a few queries."""
    post_ids = {d.post_id for d in deliveries}
    channel_ids = {d.channel_id for d in deliveries}
    with ctx.db.transaction(write=False) as session:
        for channel in session.scalars(select(Channel).where(Channel.id.in_(channel_ids))):
            ctx.cache[Channel, channel.id] = channel
        if state == "scheduled":
            rows = session.execute(select(Post.id, Post.state).where(Post.id.in_(post_ids)))
            for post_id, post_state in rows:
                ctx.cache["post_state", post_id] = post_state
        elif state == "publishing":
            posts = session.scalars(
                select(Post)
                .where(Post.id.in_(post_ids))
                .options(
                    selectinload(Post.variants), selectinload(Post.images), lazyload(Post.author)
                )
            )
            for post in posts:
                ctx.cache[Post, post.id] = post
        session.expunge_all()
    for key in [("post_state", i) for i in post_ids] + [(Post, i) for i in post_ids]:
        ctx.cache.setdefault(key, None)  # removed meanwhile
    for channel_id in channel_ids:
        ctx.cache.setdefault((Channel, channel_id), None)


def _cached(ctx: HandlerContext, key: tuple[Any, int], load: Any) -> Any:
    if key not in ctx.cache:
        with ctx.db.transaction(write=False) as session:
            ctx.cache[key] = load(session)
            session.expunge_all()
    return ctx.cache[key]


def handle_scheduled(delivery: Delivery, ctx: HandlerContext) -> str | None:
    post_state = _cached(
        ctx,
        ("post_state", delivery.post_id),
        lambda s: s.scalar(select(Post.state).where(Post.id == delivery.post_id)),
    )
    channel = _cached(
        ctx, (Channel, delivery.channel_id), lambda s: s.get(Channel, delivery.channel_id)
    )
    if post_state != PostState.scheduled:
        return "cancelled"
    if channel is None:
        delivery.last_error = N_("The channel was removed.")
        return "failed"
    if channel.status != ChannelStatus.active:
        delivery.last_error = N_("Waiting: the channel is paused or needs reconnection.")
        return None
    return "publishing"


def handle_publishing(delivery: Delivery, ctx: HandlerContext) -> str | None:
    post = _cached(
        ctx,
        (Post, delivery.post_id),
        lambda s: s.scalar(
            select(Post)
            .where(Post.id == delivery.post_id)
            .options(selectinload(Post.variants), selectinload(Post.images))
        ),
    )
    channel = _cached(
        ctx, (Channel, delivery.channel_id), lambda s: s.get(Channel, delivery.channel_id)
    )
    if post is None or channel is None:
        delivery.last_error = N_("The post or its channel was removed.")
        return "failed"
    adapter = ctx.cache.get(("adapter", channel.id))
    if adapter is None:
        adapter = adapter_for(
            channel, box=ctx.services.get("box"), db=ctx.db, net=ctx.services.get("net")
        )
        ctx.cache["adapter", channel.id] = adapter
        ctx.cache["idempotent", channel.id] = adapter.capabilities().idempotent_publish
    text = post.text_for(channel.id)
    media_dir: Path = ctx.services.get("media_dir", Path("."))
    media = [Media(media_dir / i.stored_name, i.content_type, i.alt_text) for i in post.images]
    request = PublishRequest(
        text,
        delivery.idempotency_key,
        media,
        post.scheduled_at,
        thread=[ThreadPart(part) for part in post.thread or [] if part.strip()],
        content_warning=post.content_warning or None,
    )
    try:
        # Claimed before (attempts > 1): the first attempt may have reached the network.
        result = adapter.find_published(request) if delivery.attempts > 1 else None
        if result is None:
            result = adapter.publish(request)
            delivery.published_text = text
    except AuthError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=True)
        channel.status = ChannelStatus.needs_reconnection  # the rest of this batch waits too
        # Nothing was sent: back to waiting, without a limit, until the channel is
        # reconnected. The network's own words are kept on the channel's health; the
        # delivery says what a person can act on, in a message the interface translates.
        delivery.last_error = N_("Waiting: the channel needs reconnection.")
        return "scheduled"
    except PermanentError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=False)
        delivery.last_error = str(exc)[:2000]
        return "failed"
    except TransientError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=False)
        raise
    except ChannelError as exc:  # e.g. the server answers garbage: try again later
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=False)
        raise TransientError(str(exc)) from exc
    finally:
        if adapter.rate_limit is not None:
            _channel_rate_limit(ctx, channel.id, adapter)
    delivery.remote_id = result.remote_id
    delivery.remote_url = result.remote_url
    delivery.remote_cid = result.cid
    if len(result.parts) > 1:
        delivery.remote_parts = [{"id": p.id, "url": p.url, "cid": p.cid} for p in result.parts]
    delivery.published_at = result.published_at
    delivery.last_error = None
    return "published"


def may_defer(delivery: Delivery, ctx: HandlerContext) -> bool:
    """Whether the outcome of a publish may be committed with others, later in the batch:
    only if the channel's network honours idempotency keys, so that a crash before the
    commit cannot make a second post (the row is claimed again, checked with
    ``find_published``, and a resend with the same key makes nothing new)."""
    return bool(ctx.cache.get(("idempotent", delivery.channel_id)))


def wake_deliveries(session: Session, channel_id: int, now: datetime | None = None) -> int:
    """A channel usable again (resumed, reconnected): its waiting deliveries, which the
    worker looked at less and less often (up to every 15 minutes), become due at once —
    or at their post's time if that is still to come. Returns how many."""
    now = now or utcnow()
    at = bindparam("now", now, type_=UTCDateTime())
    post_time = select(Post.scheduled_at).where(Post.id == Delivery.post_id).scalar_subquery()
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.channel_id == channel_id,
            Delivery.state == "scheduled",
            or_(Delivery.locked_until.is_(None), Delivery.locked_until < at),
        )
        .values(next_attempt_at=case((post_time > at, post_time), else_=at), attempts=0)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _channel_rate_limit(ctx: HandlerContext, channel_id: int, adapter: Any) -> None:
    """The network's rate-limit state, for the channel's health: written when it runs low
    or once a minute per channel — not once per post."""
    limit = adapter.rate_limit
    adapter.rate_limit = None
    last = ctx.cache.get(("rate_limit_at", channel_id))
    low = limit.remaining is not None and limit.limit and limit.remaining < limit.limit / 10
    if not low and last is not None and (ctx.now - last).total_seconds() < 60:
        return
    ctx.cache["rate_limit_at", channel_id] = ctx.now
    with ctx.db.transaction() as session:
        record_rate_limit(session, channel_id, limit)


def _channel_error(
    ctx: HandlerContext, channel_id: int, message: str, *, needs_reconnect: bool
) -> None:
    with ctx.db.transaction() as session:
        record_error(session, channel_id, message, needs_reconnect=needs_reconnect)


# The write-back of deliveries runs these: built once, as Core statements, each for a whole
# write-back transaction. (Run on the write-back's connection: plain SQL, no unit of work.)
_POST_IDS: BindParameter[int] = bindparam("post_ids", expanding=True)
# Posts are locked in id order, so two workers settling overlapping posts cannot deadlock.
_LOCK_POSTS = select(Post.id).where(Post.id.in_(_POST_IDS)).order_by(Post.id).with_for_update()


def _siblings(*states: str) -> Any:
    return (
        select(func.count())
        .where(Delivery.post_id == Post.id, Delivery.state.in_(states))
        .scalar_subquery()
    )


_POSTS_AND_SIBLINGS = select(
    Post.id,
    Post.workspace_id,
    Post.state,
    _siblings("scheduled", "publishing").label("unfinished"),
    _siblings("failed").label("failed"),
).where(Post.id.in_(_POST_IDS))
_CHANNEL_SUCCESS = (
    update(Channel)
    .where(Channel.id == bindparam("channel_id"))
    .values(last_success_at=bindparam("now"))
)
_AUDIT = insert(AuditEntry)
_SETTLE = (
    update(Post)
    .where(Post.id.in_(_POST_IDS), Post.state == PostState.scheduled)
    .values(
        state=bindparam("state"),
        published_at=bindparam("published_at"),
        version=Post.version + 1,
    )
)


def after_transitions(
    conn: Connection, changes: list[tuple[Delivery, str, str]], ctx: HandlerContext
) -> None:
    """In the write-back transaction, for the deliveries it finished: history, channel
    health, and their posts' own state (published once all its deliveries are, failed if
    one of them failed) — a few statements for the whole batch."""
    done = [(d, new) for d, _old, new in changes if new in {"published", "failed"}]
    if not done:
        return
    now = ctx.now
    key = {"post_ids": sorted({d.post_id for d, _ in done})}
    if conn.dialect.name != "sqlite":
        # Two workers finishing two deliveries of one post settle it once: the second
        # waits here, then counts with the first one's outcome committed. (SQLite's
        # single writer already serialises the write-backs.)
        conn.execute(_LOCK_POSTS, key)
    posts = {p.id: p for p in conn.execute(_POSTS_AND_SIBLINGS, key)}
    for channel_id in sorted({d.channel_id for d, new in done if new == "published"}):
        if ("success", channel_id) not in ctx.cache:
            # Channel health: once per channel and batch is enough.
            conn.execute(_CHANNEL_SUCCESS, {"channel_id": channel_id, "now": now})
            ctx.cache["success", channel_id] = True
    audit = []
    for delivery, new in done:
        post = posts.get(delivery.post_id)
        if post is None:  # removed meanwhile
            continue
        details: dict[str, Any] = {"channel_id": delivery.channel_id}
        if delivery.remote_url:
            details["remote_url"] = delivery.remote_url
        audit.append(
            {
                "workspace_id": post.workspace_id,
                "user_id": None,
                "action": f"post.delivery_{new}",
                "object_type": "post",
                "object_id": delivery.post_id,
                "comment": delivery.last_error if new == "failed" else None,
                "details": details,
                "at": now,
            }
        )
    if audit:
        conn.execute(_AUDIT, audit)
    settled: dict[PostState, list[int]] = {}
    for post in posts.values():
        if post.state == PostState.scheduled and not post.unfinished:
            state = PostState.failed if post.failed else PostState.published
            settled.setdefault(state, []).append(post.id)
    for state, ids in settled.items():
        published_at = now if state == PostState.published else None
        conn.execute(_SETTLE, {"post_ids": ids, "state": state, "published_at": published_at})
    # Pages showing these posts are out of date: one small update, only when a post
    # settles (not for every delivery), and last, after the posts' own locks.
    pagecache.bump(conn, {posts[i].workspace_id for ids in settled.values() for i in ids})
