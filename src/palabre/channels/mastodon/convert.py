"""Mastodon's JSON entities as Palabre's: accounts, notifications, plain text."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from palabre.channels.base import Account, Notification, NotificationKind, RemoteRef

# The notification types Palabre reads (others — poll, update, admin.* — are skipped).
TYPES = ("mention", "favourite", "reblog", "follow", "quote")


class _Text(HTMLParser):
    """Status HTML to plain text: tags dropped (never interpreted), <br> and paragraphs
    as line breaks, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str | None) -> str:
    parser = _Text()
    parser.feed(content or "")
    parser.close()
    return "".join(parser.parts).strip()


def same_text(content: str | None, text: str) -> bool:
    """A status's HTML says the same as ``text`` (whitespace aside)."""
    return " ".join(html_to_text(content).split()) == " ".join(text.split())


def parse_time(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def account(data: dict[str, Any], server: str) -> Account:
    acct = str(data.get("acct") or data.get("username") or data["id"])
    if "@" not in acct:
        acct = f"{acct}@{urlsplit(server).hostname or server}"
    return Account(
        id=str(data["id"]),
        handle=acct,
        display_name=data.get("display_name") or None,
        url=data.get("url"),
        avatar_url=data.get("avatar"),
    )


def ref(status: dict[str, Any]) -> RemoteRef:
    return RemoteRef(str(status["id"]), status.get("url") or status.get("uri"))


def notification(data: dict[str, Any], server: str) -> Notification | None:
    """One of Palabre's notifications, or None for a type it does not read."""
    kind_name = data.get("type")
    status = data.get("status") or None
    base: dict[str, Any] = {
        "remote_id": str(data["id"]),
        "created_at": parse_time(data.get("created_at")),
        "author": account(data["account"], server),
    }
    if kind_name == "follow":
        return Notification(kind=NotificationKind.follow, **base)
    if status is None:
        return None
    if kind_name in ("favourite", "reblog"):
        kind = NotificationKind.like if kind_name == "favourite" else NotificationKind.repost
        return Notification(kind=kind, subject=ref(status), **base)
    text = html_to_text(status.get("content"))
    spoiler = status.get("spoiler_text") or ""
    if spoiler:
        text = f"{spoiler}\n\n{text}"
    parent_id = status.get("in_reply_to_id")
    common = {
        **base,
        "text": text,
        "post": ref(status),
        "language": status.get("language"),
        "html": status.get("content") or None,
        "parent": RemoteRef(str(parent_id)) if parent_id else None,
    }
    if kind_name == "quote":
        quoted = (status.get("quote") or {}).get("quoted_status") or None
        return Notification(
            kind=NotificationKind.quote, subject=ref(quoted) if quoted else None, **common
        )
    if kind_name != "mention":
        return None
    # Mastodon does not name a thread's root: the inbox follows ``parent`` to the
    # conversation it already holds (a status without a parent starts its own).
    subject = common["parent"]
    if status.get("visibility") == "direct":
        kind = NotificationKind.direct_message
    elif parent_id:
        kind = NotificationKind.reply
    else:
        kind = NotificationKind.mention
    return Notification(kind=kind, subject=subject, **common)
