"""Rendered page fragments kept in memory, never stale: each is stored with the data
version of its workspace (``workspaces.content_version``) and served only while that
version is unchanged.

The version is bumped in the same transaction as any change a page may show:

- every ORM flush that adds, changes or deletes a post, its variants, images or
  deliveries, a channel, a person or the workspace marks the workspace; the bump is one
  ``UPDATE`` just before the commit (so the workspace row is locked last and briefly);
- code that writes those tables with plain SQL bumps explicitly (``bump``), as the
  worker's write-back does when it settles posts.

A page reads the version *before* its data (``data_version``): a change committed in
between gives a fragment at least as new as its version, never older. Each web process
has its own cache; the version in the database keeps them all right.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Any

from sqlalchemy import Connection, event, inspect, select, update
from sqlalchemy.orm import Session

from palabre.team.models import User, Workspace

_MARKED = "palabre_pagecache_workspaces"  # session.info: workspaces to bump at commit
_MARKED_POSTS = "palabre_pagecache_posts"  # session.info: posts whose workspace to bump


# What the cache holds: text, or text already encoded (in pieces, as pages.py keeps it).
Fragment = str | bytes | tuple[bytes, ...] | tuple[tuple[bytes, ...], ...]


def weight(value: Fragment) -> int:
    """The room a fragment takes: characters or bytes."""
    if isinstance(value, str | bytes):
        return len(value)
    return sum(weight(part) for part in value)


class PageCache:
    """A thread-safe LRU of rendered fragments, bounded by their total size in characters."""

    def __init__(self, max_chars: int = 16_000_000) -> None:
        self.max_chars = max_chars
        self._items: OrderedDict[Hashable, tuple[int, Any, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, version: int) -> Any:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != version:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[1]

    def put(self, key: Hashable, version: int, value: Fragment) -> None:
        size = weight(value)
        if size > self.max_chars // 4:
            return  # one page never takes most of the room
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[2]
            self._items[key] = (version, value, size)
            self._size += size
            while self._size > self.max_chars:
                _, (_, _, dropped) = self._items.popitem(last=False)
                self._size -= dropped

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._items)


def data_version(session: Session, workspace_id: int) -> int:
    """The workspace's data version: read it before the page's own queries."""
    return int(
        session.scalar(select(Workspace.content_version).where(Workspace.id == workspace_id)) or 0
    )


def bump(conn: Connection | Session, workspace_ids: Iterable[int]) -> None:
    """Every cached fragment of these workspaces is out of date (same transaction as the
    change itself)."""
    ids = sorted(set(workspace_ids))
    if ids:
        conn.execute(
            update(Workspace.__table__)  # type: ignore[arg-type]
            .where(Workspace.__table__.c.id.in_(ids))
            .values(content_version=Workspace.__table__.c.content_version + 1)
        )


# -- the ORM changes that mark a workspace -------------------------------------------------
def _tracked() -> tuple[tuple[type[Any], ...], tuple[type[Any], ...]]:
    """(classes with a workspace_id, classes with a post_id), imported late: this module is
    imported by the publishing package itself."""
    from palabre.channels.models import Channel
    from palabre.publishing.models import Delivery, Post, PostImage, PostVariant

    return (Post, Channel, User), (PostVariant, PostImage, Delivery)


# A channel's health and secrets, which the worker writes often (after each call to its
# network, on each refreshed session), show on no cached page: changing only them keeps
# the pages.
_CHANNEL_UNSHOWN = frozenset(
    {
        "last_success_at",
        "last_error",
        "last_error_at",
        "rate_limit_limit",
        "rate_limit_remaining",
        "rate_limit_reset_at",
        "secrets_encrypted",
    }
)


def _only_unshown_changed(obj: Any) -> bool:
    from palabre.channels.models import Channel

    if not isinstance(obj, Channel):
        return False
    state = inspect(obj)
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    return changed <= _CHANNEL_UNSHOWN


def _after_flush(session: Session, _context: Any) -> None:
    with_workspace, with_post = _tracked()
    dirty = [obj for obj in session.dirty if not _only_unshown_changed(obj)]
    for obj in (*session.new, *dirty, *session.deleted):
        if isinstance(obj, Workspace):
            session.info.setdefault(_MARKED, set()).add(obj.id)
        elif isinstance(obj, with_workspace):
            session.info.setdefault(_MARKED, set()).add(obj.workspace_id)
        elif isinstance(obj, with_post):
            session.info.setdefault(_MARKED_POSTS, set()).add(obj.post_id)


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    marked: set[int] = session.info.pop(_MARKED, set())
    posts: set[int] = session.info.pop(_MARKED_POSTS, set())
    if posts:
        from palabre.publishing.models import Post

        ids = sorted(posts)
        marked |= set(session.scalars(select(Post.workspace_id).where(Post.id.in_(ids))))
    if marked:
        bump(session.connection(), marked)


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_MARKED, None)
    session.info.pop(_MARKED_POSTS, None)


def install() -> None:
    """Listen to every session's flushes (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _forget)


install()
