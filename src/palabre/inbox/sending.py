"""What the worker does with a reply of ours (``inbox_sends``), like a delivery.

``queued``: wait while the channel is paused or needs reconnection, then ``sending``.
``sending`` talks to the network with the reply's idempotency key; a row claimed again
after a crash (``attempts > 1``) first asks the network whether that key already made
the reply (``find_published``), so a reply is never sent twice. The outcome is copied
onto the message in the write-back transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from palabre.channels.base import (
    AuthError,
    ChannelError,
    PermanentError,
    PublishRequest,
    RemoteRef,
)
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.services import adapter_for, record_error
from palabre.core.i18n import N_
from palabre.inbox.conversation_models import Message, MessageState
from palabre.stator import HandlerContext, TransientError
from palabre.team.models import Notice

log = logging.getLogger(__name__)


def _load(row: Any, ctx: HandlerContext) -> tuple[Channel | None, Message | None, Message | None]:
    with ctx.db.transaction(write=False) as session:
        channel = session.get(Channel, row.channel_id)
        message = session.get(Message, row.message_id)
        answered = (
            session.get(Message, message.reply_to_id) if message and message.reply_to_id else None
        )
        session.expunge_all()
    return channel, message, answered


def handle_queued(row: Any, ctx: HandlerContext) -> str | None:
    channel, message, _ = _load(row, ctx)
    if channel is None or message is None:
        row.last_error = N_("The channel or the message was removed.")
        return "failed"
    if channel.status != ChannelStatus.active:
        row.last_error = N_("Waiting: the channel is paused or needs reconnection.")
        return None
    return "sending"


def handle_sending(row: Any, ctx: HandlerContext) -> str | None:
    channel, message, answered = _load(row, ctx)
    if channel is None or message is None:
        row.last_error = N_("The channel or the message was removed.")
        return "failed"
    if answered is None or not answered.remote_id:
        row.last_error = N_("The message to answer is no longer known.")
        return "failed"
    adapter = adapter_for(
        channel, box=ctx.services.get("box"), db=ctx.db, net=ctx.services.get("net")
    )
    to = RemoteRef(answered.remote_id, answered.remote_url, answered.remote_cid)
    request = PublishRequest(message.text, row.idempotency_key, reply_to=to)
    try:
        result = adapter.find_published(request) if row.attempts > 1 else None
        if result is None:
            result = adapter.reply(to, message.text, row.idempotency_key)
    except AuthError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=True)
        row.last_error = N_("Waiting: the channel needs reconnection.")
        return "queued"
    except PermanentError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=False)
        row.last_error = str(exc)[:2000]
        return "failed"
    except TransientError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=False)
        raise
    except ChannelError as exc:
        _channel_error(ctx, channel.id, str(exc), needs_reconnect=False)
        raise TransientError(str(exc)) from exc
    row.remote_id = result.remote_id
    row.remote_url = result.remote_url
    row.remote_cid = result.cid
    row.sent_at = result.published_at
    row.last_error = None
    return "sent"


def _channel_error(
    ctx: HandlerContext, channel_id: int, message: str, *, needs_reconnect: bool
) -> None:
    with ctx.db.transaction() as session:
        record_error(session, channel_id, message, needs_reconnect=needs_reconnect)


def after_transitions(
    conn: Connection, changes: list[tuple[Any, str, str]], ctx: HandlerContext
) -> None:
    """The message shows what became of its reply: sent (with its link) or failed (and
    whoever wrote it is told)."""
    for row, _old, new in changes:
        if new == "sent":
            conn.execute(
                update(Message)
                .where(Message.id == row.message_id)
                .values(
                    state=MessageState.sent,
                    remote_id=row.remote_id,
                    remote_url=row.remote_url,
                    remote_cid=row.remote_cid,
                    last_error=None,
                )
            )
        elif new == "failed":
            conn.execute(
                update(Message)
                .where(Message.id == row.message_id)
                .values(state=MessageState.failed, last_error=row.last_error)
            )
            _tell_sender(conn, row)
        elif new == "queued":
            conn.execute(
                update(Message)
                .where(Message.id == row.message_id)
                .values(last_error=row.last_error)
            )


def _tell_sender(conn: Connection, row: Any) -> None:
    found = conn.execute(
        select(Message.workspace_id, Message.sent_by_id, Message.conversation_id).where(
            Message.id == row.message_id
        )
    ).first()
    if found is None or found.sent_by_id is None:
        return
    conn.execute(
        insert(Notice).values(
            workspace_id=found.workspace_id,
            user_id=found.sent_by_id,
            kind="inbox.reply_failed",
            message=N_("Your reply could not be sent: %(error)s"),
            params={"error": row.last_error or ""},
            link=f"/inbox/{found.conversation_id}",
        )
    )
