"""Helpers of the inbox tests: the worker's cycles, a Mastodon channel read now."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.channels.base import Account, NotificationKind, RemoteRef
from palabre.channels.base import Notification as Incoming
from palabre.channels.sync_models import ChannelSync
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox.conversation_models import Conversation, Message
from palabre.inbox.ingest import store_notifications
from palabre.models import STATOR_MODELS
from palabre.stator import StatorRunner
from palabre.team.models import User


def run(rt: Runtime, minutes: float = 0) -> None:
    StatorRunner(rt.db, list(STATOR_MODELS), services=rt.worker_services()).run_once(
        utcnow() + timedelta(minutes=minutes)
    )


def read_now(rt: Runtime, minutes: float = 0) -> None:
    """The channels' next reading is due now; run the worker once."""
    with rt.db.transaction() as s:
        s.execute(ChannelSync.__table__.update().values(next_attempt_at=utcnow()))
    run(rt, minutes)


def conversations(rt: Runtime) -> list[tuple[Conversation, list[Message]]]:
    with rt.db.transaction(write=False) as s:
        convs = s.scalars(select(Conversation).order_by(Conversation.id)).all()
        out = []
        for c in convs:
            msgs = s.scalars(
                select(Message)
                .where(Message.conversation_id == c.id)
                .order_by(Message.created_at, Message.id)
            ).all()
            out.append((c, list(msgs)))
        s.expunge_all()
    return out


def person(session: Session, user_id: int) -> User:
    found = session.get(User, user_id)
    assert found is not None
    return found


_counter = itertools.count(1)


def incoming(
    text: str = "Bonjour, vous ouvrez dimanche ?",
    *,
    kind: str = "mention",
    author: str = "ana@example.org",
    post_id: str | None = None,
    parent: str | None = None,
    root: str | None = None,
    html: str | None = None,
    remote_id: str | None = None,
    at: datetime | None = None,
) -> Incoming:
    """A notification as an adapter hands it over."""
    n = next(_counter)
    post = post_id or f"p{n}"
    return Incoming(
        remote_id=remote_id or f"n{n}",
        kind=NotificationKind(kind),
        created_at=at or utcnow(),
        author=Account(id=author, handle=author, display_name=author.split("@")[0].title()),
        text=text,
        post=RemoteRef(post, f"https://example.org/@x/{post}") if kind not in ("follow",) else None,
        parent=RemoteRef(parent) if parent else None,
        root=RemoteRef(root) if root else None,
        html=html,
    )


def store(rt: Runtime, ws_id: int, channel_id: int, *items: Incoming) -> int:
    with rt.db.transaction() as s:
        return store_notifications(s.connection(), ws_id, channel_id, list(items))
