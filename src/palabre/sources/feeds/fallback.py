"""The robust path: feedparser, for feeds the fast path refuses (unescaped ``&``, HTML
entities without their DTD, tags left open...).

feedparser only ever sees what ``prepare`` made of the body: UTF-8 (its XML declaration
rewritten to say so), without DOCTYPE, handed over as a stream — never a string, which it
would take for a URL or a file name to open.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import feedparser

from palabre.core.i18n import N_
from palabre.sources.feeds.entries import (
    RawEntry,
    absolute,
    author_name,
    build_entry,
    clean_title,
    is_image,
    join_base,
    make_feed,
)
from palabre.sources.feeds.xmlfast import NOT_A_FEED
from palabre.sources.parsed import FeedEntry, ParsedFeed, SourceFormatError

NOT_WELL_FORMED = N_("The feed is not well-formed XML and could not be read.")
DECLARATION_RE = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
HEADERS = {"content-type": "application/xml; charset=utf-8"}
FORMATS = {"rss10": "rdf", "rss090": "rdf", "rss": "rss", "atom": "atom", "json": "json"}


def parse_with_feedparser(data: bytes, url: str | None = None) -> ParsedFeed:
    data = DECLARATION_RE.sub(rb"\1\2utf-8\2", data, count=1)
    result = feedparser.parse(
        io.BytesIO(data),
        response_headers=HEADERS,
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    feed = result.get("feed", {})
    entries = result.get("entries", [])
    version = result.get("version") or ""
    if not version and not entries:
        raise SourceFormatError(NOT_WELL_FORMED if result.get("bozo") else NOT_A_FEED)
    kind = next((v for k, v in FORMATS.items() if version.startswith(k)), "rss")
    base = join_base(url, _feed_base(feed))
    author = author_name(feed.get("author_detail", {}).get("name") or feed.get("author"))
    items = [_entry(e, base, author if kind == "atom" else None) for e in entries]
    title_detail = feed.get("title_detail") or {}
    return make_feed(
        format=kind,
        title=clean_title(feed.get("title", ""), "html" in title_detail.get("type", "")),
        link=absolute(_alternate(feed.get("links", [])), base),
        entries=items,
    )


def _feed_base(feed: dict[str, Any]) -> str | None:
    detail = feed.get("title_detail") or {}
    return detail.get("base") or None


def _entry(e: dict[str, Any], base: str | None, feed_author: str | None) -> FeedEntry:
    # feedparser notes the xml:base in force on each text it read.
    details = [e.get("summary_detail"), e.get("title_detail"), *(e.get("content") or [])]
    detail: dict[str, Any] = next((d for d in details if d and d.get("base")), {})
    raw = RawEntry(
        guid=e.get("id"),
        title=e.get("title", ""),
        title_is_html="html" in (e.get("title_detail") or {}).get("type", ""),
        link=_link(e),
        summary_html=_html(e.get("summary_detail")) if "summary" in e else "",
        content_html=_html(e["content"][0]) if e.get("content") else "",
        author=e.get("author") or (e.get("author_detail") or {}).get("name"),
        published=_raw_date(e, "published"),
        updated=_raw_date(e, "updated"),
        base=join_base(base, detail.get("base")) if detail.get("base") else base,
    )
    if raw.content_html and raw.summary_html == raw.content_html:
        raw.summary_html = ""  # feedparser copies content into summary when none was given
    raw.categories = [t.get("label") or t.get("term") or "" for t in e.get("tags", [])]
    for enclosure in e.get("enclosures", []):
        if is_image(enclosure.get("type"), enclosure.get("href")):
            raw.images.append(enclosure["href"])
    for media in e.get("media_content", []):
        if is_image(media.get("type"), media.get("url"), media.get("medium")):
            raw.images.append(media["url"])
    for thumb in e.get("media_thumbnail", []):
        if thumb.get("url"):
            raw.images.append(thumb["url"])
    image = e.get("image") or {}
    if image.get("href"):
        raw.images.append(image["href"])
    return build_entry(raw, default_author=feed_author)


def _alternate(links: list[dict[str, Any]]) -> str | None:
    """The last HTML alternate link, else the first alternate of any type."""
    alternates = [x for x in links if x.get("rel", "alternate") == "alternate" and x.get("href")]
    html_ones = [x for x in alternates if "html" in (x.get("type") or "text/html")]
    if html_ones:
        return str(html_ones[-1]["href"])
    return str(alternates[0]["href"]) if alternates else None


def _link(e: dict[str, Any]) -> str | None:
    found = _alternate(e.get("links", []))
    if found:
        return found
    link = e.get("link")
    if link and e.get("guidislink") and not link.startswith(("http://", "https://")):
        return None  # an id that is not a web address is not a link
    return link


def _html(detail: dict[str, Any] | None) -> str:
    if not detail:
        return ""
    value = detail.get("value", "")
    if "html" in detail.get("type", "text/html"):
        return value
    return html.escape(value, quote=False)


def _raw_date(e: dict[str, Any], key: str) -> str | None:
    """The date as the feed wrote it (read by the same code as the fast path), else the
    time feedparser made of it."""
    value = dict.get(e, key)  # not e.get: feedparser answers "updated" with "published"
    if value:
        return value
    parsed = dict.get(e, f"{key}_parsed")
    if parsed:
        year, month, day, hour, minute, second = parsed[:6]
        return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"
    return None
