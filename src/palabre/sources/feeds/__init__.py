"""Reading feeds: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.x → ``ParsedFeed``.

``parse_feed`` sorts out the encoding and disarms any DOCTYPE (``prepare``), then reads the
document with lxml (``xmlfast``, the fast path) or ``json``; an XML document lxml refuses
goes to feedparser (``fallback``), which forgives what real feeds get wrong. Both paths give
the same shapes, cleaned up by the same code (``entries``).
"""

from __future__ import annotations

from palabre.core.i18n import N_
from palabre.sources.discover import looks_like_html
from palabre.sources.feeds.fallback import NOT_WELL_FORMED, parse_with_feedparser
from palabre.sources.feeds.jsonfeed import parse_json
from palabre.sources.feeds.prepare import (
    check_not_empty,
    disarm_doctype,
    repair,
    to_utf8,
)
from palabre.sources.feeds.xmlfast import NOT_A_FEED, NotWellFormed, parse_xml
from palabre.sources.parsed import ParsedFeed, SourceFormatError

__all__ = ["parse_feed", "parse_feed_fast", "parse_feed_robust"]

WEB_PAGE = N_("This is a web page, not a feed.")


def parse_feed(
    body: bytes, *, content_type: str | None = None, url: str | None = None
) -> ParsedFeed:
    """The feed in ``body``; ``content_type`` (its HTTP header) helps with the encoding and
    ``url`` (where it was fetched) resolves relative links. Raises ``SourceFormatError``
    with a plain message when it is not a feed Palabre can read."""
    data, entities, kind = _prepare(body, content_type)
    if kind == "json":
        return parse_json(data, url)
    try:
        return parse_xml(data, url)
    except NotWellFormed:
        pass
    data = repair(data, entities)
    try:
        return parse_xml(data, url)
    except NotWellFormed:
        return parse_with_feedparser(data, url)


def parse_feed_fast(
    body: bytes, *, content_type: str | None = None, url: str | None = None
) -> ParsedFeed:
    """The fast path alone (lxml): ``SourceFormatError`` where ``parse_feed`` would fall
    back. For tests and benchmarks."""
    data, entities, kind = _prepare(body, content_type)
    if kind == "json":
        return parse_json(data, url)
    for attempt in (data, repair(data, entities)):
        try:
            return parse_xml(attempt, url)
        except NotWellFormed:
            continue
    raise SourceFormatError(NOT_WELL_FORMED)


def parse_feed_robust(
    body: bytes, *, content_type: str | None = None, url: str | None = None
) -> ParsedFeed:
    """The robust path alone (feedparser, after the same preparation). For tests."""
    data, entities, kind = _prepare(body, content_type)
    if kind == "json":
        return parse_json(data, url)
    return parse_with_feedparser(repair(data, entities), url)


def _prepare(body: bytes, content_type: str | None) -> tuple[bytes, dict[bytes, bytes], str]:
    check_not_empty(body)
    data, _encoding = to_utf8(body, content_type)
    start = data.lstrip()[:1]
    if start in (b"{", b"["):
        return data, {}, "json"
    if looks_like_html(data):
        raise SourceFormatError(WEB_PAGE)
    if start != b"<":
        raise SourceFormatError(NOT_A_FEED)
    data, entities = disarm_doctype(data)
    return data, entities, "xml"
