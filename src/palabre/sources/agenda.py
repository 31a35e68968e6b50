"""Reading agendas: iCalendar (.ics) → the occurrences of its events in a window of time.

``parse_agenda`` reads the file (icalendar); ``Agenda.occurrences`` expands recurrences
(recurring-ical-events: RRULE, RDATE, EXDATE, RECURRENCE-ID overrides) and gives one
``Occurrence`` per event occurrence overlapping the window:

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
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events

from palabre.core.i18n import N_
from palabre.core.timeutil import local_to_utc
from palabre.sources.discover import looks_like_html
from palabre.sources.feeds.prepare import check_not_empty, to_utf8
from palabre.sources.parsed import Occurrence, SourceFormatError
from palabre.sources.text import html_to_text

NOT_ICS = N_("This file is not an iCalendar agenda (.ics).")
DAMAGED = N_("The agenda file is damaged and could not be read.")
WEB_PAGE = N_("This is a web page, not an agenda.")
STATUSES = {"CONFIRMED": "confirmed", "TENTATIVE": "tentative", "CANCELLED": "cancelled"}
HTML_RE = re.compile(r"<(?:p|br|div|a|b|i|em|strong|ul|ol|li|span|h\d)\b", re.IGNORECASE)
BLANK_LINES_RE = re.compile(r"\n{3,}")
# Events are looked for a day beyond each side of the window: floating and all-day times
# are only placed in UTC once their zone is known.
MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class Agenda:
    calendar: icalendar.Calendar
    default_tz: str = "UTC"
    name: str | None = None  # X-WR-CALNAME
    broken_events: int = 0  # events left out because a date or rule could not be read

    def occurrences(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Every occurrence overlapping [start, end) (aware datetimes), by start time."""
        query = recurring_ical_events.of(self.calendar, skip_bad_series=True)
        try:
            components = query.between(start - MARGIN, end + MARGIN)
        except Exception as exc:  # the library's errors are many and undocumented
            raise SourceFormatError(DAMAGED) from exc
        zone = _zone(self.default_tz)
        found: dict[tuple[str, str], Occurrence] = {}
        for component in components:
            occurrence = _occurrence(component, zone)
            if occurrence is None or not _overlaps(occurrence, start, end):
                continue
            found[(occurrence.uid, occurrence.key)] = occurrence
        return sorted(found.values(), key=lambda o: (o.starts_at, o.uid, o.key))


def parse_agenda(body: bytes, *, default_tz: str = "UTC") -> Agenda:
    """The agenda in ``body``; ``default_tz`` (the workspace's zone) places floating times
    and all-day events. Raises ``SourceFormatError`` with a plain message."""
    check_not_empty(body)
    data, _encoding = to_utf8(body)
    if looks_like_html(data):
        raise SourceFormatError(WEB_PAGE)
    if not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise SourceFormatError(NOT_ICS)
    try:
        calendar = icalendar.Calendar.from_ical(data.decode("utf-8"))
    except Exception as exc:  # ValueError mostly; a damaged file may raise anything
        raise SourceFormatError(DAMAGED) from exc
    if not isinstance(calendar, icalendar.Calendar):
        raise SourceFormatError(NOT_ICS)
    broken = _remove_broken_events(calendar)
    name = calendar.get("X-WR-CALNAME")
    return Agenda(calendar, default_tz, str(name).strip() if name else None, broken)


def _remove_broken_events(calendar: icalendar.Calendar) -> int:
    """Events whose dates or rules could not be read are left out (icalendar keeps them,
    with ``errors``); a file where every event is broken is damaged."""
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    broken = [e for e in events if getattr(e, "errors", None) or e.get("DTSTART") is None]
    if broken and len(broken) == len(events):
        raise SourceFormatError(DAMAGED)
    for event in broken:
        calendar.subcomponents.remove(event)
    return len(broken)


def _occurrence(event: Any, zone: ZoneInfo) -> Occurrence | None:
    start_prop = event.get("DTSTART")
    if start_prop is None:
        return None
    start = start_prop.dt
    original = event.get("RECURRENCE-ID")
    original_start = original.dt if original is not None else start
    all_day = not isinstance(start, datetime)
    end = _end(event, start, all_day)
    timezone = getattr(start.tzinfo, "key", None) if isinstance(start, datetime) else None
    return Occurrence(
        uid=_uid(event, original_start),
        key=_key(original_start),
        starts_at=_utc(start, zone),
        ends_at=_utc(end, zone) if end is not None and end != start else None,
        all_day=all_day,
        title=" ".join(str(event.get("SUMMARY", "")).split()),
        description=_description(event),
        location=_text_or_none(event.get("LOCATION")),
        url=_url(event.get("URL")),
        status=STATUSES.get(str(event.get("STATUS", "CONFIRMED")).upper(), "confirmed"),
        timezone=timezone,
    )


def _end(event: Any, start: date | datetime, all_day: bool) -> date | datetime | None:
    end = event.get("DTEND")
    if end is not None:
        return end.dt
    duration = event.get("DURATION")
    if duration is not None:
        return start + duration.dt
    return start + timedelta(days=1) if all_day else None


def _utc(value: date | datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):  # all day: local midnight
        return local_to_utc(datetime.combine(value, time()), zone.key)
    if value.tzinfo is None:  # floating
        return local_to_utc(value, zone.key)
    return value.astimezone(UTC)


def _key(original: date | datetime) -> str:
    if not isinstance(original, datetime):
        return original.isoformat()
    if original.tzinfo is None:
        return original.replace(microsecond=0).isoformat()
    return original.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _uid(event: Any, original: date | datetime) -> str:
    uid = str(event.get("UID", "")).strip()
    if uid:
        return uid[:900]
    # No UID (some hand-written files): the title and first start stand in.
    text = f"{event.get('SUMMARY', '')}|{original.isoformat()}"
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _description(event: Any) -> str:
    text = event.get("DESCRIPTION")
    if text is None:
        alt = event.get("X-ALT-DESC")
        return html_to_text(str(alt)) if alt is not None else ""
    text = str(text)
    if HTML_RE.search(text):
        return html_to_text(text)
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def _text_or_none(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _url(value: Any) -> str | None:
    text = _text_or_none(value)
    return text if text and text.startswith(("http://", "https://")) else None


def _overlaps(occurrence: Occurrence, start: datetime, end: datetime) -> bool:
    if occurrence.starts_at >= end:
        return False
    if occurrence.ends_at is None or occurrence.ends_at <= occurrence.starts_at:
        return occurrence.starts_at >= start
    return occurrence.ends_at > start


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
