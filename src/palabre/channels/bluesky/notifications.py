"""Bluesky's notifications as Palabre's: kinds, refs, and the "newer than" cursor.

``listNotifications`` answers newest first, by pages, sorted by a time the AppView gives
(``indexedAt``: the earlier of the record's creation and its indexing). A reply created on a
slow server can therefore be listed *below* notifications already read. Palabre's cursor is
not Bluesky's paging cursor: it is the newest time already read, and each call pages back
to ``GRACE`` before it — what is read twice is stored once (storage is idempotent on the
notification's URI), what was indexed late is not lost. A catch-up longer than
``MAX_PAGES`` pages keeps its place (the page to resume from and where to stop) in the
cursor, so the older part is read by the next calls.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
GRACE = timedelta(minutes=15)  # how late a notification may be indexed and still be read


def web_url(uri: str, handle: str | None = None) -> str:
    at = AtUri.from_str(uri)
    return f"https://bsky.app/profile/{handle or at.host}/post/{at.rkey}"


@dataclass(frozen=True)
class Cursor:
    newest: str  # the newest time read ("" when nothing was read yet: all is new)
    resume: str | None = None  # a catch-up in progress: the page to go on from…
    until: str | None = None  # …and the time it stops at

    def dump(self) -> str:
        data: dict[str, str] = {"t": self.newest}
        if self.resume:
            data |= {"p": self.resume, "f": self.until or ""}
        return json.dumps(data)

    def floor(self) -> str:
        """Where the next call stops: ``GRACE`` before the newest time read, or where a
        catch-up in progress stops ("": nowhere, all is new)."""
        if self.resume:
            return self.until or ""
        return _iso(_parse_time(self.newest) - GRACE) if self.newest else ""


def parse_cursor(cursor: str | None) -> Cursor | None:
    if not cursor:
        return None
    try:
        data = json.loads(cursor)
        cut = Cursor(str(data["t"]), data.get("p"), data.get("f"))
        if cut.newest:
            _parse_time(cut.newest)
        return cut
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass(frozen=True)
class Read:
    items: list[Any]  # newest first, the ones read twice within the grace included
    cursor: str
    more: bool  # a catch-up longer than ``MAX_PAGES`` pages goes on at the next call


def newer_than(
    pages: Callable[[str | None], tuple[list[Any], str | None]],
    cursor: str | None,
    max_pages: int = MAX_PAGES,
) -> Read:
    """Raw notifications from ``GRACE`` before the stored point (or where a catch-up
    stopped), newest first, and the cursor to store once they are stored."""
    stored = parse_cursor(cursor)
    if stored is None:  # the first call: from now on everything is new
        items, _ = pages(None)
        return Read(items, Cursor(items[0].indexed_at if items else "").dump(), False)
    until = stored.floor()
    stop = _parse_time(until) if until else None
    newest, page_cursor = stored.newest, stored.resume
    newest_at = _parse_time(newest) if newest else None
    found: list[Any] = []
    for _ in range(max_pages):
        items, page_cursor = pages(page_cursor)
        for item in items:
            at = _parse_time(item.indexed_at)
            if stop is not None and at < stop:
                return Read(found, Cursor(newest).dump(), False)
            if newest_at is None or at > newest_at:
                newest, newest_at = item.indexed_at, at
            found.append(item)
        if not page_cursor or not items:
            return Read(found, Cursor(newest).dump(), False)
    return Read(found, Cursor(newest, page_cursor, until).dump(), True)


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


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def oldest_first(items: list[Any], own_handle: str) -> Iterator[Notification]:
    for item in reversed(items):
        converted = convert(item, own_handle)
        if converted is not None:
            yield converted
