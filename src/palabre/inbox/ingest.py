"""Storing what the networks said: once per channel and remote id, in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from palabre.channels.base import Notification as Incoming
from palabre.channels.base import RemoteRef
from palabre.core.db import utcnow
from palabre.inbox import threads
from palabre.inbox.models import Notification
from palabre.inbox.sanitise import sanitise


def _cut(value: str | None, size: int) -> str | None:
    """A network's value cut to its column (PostgreSQL refuses longer ones); NUL
    characters, which PostgreSQL refuses in text, dropped."""
    return value.replace("\x00", "")[:size] if value else None


def _ref(ref: RemoteRef | None) -> tuple[str | None, str | None, str | None]:
    if ref is None:
        return None, None, None
    return _cut(ref.id, 500), _cut(ref.url, 1000), _cut(ref.cid, 255)


def rows_for(workspace_id: int, channel_id: int, items: Sequence[Incoming]) -> list[dict[str, Any]]:
    now = utcnow()
    rows = []
    for n in items:
        post_id, post_url, post_cid = _ref(n.post)
        root_id, _, root_cid = _ref(n.root)
        rows.append(
            {
                "workspace_id": workspace_id,
                "channel_id": channel_id,
                "remote_id": _cut(n.remote_id, 500) or "",
                "kind": str(n.kind),
                "created_at": n.created_at,
                "received_at": now,
                "author_id": _cut(n.author.id, 255) or "",
                "author_handle": _cut(n.author.handle, 255) or "",
                "author_name": _cut(n.author.display_name, 255),
                "author_url": _cut(n.author.url, 1000),
                "author_avatar": _cut(n.author.avatar_url, 1000),
                "text": (n.text or "").replace("\x00", ""),
                "language": _cut(n.language, 16),
                "post_id": post_id,
                "post_url": post_url,
                "post_cid": post_cid,
                "subject_id": _ref(n.subject)[0],
                "root_id": root_id,
                "root_cid": root_cid,
                "parent_id": _ref(n.parent)[0],
                "html": sanitise(n.html.replace("\x00", "")) if n.html else None,
            }
        )
    return rows


def store_notifications(
    conn: Connection, workspace_id: int, channel_id: int, items: Sequence[Incoming]
) -> int:
    """Insert what is new; a notification already stored is left as it is. Returns how
    many were new (on the caller's connection, inside its transaction). The new mentions,
    replies, quotes and direct messages become messages of conversations in the same
    transaction: a notification stored is a message threaded, once."""
    if not items:
        return 0
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    table = Notification.__table__
    stmt = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["channel_id", "remote_id"])
        .returning(table.c.id)
    )
    # One "insertmanyvalues" batch; RETURNING gives back only the rows inserted.
    new_ids = list(conn.execute(stmt, rows_for(workspace_id, channel_id, items)).scalars())
    threads.ingest_ids(conn, new_ids)
    return len(new_ids)
