"""What every parsing path does the same way, so they give the same ``FeedEntry``."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from palabre.sources.feeds.dates import parse_date
from palabre.sources.parsed import FeedEntry, ParsedFeed
from palabre.sources.text import html_to_text

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")
IMG_RE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
EMAIL_NAME_RE = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
NAME_EMAIL_RE = re.compile(r"^\s*(.+?)\s*[<(]\S+@[^\s)>]+[>)]\s*$")
MAX_GUID = 500


@dataclass(slots=True)
class RawEntry:
    """An entry as read, before the common clean-up (filled by each path)."""

    guid: str | None = None
    title: str = ""
    title_is_html: bool = False
    link: str | None = None
    summary_html: str = ""
    content_html: str = ""
    categories: list[str] = field(default_factory=list)
    author: str | None = None
    images: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    base: str | None = None
    seen: set[str] = field(default_factory=set)

    def first(self, name: str) -> bool:
        """Whether this is the first such element. A feed that repeats an element keeps,
        on both paths, what feedparser keeps: the first title, summary and content; the
        last link, id, date and author."""
        if name in self.seen:
            return False
        self.seen.add(name)
        return True


def build_entry(raw: RawEntry, default_author: str | None = None) -> FeedEntry:
    base = raw.base
    link = absolute(raw.link, base)
    published, updated = parse_date(raw.published), parse_date(raw.updated)
    title = clean_title(raw.title, raw.title_is_html)
    summary = raw.summary_html or raw.content_html
    image = next((u for u in (absolute(i, base) for i in raw.images) if u), None)
    if image is None and (raw.summary_html or raw.content_html):
        m = IMG_RE.search(raw.summary_html) or IMG_RE.search(raw.content_html)
        image = absolute(m.group(1), base) if m else None
    return FeedEntry(
        guid=make_guid(raw.guid, link, title, summary),
        title=title,
        link=link,
        summary_html=summary.strip(),
        categories=unique(raw.categories),
        author=author_name(raw.author) or default_author,
        image_url=image,
        published=published or updated,
        updated=updated or published,
        base_url=base if summary.strip() else None,
    )


def make_feed(format: str, title: str, link: str | None, entries: list[FeedEntry]) -> ParsedFeed:
    """The feed, without the entries that say nothing (an empty ``<item/>``, a truncated
    one the robust path salvaged)."""
    kept = [e for e in entries if e.title or e.summary_html or e.link or not _hashed(e.guid)]
    return ParsedFeed(format=format, title=title, link=link, entries=kept)


def _hashed(guid: str) -> bool:
    return guid.startswith("sha256:")


def clean_title(raw: str, is_html: bool = False) -> str:
    """Plain text. RSS titles are text by the spec, but many carry escaped HTML or
    entities (``&amp;eacute;``): whatever looks like markup is read as HTML."""
    if is_html or "<" in raw or "&" in raw:
        return html_to_text(raw).replace("\n", " ")
    return " ".join(raw.split())


def make_guid(guid: str | None, link: str | None, title: str, summary: str) -> str:
    """The entry's own id, else its link, else a hash of what it says."""
    value = (guid or "").strip() or link or ""
    if value and len(value) <= MAX_GUID:
        return value
    text = value or f"{title}\n{summary.strip()}"
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    if base:
        try:
            return urljoin(base, url)
        except ValueError:
            return None
    return url


def join_base(base: str | None, xml_base: str | None) -> str | None:
    """``xml:base`` applied to the base in force; one that does not lead to a web address
    is ignored, as feedparser does."""
    if not xml_base:
        return base
    joined = absolute(xml_base, base)
    return joined if joined and joined.startswith(("http://", "https://")) else base


def author_name(raw: str | None) -> str | None:
    """'jane@example.org (Jane Doe)', 'Jane Doe <jane@example.org>' and
    'Jane Doe (jane@example.org)' → 'Jane Doe'."""
    if not raw:
        return None
    raw = " ".join(raw.split())
    if "@" not in raw:
        return raw or None
    m = EMAIL_NAME_RE.match(raw) or NAME_EMAIL_RE.match(raw)
    return (m.group(1).strip() if m else raw) or None


def unique(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join(value.split())
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


def is_image(mime: str | None, url: str | None, medium: str | None = None) -> bool:
    if medium:
        return medium == "image"
    if mime:
        return mime.strip().lower().startswith("image/")
    return bool(url) and url.lower().split("?")[0].endswith(IMAGE_EXTENSIONS)  # type: ignore[union-attr]
