"""The fast path: a plain iCalendar reader and recurrence expansion with dateutil.

icalendar parses every property of every line into objects (about 18 µs a line) and
recurring-ical-events copies a component for every occurrence: a 10,000-event agenda took
8 CPU-seconds. This path reads only what an occurrence shows, expands RRULE/RDATE/EXDATE
with ``dateutil.rrule`` in the event's own wall-clock time (10:00 in Paris stays 10:00
across changes of time), and applies RECURRENCE-ID overrides itself.

It takes clean, common files only. Anything else raises ``Unsupported`` and the agenda goes
to the robust path (``library``), which gives the same shapes: an unknown TZID (a custom
VTIMEZONE), X-WR-TIMEZONE, RDATE periods, EXRULE, RANGE=THISANDFUTURE, a date or rule that
does not read, a value type that does not match DTSTART's, a damaged structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import FREQNAMES, rrule, rrulestr

from palabre.sources.agenda.common import (
    MARGIN,
    Details,
    check_count,
    default_end,
    details,
    in_order,
    occurrence,
    overlaps,
    too_frequent,
)
from palabre.sources.agenda.fastvalues import (
    Unsupported,
    Value,
    duration_of,
    instant,
    same_kind,
    unescape,
    value_of,
    values_of,
)
from palabre.sources.agenda.library import until_before
from palabre.sources.parsed import Occurrence

UNFOLD_RE = re.compile(r"\r?\n[ \t]")
NAME_RE = re.compile(r"^[A-Za-z0-9\-]+$")
WANTED = {
    "UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID",
    "SUMMARY", "DESCRIPTION", "X-ALT-DESC", "LOCATION", "URL", "STATUS",
}  # fmt: skip
REFUSED = {"EXRULE"}


@dataclass(slots=True)
class Event:
    props: dict[str, tuple[dict[str, str], str]] = field(default_factory=dict)
    rdates: list[tuple[dict[str, str], str]] = field(default_factory=list)
    exdates: list[tuple[dict[str, str], str]] = field(default_factory=list)
    # Read once, when the file is read (a value that does not read is found then):
    timing: Timing | None = None
    info: Details | None = None
    rule: rrule | None = None
    extra_starts: list[Value] = field(default_factory=list)
    excluded: set[object] = field(default_factory=set)
    original: Value | None = None  # the RECURRENCE-ID of an override


@dataclass(slots=True)
class Series:
    """One UID: its rule-bearing master (if any) and its overridden occurrences."""

    uid: str
    master: Event | None = None
    overrides: list[Event] = field(default_factory=list)


@dataclass(slots=True)
class FastCalendar:
    series: dict[str, Series]
    name: str | None


def read(text: str) -> FastCalendar:
    """The events of a clean iCalendar file, grouped by UID; ``Unsupported`` otherwise."""
    lines = UNFOLD_RE.sub("", text).splitlines()
    stack: list[str] = []
    series: dict[str, Series] = {}
    name: str | None = None
    current: Event | None = None
    for line in lines:
        if not line:
            continue
        prop, params, value = _split(line)
        if prop == "BEGIN":
            component = value.upper()
            # VCALENDAR only at the top, VEVENT only right inside it: nothing else is read.
            if (component == "VCALENDAR") != (not stack) or (
                component == "VEVENT" and stack != ["VCALENDAR"]
            ):
                raise Unsupported("components nested out of place")
            stack.append(component)
            if component == "VEVENT":
                current = Event()
            continue
        if prop == "END":
            if not stack or stack[-1] != value.upper():
                raise Unsupported("components out of order")
            if stack == ["VCALENDAR", "VEVENT"] and current is not None:
                _add(series, current)
                current = None
            stack.pop()
            continue
        if current is not None and len(stack) == 2:
            if prop in REFUSED:
                raise Unsupported(prop)
            if prop == "RDATE":
                current.rdates.append((params, value))
            elif prop == "EXDATE":
                current.exdates.append((params, value))
            elif prop in WANTED:
                if prop in current.props:
                    raise Unsupported(f"{prop} twice")  # the robust path counts it broken
                current.props[prop] = (params, value)
        elif stack == ["VCALENDAR"]:
            if prop == "X-WR-TIMEZONE":
                raise Unsupported(prop)
            if prop == "X-WR-CALNAME":
                name = unescape(value).strip() or None
    if stack or not lines or not lines[0].upper().startswith("BEGIN:VCALENDAR"):
        raise Unsupported("unbalanced components")
    return FastCalendar(series, name)


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """'DTSTART;TZID=Europe/Paris:20240302T100000' → ('DTSTART', {'TZID': ...}, value)."""
    head, colon, value = line.partition(":")
    if '"' in head:  # a quoted parameter may hold ':' or ';'
        return _split_quoted(line)
    if not colon:
        raise Unsupported("not a content line")
    name, *parts = head.split(";")
    if not NAME_RE.match(name):
        raise Unsupported("not a property name")
    params = {}
    for part in parts:
        key, _, val = part.partition("=")
        params[key.upper()] = val
    return name.upper(), params, value


def _split_quoted(line: str) -> tuple[str, dict[str, str], str]:
    params: dict[str, str] = {}
    match = re.match(r'^([A-Za-z0-9\-]+)((?:;[A-Za-z0-9\-]+=(?:"[^"]*"|[^";:,]*))*):(.*)$', line)
    if match is None:
        raise Unsupported("not a content line")
    for key, val in re.findall(r';([A-Za-z0-9\-]+)=("[^"]*"|[^";:,]*)', match.group(2)):
        params[key.upper()] = val.strip('"')
    return match.group(1).upper(), params, match.group(3)


def _add(series: dict[str, Series], event: Event) -> None:
    uid = unescape(event.props.get("UID", ({}, ""))[1]).strip()
    if not uid:
        raise Unsupported("no UID")
    _read_values(event)
    entry = series.setdefault(uid, Series(uid))
    if "RECURRENCE-ID" in event.props:
        if event.props["RECURRENCE-ID"][0].get("RANGE"):
            raise Unsupported("RANGE")
        event.original = value_of(*event.props["RECURRENCE-ID"])
        entry.overrides.append(event)
    elif entry.master is not None:
        raise Unsupported("two events with one UID")
    else:
        entry.master = event


def _read_values(event: Event) -> None:
    event.timing = timing = _timing(event)
    event.info = _details(event)
    first = timing.start
    if "RRULE" in event.props:
        event.rule = _rule(event.props["RRULE"][1], first)
    for extra in values_of(event.rdates):
        if not same_kind(first, extra):
            raise Unsupported("RDATE unlike DTSTART")
        event.extra_starts.append(extra)
    for value in values_of(event.exdates):
        if not same_kind(first, value):
            raise Unsupported("EXDATE unlike DTSTART")
        event.excluded.add(instant(value))


def _rule(rule_text: str, first: Value) -> rrule:
    all_day = not isinstance(first, datetime)
    dtstart = datetime(first.year, first.month, first.day) if all_day else first
    try:
        rule = rrulestr(f"RRULE:{rule_text}", dtstart=dtstart, ignoretz=False)
    except (ValueError, TypeError, OverflowError) as exc:
        raise Unsupported(f"RRULE {rule_text}") from exc
    if not isinstance(rule, rrule):
        raise Unsupported("not a single rule")
    if getattr(rule, "_interval", 1) < 1:  # dateutil would repeat DTSTART for ever
        raise Unsupported("RRULE INTERVAL below 1")  # the robust path reports it broken
    if (getattr(rule, "_count", None) or 0) < 0:
        raise Unsupported("RRULE COUNT below 0")
    # dateutil fills BYHOUR/BYMINUTE/BYSECOND from DTSTART where the rule leaves them out
    if too_frequent(
        FREQNAMES[rule._freq], rule._byhour, rule._byminute, rule._bysecond, rule._interval
    ):
        raise Unsupported("RRULE repeats more than every hour")  # the robust path: broken
    until = getattr(rule, "_until", None)  # dateutil keeps these there, and nowhere public
    if isinstance(until, datetime) and until_before(until, dtstart):
        raise Unsupported("RRULE ends before DTSTART")  # the robust path reports it broken
    return rule


# -- expansion -------------------------------------------------------------------------
@dataclass(slots=True)
class Timing:
    start: Value
    end: Value | None
    duration: timedelta


def _timing(event: Event) -> Timing:
    if "DTSTART" not in event.props:
        raise Unsupported("no DTSTART")
    start = value_of(*event.props["DTSTART"])
    if "DTEND" in event.props:
        end: Value | None = value_of(*event.props["DTEND"])
        if not same_kind(start, end):  # type: ignore[arg-type]
            raise Unsupported("DTEND unlike DTSTART")
    elif "DURATION" in event.props:
        end = start + duration_of(event.props["DURATION"][1])
    else:
        end = default_end(start)
    duration = (end - start) if end is not None else timedelta()
    if duration < timedelta():
        raise Unsupported("an event that ends before it starts")
    return Timing(start, end, duration)


def _details(event: Event) -> Details:
    def text(name: str) -> str | None:
        found = event.props.get(name)
        return unescape(found[1]) if found is not None else None

    return details(
        text("SUMMARY"),
        text("DESCRIPTION"),
        text("X-ALT-DESC"),
        text("LOCATION"),
        text("URL"),
        text("STATUS"),
    )


def expand(
    calendar: FastCalendar, zone: ZoneInfo, start: datetime, end: datetime
) -> list[Occurrence]:
    found: dict[tuple[str, str], Occurrence] = {}
    for series in calendar.series.values():
        for item in _series(series, zone, start, end):
            if overlaps(item, start, end):
                found[(item.uid, item.key)] = item
        check_count(len(found))
    return in_order(found)


def _series(series: Series, zone: ZoneInfo, start: datetime, end: datetime) -> list[Occurrence]:
    out: list[Occurrence] = []
    replaced = set()
    for override in series.overrides:
        assert override.timing is not None and override.info is not None
        assert override.original is not None
        replaced.add(instant(override.original))
        timing = override.timing
        out.append(
            occurrence(series.uid, override.original, timing.start, timing.end, override.info, zone)
        )
    master = series.master
    if master is None:
        return out
    assert master.timing is not None and master.info is not None
    timing = master.timing
    for when in _starts(master, timing, zone, start, end):
        if instant(when) in replaced:
            continue
        finish = when + timing.duration if timing.end is not None else None
        out.append(occurrence(series.uid, when, when, finish, master.info, zone))
    return out


def _starts(
    event: Event, timing: Timing, zone: ZoneInfo, start: datetime, end: datetime
) -> list[Value]:
    """The series' starts that may overlap [start, end), EXDATEs removed."""
    first = timing.start
    # DTSTART is always an occurrence, even off the rule's pattern (RFC 5545, 3.8.5.3).
    starts = [first]
    if event.rule is not None:
        starts += _rule_between(event.rule, first, *_window(first, timing, zone, start, end))
    starts.extend(event.extra_starts)
    seen: set[object] = set()
    kept = []
    for when in starts:
        mark = instant(when)
        if mark in event.excluded or mark in seen:
            continue
        seen.add(mark)
        kept.append(when)
    return kept


def _window(
    first: Value, timing: Timing, zone: ZoneInfo, start: datetime, end: datetime
) -> tuple[datetime, datetime]:
    """The window in the series' own terms, widened by the event's length and a day."""
    lo, hi = start - timing.duration - MARGIN, end + MARGIN
    if isinstance(first, datetime) and first.tzinfo is not None:
        return lo, hi
    return lo.astimezone(zone).replace(tzinfo=None), hi.astimezone(zone).replace(tzinfo=None)


def _rule_between(rule: rrule, first: Value, lo: datetime, hi: datetime) -> list[Value]:
    try:
        found = rule.between(lo, hi, inc=True)
    except (ValueError, TypeError, OverflowError) as exc:
        raise Unsupported("RRULE") from exc
    if not isinstance(first, datetime):
        return [d.date() for d in found]
    return list(found)
