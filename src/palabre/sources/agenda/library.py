"""The robust path: icalendar reads the file, recurring-ical-events expands it.

Used for every agenda the fast path (``fast``) does not take: custom VTIMEZONEs,
X-WR-TIMEZONE, PERIOD values, EXRULE, overrides of "this and future" occurrences, damaged
events (left out and counted) — whatever the libraries know and the fast path does not.

A damaged event is reported (``Broken``, by UID and title), never dropped in silence: its
known occurrences must not look removed. Some are found when the file is read (a date or
rule icalendar cannot read, a rule that ends before the event starts), the others when
their series is expanded (a rule dateutil refuses: ``BYHOUR=99``, ``INTERVAL=0``, no
``FREQ``...): the agenda is then expanded series by series, and the series that fail are
reported instead of skipped.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from palabre.sources.agenda.common import (
    DAMAGED,
    MARGIN,
    NOT_ICS,
    check_count,
    default_end,
    details,
    in_order,
    occurrence,
    overlaps,
    too_frequent,
    uid_of,
)
from palabre.sources.parsed import Broken, Occurrence, SourceFormatError

TIMING = {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
# Each series gives at most ~10,000 dates in the window (MAX_PER_DAY); more series than
# this are expanded one by one, their dates counted as they come.
SERIES_AT_ONCE = 20
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
    return [_broken([event]) for event in broken]


def _text(value: Any) -> str | None:
    return " ".join(str(value).split())[:200] or None if value is not None else None


def _is_broken(event: Any) -> bool:
    """A date or rule that could not be read (a damaged DTSTAMP or other bookkeeping does
    not matter), a rule that ends before its event starts, or a property written twice
    that may appear once."""
    errors = getattr(event, "errors", None) or []
    if event.get("DTSTART") is None or any(str(e[0]).upper() in TIMING for e in errors):
        return True
    # A property that may appear once, written twice: icalendar makes it a list.
    if any(isinstance(event.get(name), list) for name in SINGLE):
        return True
    return _bad_rule(event.get("RRULE"), event["DTSTART"].dt)


def _bad_rule(rule: Any, start: Any) -> bool:
    """An INTERVAL below 1 (dateutil would repeat the first start for ever, filling the
    memory), or UNTIL before DTSTART: the series contradicts itself (recurring-ical-events
    gives no occurrence at all, dateutil the first one) — a broken series, not an ended one."""
    rules = rule if isinstance(rule, list) else [] if rule is None else [rule]
    for one in rules:  # RRULE twice is rare, but recurring-ical-events expands both
        interval = (one.get("INTERVAL") or [1])[0]
        if not isinstance(interval, int) or interval < 1:
            return True
        freq = str((one.get("FREQ") or [""])[0])
        hour, minute, second = (one.get(k) for k in ("BYHOUR", "BYMINUTE", "BYSECOND"))
        if too_frequent(freq, hour, minute, second, interval):
            return True
        until = (one.get("UNTIL") or [None])[0]
        if isinstance(until, date) and isinstance(start, date) and until_before(until, start):
            return True
    return False


def until_before(until: date, start: date) -> bool:
    """Whether UNTIL comes before DTSTART, whatever their kinds (date, floating, zoned)."""
    if not isinstance(until, datetime) or not isinstance(start, datetime):
        return _day(until) < _day(start)
    if (until.tzinfo is None) != (start.tzinfo is None):  # compared as wall-clock times
        return until.replace(tzinfo=None) < start.replace(tzinfo=None)
    return until < start


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def expand(
    calendar: icalendar.Calendar, zone: ZoneInfo, start: datetime, end: datetime
) -> tuple[list[Occurrence], list[Broken]]:
    """The occurrences overlapping [start, end), and the series that could not be expanded."""
    lo, hi = start - MARGIN, end + MARGIN
    broken: list[Broken] = []
    recurring = sum(1 for c in calendar.walk("VEVENT") if c.get("RRULE") is not None)
    if recurring > SERIES_AT_ONCE:  # their dates counted as they come: see MAX_OCCURRENCES
        components, broken = _series_by_series(calendar, lo, hi)
    else:
        try:
            components = recurring_ical_events.of(calendar).between(lo, hi)
        except Exception:  # the library's errors are many and undocumented
            components, broken = _series_by_series(calendar, lo, hi)
    check_count(len(components))
    found: dict[tuple[str, str], Occurrence] = {}
    for component in components:
        item = _occurrence(component, zone)
        if item is not None and overlaps(item, start, end):
            found[(item.uid, item.key)] = item
    return in_order(found), broken


def _series_by_series(
    calendar: icalendar.Calendar, lo: datetime, hi: datetime
) -> tuple[list[Any], list[Broken]]:
    """Expand each series (the events of one UID) alone: those that fail are reported,
    not skipped. Every series failing is a damaged agenda."""
    others = [c for c in calendar.subcomponents if c.name != "VEVENT"]
    groups: dict[object, list[Any]] = {}
    for event in (c for c in calendar.subcomponents if c.name == "VEVENT"):
        uid = _text(event.get("UID"))
        groups.setdefault(uid if uid is not None else id(event), []).append(event)
    components: list[Any] = []
    broken: list[Broken] = []
    for events in groups.values():
        alone = icalendar.Calendar(calendar)  # its properties (X-WR-TIMEZONE...)
        alone.subcomponents = [*others, *events]
        try:
            components += recurring_ical_events.of(alone).between(lo, hi)
        except Exception:
            broken.append(_broken(events))
        check_count(len(components))
    if len(broken) == len(groups):
        raise SourceFormatError(DAMAGED)
    return components, broken


def _broken(events: list[Any]) -> Broken:
    """The series by its UID and its title (the master's: the event without RECURRENCE-ID)."""
    master = next((e for e in events if e.get("RECURRENCE-ID") is None), events[0])
    return Broken(_text(master.get("UID")), _text(master.get("SUMMARY")))


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
