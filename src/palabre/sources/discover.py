"""A web page instead of a feed: find the feeds it advertises.

``<link rel="alternate" type="application/rss+xml" href="...">`` in the page's head is how
sites say "my news is also here" (WordPress, Drupal, SPIP, Joomla all write it).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from palabre.sources.parsed import FeedLink

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
    "application/rdf+xml": "rdf",
}
HTML_START_RE = re.compile(
    rb"^(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
BOM = b"\xef\xbb\xbf"


def looks_like_html(body: bytes) -> bool:
    """Whether ``body`` (UTF-8 or ASCII-compatible bytes) starts like a web page rather than
    a feed: ``<!DOCTYPE html>``, ``<html>``, ``<head>``... (XHTML pages included)."""
    head = body[:4096]
    if head.startswith(BOM):
        head = head[3:]
    return HTML_START_RE.match(head) is not None


def discover_feeds(html: bytes, base_url: str) -> list[FeedLink]:
    """The feeds a page advertises, in the page's order, with absolute http(s) URLs, each
    once. ``base_url`` is where the page was fetched (a ``<base href>`` overrides it)."""
    if not html or not html.strip():
        return []
    try:
        doc = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for element in doc.iter("base"):
        href = element.get("href")
        if href:
            base = _join(base_url, href) or base_url
        break
    found: dict[str, FeedLink] = {}
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        mime = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rels or mime not in FEED_TYPES:
            continue
        url = _join(base, link.get("href") or "")
        if url is None or url in found or (mime == "application/json" and "/wp-json/" in url):
            continue  # WordPress advertises its REST API as "alternate" JSON: not a feed
        title = " ".join((link.get("title") or "").split()) or None
        found[url] = FeedLink(url=url, title=title, type=mime)
    return list(found.values())


def _join(base: str, href: str) -> str | None:
    href = href.strip()
    if not href:
        return None
    try:
        url = urljoin(base, href)
        scheme = urlsplit(url).scheme
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None
