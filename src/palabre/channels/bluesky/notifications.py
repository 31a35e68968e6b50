"""Bluesky's notifications as Palabre's: kinds, refs, and the "newer than" cursor.

``listNotifications`` answers newest first, by pages. Palabre's cursor is not Bluesky's
paging cursor: it is the newest notification already returned (its time and the URIs at
that time), so each call pages back only until it reaches what was stored, and answers
oldest first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from atproto_core.uri import AtUri

from palabre.channels.base import Account, Notification, NotificationKind, RemoteRef

KINDS = {
    "mention": NotificationKind.mention,
    "reply": NotificationKind.reply,
    "quote": NotificationKind.quote,
    "follow": NotificationKind.follow,
    "like": NotificationKind.like,
    "repost": NotificationKind.repost,
}
MAX_PAGES = 100  # 10,000 notifications in one call at most; the rest at the next


def web_url(uri: str, handle: str | None = None) -> str:
    at = AtUri.from_str(uri)
    return f"https://bsky.app/profile/{handle or at.host}/post/{at.rkey}"


def parse_cursor(cursor: str | None) -> tuple[str, set[str]] | None:
    if not cursor:
        return None
    try:
        data = json.loads(cursor)
        return str(data["t"]), set(data["u"])
    except (ValueError, KeyError, TypeError):
        return None


def make_cursor(items: list[Any], previous: str | None) -> str | None:
    if not items:
        # Nothing yet: from now on everything is new (an empty time is before any other).
        return previous or json.dumps({"t": "", "u": []})
    newest = items[0].indexed_at
    uris = {n.uri for n in items if n.indexed_at == newest}
    stored = parse_cursor(previous)
    if stored and stored[0] == newest:  # more arrived at the very time already stored
        uris |= stored[1]
    return json.dumps({"t": newest, "u": sorted(uris)})


def newer_than(
    pages: Callable[[str | None], tuple[list[Any], str | None]], cursor: str | None, limit: int
) -> tuple[list[Any], bool]:
    """Raw notifications newer than the stored point, newest first; and whether some were
    left for the next call (more than ``MAX_PAGES`` pages)."""
    stored = parse_cursor(cursor)
    found: list[Any] = []
    page_cursor: str | None = None
    for _ in range(MAX_PAGES if stored else 1):
        items, page_cursor = pages(page_cursor)
        for item in items:
            if stored and item.indexed_at < stored[0]:
                return found, False
            if stored and item.indexed_at == stored[0] and item.uri in stored[1]:
                continue  # returned before; others at that same time may be new
            found.append(item)
        if not page_cursor or not items:
            return found, False
    return found, bool(stored)


def _ref(obj: Any, handle: str | None = None) -> RemoteRef | None:
    if obj is None or not getattr(obj, "uri", None):
        return None
    return RemoteRef(obj.uri, web_url(obj.uri, handle), getattr(obj, "cid", None))


def convert(item: Any, own_handle: str) -> Notification | None:
    kind = KINDS.get(item.reason)
    if kind is None:
        return None
    record = item.record
    author = Account(
        id=item.author.did,
        handle=item.author.handle,
        display_name=item.author.display_name,
        url=f"https://bsky.app/profile/{item.author.handle}",
        avatar_url=item.author.avatar,
    )
    text, post, subject, root, language = "", None, None, None, None
    parent = None
    reply = getattr(record, "reply", None)
    if kind in (NotificationKind.mention, NotificationKind.reply, NotificationKind.quote):
        text = getattr(record, "text", "") or ""
        post = RemoteRef(item.uri, web_url(item.uri, item.author.handle), item.cid)
        langs = getattr(record, "langs", None)
        language = langs[0] if langs else None
        root = _ref(reply.root) if reply else post
        parent = _ref(reply.parent) if reply else None
        if kind == NotificationKind.reply and reply:
            subject = _ref(reply.parent, own_handle)
    if subject is None and item.reason_subject and item.reason_subject.startswith("at://"):
        subject = RemoteRef(item.reason_subject, web_url(item.reason_subject, own_handle))
    return Notification(
        remote_id=item.uri,
        kind=kind,
        created_at=_parse_time(item.indexed_at),
        author=author,
        text=text,
        post=post,
        subject=subject,
        root=root,
        language=language,
        parent=parent,
    )


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def oldest_first(items: list[Any], own_handle: str) -> Iterator[Notification]:
    for item in reversed(items):
        converted = convert(item, own_handle)
        if converted is not None:
            yield converted
