"""The robust path: icalendar reads the file, recurring-ical-events expands it.

Used for every agenda the fast path (``fast``) does not take: custom VTIMEZONEs,
X-WR-TIMEZONE, PERIOD values, EXRULE, overrides of "this and future" occurrences, damaged
events (left out and counted) — whatever the libraries know and the fast path does not.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from palabre.sources.agenda.common import (
    DAMAGED,
    MARGIN,
    NOT_ICS,
    default_end,
    details,
    in_order,
    occurrence,
    overlaps,
    uid_of,
)
from palabre.sources.parsed import Broken, Occurrence, SourceFormatError

TIMING = {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
SINGLE = ("UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SUMMARY", "STATUS")


def read(text: str) -> tuple[icalendar.Calendar, list[Broken]]:
    """The calendar, and the events left out because they could not be read."""
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as exc:  # ValueError mostly; a damaged file may raise anything
        raise SourceFormatError(DAMAGED) from exc
    if not isinstance(calendar, icalendar.Calendar):
        raise SourceFormatError(NOT_ICS)
    return calendar, _remove_broken_events(calendar)


def _remove_broken_events(calendar: icalendar.Calendar) -> list[Broken]:
    """Events whose dates or rules could not be read are left out (icalendar keeps them,
    with ``errors``); a file where every event is broken is damaged."""
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    broken = [e for e in events if _is_broken(e)]
    if broken and len(broken) == len(events):
        raise SourceFormatError(DAMAGED)
    for event in broken:
        calendar.subcomponents.remove(event)
    return [Broken(_text(event.get("UID")), _text(event.get("SUMMARY"))) for event in broken]


def _text(value: Any) -> str | None:
    return " ".join(str(value).split())[:200] or None if value is not None else None


def _is_broken(event: Any) -> bool:
    """A date or rule that could not be read (a damaged DTSTAMP or other bookkeeping does
    not matter), or a property written twice that may appear once."""
    errors = getattr(event, "errors", None) or []
    if event.get("DTSTART") is None or any(str(e[0]).upper() in TIMING for e in errors):
        return True
    # A property that may appear once, written twice: icalendar makes it a list.
    return any(isinstance(event.get(name), list) for name in SINGLE)


def expand(
    calendar: icalendar.Calendar, zone: ZoneInfo, start: datetime, end: datetime
) -> list[Occurrence]:
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        components = query.between(start - MARGIN, end + MARGIN)
    except Exception as exc:  # the library's errors are many and undocumented
        raise SourceFormatError(DAMAGED) from exc
    found: dict[tuple[str, str], Occurrence] = {}
    for component in components:
        item = _occurrence(component, zone)
        if item is not None and overlaps(item, start, end):
            found[(item.uid, item.key)] = item
    return in_order(found)


def _occurrence(event: Any, zone: ZoneInfo) -> Occurrence | None:
    start_prop = event.get("DTSTART")
    if start_prop is None:
        return None
    start = start_prop.dt
    original = event.get("RECURRENCE-ID")
    original_start = original.dt if original is not None else start
    info = details(
        event.get("SUMMARY"),
        event.get("DESCRIPTION"),
        event.get("X-ALT-DESC"),
        event.get("LOCATION"),
        event.get("URL"),
        event.get("STATUS"),
    )
    uid = uid_of(event.get("UID"), event.get("SUMMARY"), original_start)
    return occurrence(uid, original_start, start, _end(event, start), info, zone)


def _end(event: Any, start: Any) -> Any:
    end = event.get("DTEND")
    if end is not None:
        return end.dt
    duration = event.get("DURATION")
    if duration is not None:
        return start + duration.dt
    return default_end(start)


__all__ = ["expand", "read"]
