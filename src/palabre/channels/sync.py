"""Reading a channel: notifications since the stored cursor, metrics of recent posts.

Notifications are stored before the cursor moves on (the cursor is written back after):
a crash in between reads them again, and storing is idempotent — nothing is lost and
nothing is stored twice. A channel that is paused or needs reconnection is not read; its
row waits until the channel is resumed or reconnected (which makes it due at once).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from palabre.channels.base import (
    AuthError,
    ChannelAdapter,
    ChannelError,
    RemoteRef,
    TransientError,
)
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.services import adapter_for, record_error, record_rate_limit
from palabre.inbox.ingest import store_notifications
from palabre.stator import HandlerContext

log = logging.getLogger(__name__)

POLL_EVERY = timedelta(seconds=60)
MORE_SOON = timedelta(seconds=2)  # the network said there is more to read
IDLE_WAIT = timedelta(minutes=15)  # paused or needing reconnection: woken by hand
METRICS_EVERY = timedelta(hours=1)
METRICS_WINDOW = timedelta(days=30)
METRICS_BATCH = 100
SERVER_EVERY = timedelta(days=1)


def handle_polling(row: Any, ctx: HandlerContext) -> str | None:
    with ctx.db.transaction(write=False) as session:
        channel = session.get(Channel, row.channel_id)
        if channel is not None:
            session.expunge(channel)
    if channel is None:
        return "stopped"
    if channel.status != ChannelStatus.active:
        row.next_attempt_at = ctx.now + IDLE_WAIT
        return None
    adapter = adapter_for(
        channel, box=ctx.services.get("box"), db=ctx.db, net=ctx.services.get("net")
    )
    try:
        more = _read_notifications(row, channel, adapter, ctx)
        if row.metrics_due_at is None or row.metrics_due_at <= ctx.now:
            _read_metrics(channel, adapter, ctx)
            row.metrics_due_at = ctx.now + METRICS_EVERY
        if row.server_due_at is None or row.server_due_at <= ctx.now:
            _refresh_server_settings(channel, adapter, ctx)
            row.server_due_at = ctx.now + SERVER_EVERY
    except AuthError as exc:
        _error(ctx, channel.id, exc, needs_reconnect=True)
        row.next_attempt_at = ctx.now + IDLE_WAIT
        return None
    except TransientError as exc:
        _error(ctx, channel.id, exc, needs_reconnect=False)
        raise
    except ChannelError as exc:
        _error(ctx, channel.id, exc, needs_reconnect=False)
        raise TransientError(str(exc)) from exc
    finally:
        if adapter.rate_limit is not None:
            with ctx.db.transaction() as session:
                record_rate_limit(session, channel.id, adapter.rate_limit)
    row.last_checked_at = ctx.now
    row.last_error = None
    row.next_attempt_at = ctx.now + (MORE_SOON if more else POLL_EVERY)
    return None


def _read_notifications(
    row: Any, channel: Channel, adapter: ChannelAdapter, ctx: HandlerContext
) -> bool:
    page = adapter.fetch_notifications(row.cursor)
    if page.notifications:
        with ctx.db.transaction() as session:
            new = store_notifications(
                session.connection(), channel.workspace_id, channel.id, page.notifications
            )
        log.info("channel %s: %s notifications, %s new", channel.id, len(page.notifications), new)
    if page.cursor is not None:
        row.cursor = page.cursor
    return page.more


def _read_metrics(channel: Channel, adapter: ChannelAdapter, ctx: HandlerContext) -> None:
    if not adapter.capabilities().metrics:
        return
    from palabre.publishing.models import Delivery  # (publishing imports channels)

    with ctx.db.transaction(write=False) as session:
        rows = session.execute(
            select(Delivery.id, Delivery.remote_id, Delivery.remote_url, Delivery.remote_cid)
            .where(
                Delivery.channel_id == channel.id,
                Delivery.state == "published",
                Delivery.remote_id.is_not(None),
                Delivery.published_at >= ctx.now - METRICS_WINDOW,
            )
            .order_by(Delivery.published_at.desc())
            .limit(METRICS_BATCH)
        ).all()
    if not rows:
        return
    refs = [RemoteRef(r.remote_id, r.remote_url, r.remote_cid) for r in rows]
    found = adapter.fetch_metrics(refs)
    with ctx.db.transaction() as session:
        for r in rows:
            metrics = found.get(r.remote_id)
            if metrics is None:
                continue
            session.execute(
                update(Delivery)
                .where(Delivery.id == r.id)
                .values(metrics=dict(metrics.__dict__), metrics_at=ctx.now)
            )


def _refresh_server_settings(
    channel: Channel, adapter: ChannelAdapter, ctx: HandlerContext
) -> None:
    """A server's limits change (an admin raises the character limit): read them daily."""
    learnt = adapter.server_settings()
    if not learnt or all(channel.settings.get(k) == v for k, v in learnt.items()):
        return
    with ctx.db.transaction() as session:
        row = session.get(Channel, channel.id)
        if row is not None:
            row.settings = {**(row.settings or {}), **learnt}


def _error(ctx: HandlerContext, channel_id: int, exc: Exception, *, needs_reconnect: bool) -> None:
    with ctx.db.transaction() as session:
        record_error(session, channel_id, str(exc), needs_reconnect=needs_reconnect)
