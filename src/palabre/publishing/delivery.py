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

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from palabre.channels.base import AuthError, Media, PermanentError, PublishRequest
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.services import adapter_for, record_error, record_success
from palabre.publishing.models import Delivery, Post, PostState
from palabre.stator import HandlerContext, TransientError
from palabre.team import audit

log = logging.getLogger(__name__)


def handle_scheduled(delivery: Delivery, ctx: HandlerContext) -> str | None:
    with ctx.db.transaction(write=False) as session:
        post_state = session.scalar(select(Post.state).where(Post.id == delivery.post_id))
        channel = session.get(Channel, delivery.channel_id)
    if post_state != PostState.scheduled:
        return "cancelled"
    if channel is None:
        delivery.last_error = "The channel was removed."
        return "failed"
    if channel.status != ChannelStatus.active:
        delivery.last_error = "Waiting: the channel is paused or needs reconnection."
        return None
    return "publishing"


def handle_publishing(delivery: Delivery, ctx: HandlerContext) -> str | None:
    with ctx.db.transaction(write=False) as session:
        post = session.scalar(
            select(Post)
            .where(Post.id == delivery.post_id)
            .options(selectinload(Post.variants), selectinload(Post.images))
        )
        channel = session.get(Channel, delivery.channel_id)
    if post is None or channel is None:
        delivery.last_error = "The post or its channel was removed."
        return "failed"
    adapter = adapter_for(channel, box=ctx.services.get("box"), db=ctx.db)
    key = delivery.idempotency_key
    try:
        result = adapter.find_published(key) if delivery.attempts > 1 else None
        if result is None:
            text = post.text_for(channel.id)
            media_dir: Path = ctx.services.get("media_dir", Path("."))
            media = [
                Media(media_dir / i.stored_name, i.content_type, i.alt_text) for i in post.images
            ]
            result = adapter.publish(PublishRequest(text, key, media, post.scheduled_at))
            delivery.published_text = text
    except AuthError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=True)
        raise TransientError(f"The channel needs reconnection: {exc}") from exc
    except PermanentError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=False)
        delivery.last_error = str(exc)[:2000]
        return "failed"
    except TransientError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=False)
        raise
    delivery.remote_id = result.remote_id
    delivery.remote_url = result.remote_url
    delivery.published_at = result.published_at
    delivery.last_error = None
    return "published"


def _channel_error(
    ctx: HandlerContext, channel_id: int, message: str, *, needs_reconnect: bool
) -> None:
    with ctx.db.transaction() as session:
        record_error(session, channel_id, message, needs_reconnect=needs_reconnect)


def after_transition(session: Session, delivery_id: int, old: str, new: str, now: datetime) -> None:
    """In the write-back transaction: history, channel health, and the post's own state."""
    row = session.execute(
        select(
            Delivery.post_id, Delivery.channel_id, Delivery.last_error, Delivery.remote_url
        ).where(Delivery.id == delivery_id)
    ).one()
    if new not in {"published", "failed"}:
        return
    # Locked, so two workers finishing two deliveries of one post settle it once.
    post = session.get(Post, row.post_id, with_for_update=True)
    assert post is not None
    if new == "published":
        record_success(session, row.channel_id)
    details: dict[str, Any] = {"channel_id": row.channel_id}
    if row.remote_url:
        details["remote_url"] = row.remote_url
    audit.record(
        session,
        workspace_id=post.workspace_id,
        actor=None,
        action=f"post.delivery_{new}",
        object_type="post",
        object_id=post.id,
        comment=row.last_error if new == "failed" else None,
        **details,
    )
    _settle_post(session, post, now)


def _settle_post(session: Session, post: Post, now: datetime) -> None:
    counts = dict(
        session.execute(
            select(Delivery.state, func.count())
            .where(Delivery.post_id == post.id)
            .group_by(Delivery.state)
        )
        .tuples()
        .all()
    )
    if counts.get("scheduled") or counts.get("publishing"):
        return
    if post.state != PostState.scheduled:
        return
    if counts.get("failed"):
        post.state = PostState.failed
    elif counts.get("published"):
        post.state = PostState.published
        post.published_at = now
    session.flush()
