"""Reading agendas: iCalendar (.ics) → the occurrences of its events in a window of time.

``parse_agenda`` reads the file; ``Agenda.occurrences`` expands recurrences (RRULE, RDATE,
EXDATE, RECURRENCE-ID overrides) and gives one ``Occurrence`` per event occurrence
overlapping the window:

- times in UTC; an event's own zone (TZID with its VTIMEZONE, an IANA name, or a Windows
  name icalendar maps) is kept by name; a *floating* time (no zone) is read in the
  agenda's ``X-WR-TIMEZONE`` if it has one, else in ``default_tz`` (the workspace's);
- all-day events (DATE values) start at local midnight in ``default_tz``;
- an occurrence's ``key`` is its *original* start — what RECURRENCE-ID names — so a moved
  occurrence keeps its key, and the key is the same at every fetch: the UTC time
  (``2024-03-23T09:00:00Z``), the date for all-day events (``2024-03-23``), the local time
  without zone for floating ones (``2024-03-23T10:00:00``);
- a cancelled event or occurrence (STATUS:CANCELLED) is returned with status
  ``"cancelled"``, not dropped: reminders must learn about the cancellation. An occurrence
  removed by EXDATE is simply absent.

Two paths give the same occurrences: ``fast`` (a plain reader and dateutil, for clean
common files) and ``library`` (icalendar + recurring-ical-events, for everything else).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import icalendar

from palabre.sources.agenda import fast, library
from palabre.sources.agenda.common import DAMAGED, NOT_ICS, WEB_PAGE, zone_named
from palabre.sources.discover import looks_like_html
from palabre.sources.feeds.prepare import check_not_empty, to_utf8
from palabre.sources.parsed import Broken, Occurrence, SourceFormatError

__all__ = ["DAMAGED", "Agenda", "parse_agenda"]


@dataclass
class Agenda:
    text: str = field(repr=False)
    default_tz: str = "UTC"
    name: str | None = None  # X-WR-CALNAME
    # Events left out because a date or rule could not be read when the file was read, then
    # (after ``occurrences``) also the series whose rule broke when it was expanded.
    broken: list[Broken] = field(default_factory=list)
    fast_calendar: fast.FastCalendar | None = field(default=None, repr=False)
    calendar: icalendar.Calendar | None = field(default=None, repr=False)
    unreadable: list[Broken] = field(default_factory=list, repr=False)  # found when read

    def __post_init__(self) -> None:
        self.unreadable = list(self.broken)

    def occurrences(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Every occurrence overlapping [start, end) (aware datetimes), by start time.
        A series whose rule breaks is not skipped in silence: it is added to ``broken``."""
        zone = zone_named(self.default_tz)
        if self.fast_calendar is not None:
            try:
                return fast.expand(self.fast_calendar, zone, start, end)
            except fast.Unsupported:  # a rule dateutil refuses: the robust path judges it
                self.fast_calendar = None
        found, bad_series = library.expand(self._library_calendar(), zone, start, end)
        self.broken = [*self.unreadable, *bad_series]
        return found

    @property
    def broken_events(self) -> int:
        return len(self.broken)

    def _library_calendar(self) -> icalendar.Calendar:
        if self.calendar is None:
            self.calendar, self.unreadable = library.read(self.text)
            self.broken = list(self.unreadable)
        return self.calendar


def parse_agenda(body: bytes, *, default_tz: str = "UTC", robust: bool = False) -> Agenda:
    """The agenda in ``body``; ``default_tz`` (the workspace's zone) places floating times
    and all-day events. ``robust=True`` skips the fast path (tests, comparisons). Raises
    ``SourceFormatError`` with a plain message."""
    check_not_empty(body)
    data, _encoding = to_utf8(body)
    if looks_like_html(data):
        raise SourceFormatError(WEB_PAGE)
    if not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise SourceFormatError(NOT_ICS)
    text = data.decode("utf-8", errors="replace").lstrip()
    if not robust:
        try:
            found = fast.read(text)
        except fast.Unsupported:
            pass
        else:
            return Agenda(text, default_tz, found.name, fast_calendar=found)
    calendar, broken = library.read(text)
    name = calendar.get("X-WR-CALNAME")
    return Agenda(text, default_tz, str(name).strip() if name else None, broken, None, calendar)
