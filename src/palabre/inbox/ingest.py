"""Storing what the networks said: once per channel and remote id, in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from palabre.channels.base import Notification as Incoming
from palabre.core.db import utcnow
from palabre.inbox import threads
from palabre.inbox.models import Notification
from palabre.inbox.sanitise import sanitise


def rows_for(workspace_id: int, channel_id: int, items: Sequence[Incoming]) -> list[dict[str, Any]]:
    now = utcnow()
    rows = []
    for n in items:
        rows.append(
            {
                "workspace_id": workspace_id,
                "channel_id": channel_id,
                "remote_id": n.remote_id[:500],
                "kind": str(n.kind),
                "created_at": n.created_at,
                "received_at": now,
                "author_id": n.author.id[:255],
                "author_handle": n.author.handle[:255],
                "author_name": (n.author.display_name or None) and n.author.display_name[:255],
                "author_url": n.author.url,
                "author_avatar": n.author.avatar_url,
                "text": n.text,
                "language": n.language,
                "post_id": n.post.id if n.post else None,
                "post_url": n.post.url if n.post else None,
                "post_cid": n.post.cid if n.post else None,
                "subject_id": n.subject.id if n.subject else None,
                "root_id": n.root.id if n.root else None,
                "root_cid": n.root.cid if n.root else None,
                "parent_id": n.parent.id[:500] if n.parent else None,
                "html": sanitise(n.html) if n.html else None,
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
