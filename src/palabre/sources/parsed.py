"""What the parsers hand to the rest of Palabre: plain, immutable shapes.

The parsers (``sources.feeds``, ``sources.agenda``) turn bytes into these; ingestion
(``sources.ingest``) stores them as ``SourceItem`` and ``AgendaOccurrence`` rows. Nothing
here touches the database or the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class SourceFormatError(ValueError):
    """The body is not a feed / agenda Palabre can read; ``str(error)`` is a plain message.

    ``message`` is the English msgid (marked with ``N_`` where it is raised) and ``params``
    its parameters, so the message can be translated where it is shown:
    ``tr.gettext(error.message, **error.params)``.
    """

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(message % self.params if self.params else message)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    guid: str  # the entry's own id, or a stable stand-in (link, then a hash of its text)
    title: str
    link: str | None = None
    summary_html: str = ""  # as the feed gave it: NOT sanitised; see sources.text
    categories: tuple[str, ...] = ()
    author: str | None = None
    image_url: str | None = None
    published: datetime | None = None  # aware, UTC (when only updated is known: that)
    updated: datetime | None = None  # aware, UTC (never changed: when published)
    # What relative links inside ``summary_html`` are relative to (xml:base, the feed's URL).
    base_url: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    format: str  # "rss", "atom", "json", "rdf"
    title: str
    link: str | None = None  # the site the feed belongs to
    entries: list[FeedEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a web page advertises with <link rel="alternate">."""

    url: str
    title: str | None
    type: str


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of an agenda event (a single event has exactly one)."""

    uid: str
    key: str  # stable per occurrence: the RECURRENCE-ID (or start) as ISO text
    starts_at: datetime  # aware, UTC (all-day: local midnight in the agenda's zone)
    ends_at: datetime | None
    all_day: bool
    title: str
    description: str = ""  # plain text
    location: str | None = None
    url: str | None = None
    status: str = "confirmed"  # "confirmed", "tentative", "cancelled"
    timezone: str | None = None  # the event's own zone name, when it has one


@dataclass(frozen=True, slots=True)
class Broken:
    """An agenda event that could not be read (a date or a rule): left out of the
    occurrences, and its known occurrences left as they were — it is not removed."""

    uid: str | None  # None when even its UID could not be read
    title: str | None
