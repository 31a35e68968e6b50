"""Statuses as publish results, and finding the one a request made among recent ones."""

from __future__ import annotations

from typing import Any

from palabre.channels.base import PublishResult
from palabre.channels.mastodon import convert


def id_key(value: Any) -> tuple[int, str]:
    text = str(value)
    return (len(text), text)  # numeric ids of any length, or opaque ones, in order


def oldest_match(
    statuses: list[dict[str, Any]], text: str, parent: str | None, spoiler: str, images: int
) -> dict[str, Any] | None:
    """The first status made with this text, warning and number of images, answering
    ``parent`` (None: not a reply)."""
    matches = [
        s
        for s in statuses
        if (str(s["in_reply_to_id"]) if s.get("in_reply_to_id") else None) == parent
        and (s.get("spoiler_text") or "") == spoiler
        and len(s.get("media_attachments") or []) == images
        and convert.same_text(s.get("content"), text)
    ]
    return min(matches, key=lambda s: id_key(s["id"])) if matches else None


def result(statuses: list[dict[str, Any]]) -> PublishResult:
    first = statuses[0]
    return PublishResult(
        remote_id=str(first["id"]),
        remote_url=first.get("url") or first.get("uri"),
        published_at=convert.parse_time(first.get("created_at")),
        parts=tuple(convert.ref(s) for s in statuses),
    )
