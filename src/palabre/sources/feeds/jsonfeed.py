"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import html
import json
from typing import Any

from palabre.core.i18n import N_
from palabre.sources.feeds.entries import (
    RawEntry,
    absolute,
    build_entry,
    clean_title,
    join_base,
    make_feed,
)
from palabre.sources.parsed import FeedEntry, ParsedFeed, SourceFormatError

NOT_JSON = N_("The feed is not valid JSON.")
NOT_JSON_FEED = N_("This JSON document is not a JSON Feed.")


def parse_json(data: bytes, url: str | None = None) -> ParsedFeed:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        raise SourceFormatError(NOT_JSON) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise SourceFormatError(NOT_JSON_FEED)
    version = str(doc.get("version", ""))
    if version and "jsonfeed.org" not in version:
        raise SourceFormatError(NOT_JSON_FEED)
    base = join_base(url, _str(doc.get("feed_url")))
    author = _author(doc)
    entries = [_item(item, base, author) for item in doc["items"] if isinstance(item, dict)]
    return make_feed(
        format="json",
        title=clean_title(_str(doc.get("title")) or ""),
        link=absolute(_str(doc.get("home_page_url")), base),
        entries=entries,
    )


def _item(item: dict[str, Any], base: str | None, author: str | None) -> FeedEntry:
    summary = _str(item.get("summary"))
    content_html = _str(item.get("content_html"))
    content_text = _str(item.get("content_text"))
    raw = RawEntry(
        guid=_str(item.get("id")),
        title=_str(item.get("title")) or "",
        link=_str(item.get("url")) or _str(item.get("external_url")),
        summary_html=html.escape(summary, quote=False) if summary else "",
        content_html=content_html or (_text_as_html(content_text) if content_text else ""),
        author=_author(item) or author,
        published=_str(item.get("date_published")),
        updated=_str(item.get("date_modified")),
        base=base,
    )
    tags = item.get("tags")
    if isinstance(tags, list):
        raw.categories = [t for t in (_str(t) for t in tags) if t]
    for key in ("image", "banner_image"):
        image = _str(item.get(key))
        if image:
            raw.images.append(image)
    for attachment in item.get("attachments") or []:
        if isinstance(attachment, dict):
            mime = _str(attachment.get("mime_type")) or ""
            url = _str(attachment.get("url"))
            if url and mime.startswith("image/"):
                raw.images.append(url)
    return build_entry(raw)


def _author(obj: dict[str, Any]) -> str | None:
    """1.1's ``authors`` list, else 1.0's ``author`` object."""
    authors = obj.get("authors")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        return _str(authors[0].get("name"))
    author = obj.get("author")
    if isinstance(author, dict):
        return _str(author.get("name"))
    return None


def _str(value: Any) -> str | None:
    """Strings as they are, numbers as text (ids are sometimes numbers), anything else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _text_as_html(text: str) -> str:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(
        "<p>" + html.escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs
    )
