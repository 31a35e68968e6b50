"""Link cards: the title, description and picture a page gives of itself (``og:`` tags).

Read through the guarded fetcher (``core/fetch.py``): only addresses the administrator's
network policy allows, each redirect checked again, the connection made to the address
checked; 5 s, 1 MB at most, 3 redirects. Any failure means no card — never a failed post.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from palabre.core.fetch import FetchError, FetchResult, Limits, fetcher_for
from palabre.core.netpolicy import NetPolicy

log = logging.getLogger(__name__)
TIMEOUT = 5.0
MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
MAX_THUMB_BYTES = 950_000  # Bluesky refuses thumbnails over 1,000,000 bytes
ACCEPT = "text/html,application/xhtml+xml"
LIMITS = Limits(max_bytes=MAX_BYTES, total_seconds=TIMEOUT, max_redirects=MAX_REDIRECTS)


@dataclass(frozen=True)
class Card:
    uri: str
    title: str
    description: str
    image_url: str | None = None


class _MetaParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            name = (values.get("property") or values.get("name") or "").lower()
            if name and name not in self.meta and values.get("content"):
                self.meta[name] = values["content"].strip()
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse_card(url: str, html: str) -> Card | None:
    parser = _MetaParser()
    parser.feed(html)
    meta = parser.meta
    title = meta.get("og:title") or meta.get("twitter:title") or " ".join(parser.title.split())
    description = meta.get("og:description") or meta.get("description") or ""
    if not title and not description:
        return None
    image = meta.get("og:image") or meta.get("twitter:image")
    return Card(url, title[:300], description[:1000], urljoin(url, image) if image else None)


def fetch(url: str, net: NetPolicy, *, max_bytes: int = MAX_BYTES) -> FetchResult | None:
    """GET ``url`` through the guarded fetcher (every address checked, redirects too,
    the connection pinned to the checked address), or None."""
    try:
        return fetcher_for(net, LIMITS).get(url, accept=ACCEPT, max_bytes=max_bytes)
    except FetchError as e:
        log.info("no link card for %s: %s", url, e)
    return None


def read_card(url: str, net: NetPolicy) -> Card | None:
    response = fetch(url, net)
    if response is None or "html" not in (response.content_type or "html"):
        return None
    try:
        return parse_card(url, response.text)
    except Exception:  # a page we cannot read gives no card
        log.info("unreadable page for a link card: %s", url, exc_info=True)
        return None


def read_thumbnail(card: Card, net: NetPolicy) -> tuple[bytes, str] | None:
    if not card.image_url:
        return None
    response = fetch(card.image_url, net, max_bytes=MAX_THUMB_BYTES)
    if response is None:
        return None
    if not response.content_type.startswith("image/"):
        return None
    return response.body, response.content_type
