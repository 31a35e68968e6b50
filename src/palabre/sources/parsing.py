"""The one place fetching and ingestion call the parsers (``feeds``, ``agenda``,
``discover``, ``text``, ``dedupe``), so their signatures are named once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from palabre.sources.parsed import Broken, FeedLink, Occurrence, ParsedFeed, SourceFormatError

# The agenda is kept over this window around now.
AGENDA_PAST = timedelta(days=30)
AGENDA_AHEAD = timedelta(days=400)

__all__ = ["SourceFormatError"]


def parse_feed(body: bytes, *, content_type: str | None, url: str | None) -> ParsedFeed:
    from palabre.sources.feeds import parse_feed as parse

    return parse(body, content_type=content_type or None, url=url or None)


def agenda_window(now: datetime) -> tuple[datetime, datetime]:
    return now - AGENDA_PAST, now + AGENDA_AHEAD


@dataclass(frozen=True)
class ParsedAgenda:
    occurrences: list[Occurrence]
    name: str | None  # X-WR-CALNAME
    broken: list[Broken] = field(default_factory=list)  # events that could not be read


def parse_agenda(body: bytes, now: datetime, tz: str) -> ParsedAgenda:
    """The agenda's occurrences over the window around ``now``; floating and all-day
    times are placed in ``tz`` (the workspace's zone)."""
    from palabre.sources.agenda import parse_agenda as parse

    agenda = parse(body, default_tz=tz)
    start, end = agenda_window(now)
    occurrences = agenda.occurrences(start, end)  # reading them may find broken events
    return ParsedAgenda(occurrences, agenda.name, agenda.broken)


def discover_feeds(body: bytes, *, url: str, content_type: str | None) -> list[FeedLink]:
    from palabre.sources.discover import BOM
    from palabre.sources.discover import discover_feeds as discover
    from palabre.sources.feeds.prepare import to_utf8

    # The page's charset often comes only in the HTTP header: transcode, and say so with a
    # byte-order mark (lxml reads a page without a declared charset as Latin-1).
    data, _ = to_utf8(body, content_type)
    return discover(data if data.startswith(BOM) else BOM + data, url)


def sanitize(html: str, base_url: str | None) -> str:
    from palabre.sources.text import sanitize_html

    return sanitize_html(html, base_url=base_url)


def to_text(html: str) -> str:
    from palabre.sources.text import html_to_text

    return html_to_text(html)


def canonical(url: str | None) -> str | None:
    if not url:
        return None
    from palabre.sources.dedupe import canonical_url

    return canonical_url(url)


def same_address(a: str | None, b: str | None) -> bool:
    """Whether two addresses are one, however written (``dedupe.address_key``)."""
    if not a or not b:
        return False
    from palabre.sources.dedupe import address_key

    return address_key(a) == address_key(b)


def fingerprint_of(text: str) -> int | None:
    from palabre.sources.dedupe import fingerprint

    return fingerprint(text) if text.strip() else None


def near(a: int, b: int) -> bool:
    from palabre.sources.dedupe import is_near_duplicate

    return bool(is_near_duplicate(a, b))


def looks_like_html(body: bytes) -> bool:
    """A web page rather than a feed (the person gave the site's address). By its body:
    a feed served as ``text/html`` (it happens) is still read as a feed."""
    from palabre.sources.discover import looks_like_html as html_start

    return html_start(body.lstrip())
