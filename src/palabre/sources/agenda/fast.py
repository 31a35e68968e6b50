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
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from icalendar.timezone import tzp

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
from palabre.sources.agenda.library import until_before
from palabre.sources.parsed import Occurrence

UNFOLD_RE = re.compile(r"\r?\n[ \t]")
DATE_TIME_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")
DURATION_RE = re.compile(r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
TEXT_ESCAPES_RE = re.compile(r"\\([\\;,nN])")
NAME_RE = re.compile(r"^[A-Za-z0-9\-]+$")
WANTED = {
    "UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID",
    "SUMMARY", "DESCRIPTION", "X-ALT-DESC", "LOCATION", "URL", "STATUS",
}  # fmt: skip
REFUSED = {"EXRULE"}
UTC_ZONE = ZoneInfo("UTC")

Value = date | datetime


class Unsupported(Exception):
    """Not for the fast path: the robust path reads this agenda."""


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
                name = _unescape(value).strip() or None
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
    uid = _unescape(event.props.get("UID", ({}, ""))[1]).strip()
    if not uid:
        raise Unsupported("no UID")
    _read_values(event)
    entry = series.setdefault(uid, Series(uid))
    if "RECURRENCE-ID" in event.props:
        if event.props["RECURRENCE-ID"][0].get("RANGE"):
            raise Unsupported("RANGE")
        event.original = _value(*event.props["RECURRENCE-ID"])
        entry.overrides.append(event)
    elif entry.master is not None:
        raise Unsupported("two events with one UID")
    else:
        entry.master = event


# -- values ----------------------------------------------------------------------------
def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return TEXT_ESCAPES_RE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _zone(params: dict[str, str]) -> ZoneInfo | None:
    tzid = params.get("TZID")
    if tzid is None:
        return None
    zone = tzp.timezone(tzid)
    if not isinstance(zone, ZoneInfo):
        raise Unsupported(f"TZID {tzid}")
    return zone


def _value(params: dict[str, str], text: str) -> Value:
    m = DATE_TIME_RE.match(text.strip())
    if m is None:
        raise Unsupported("a date that does not read")
    year, month, day, hour, minute, second, utc = m.groups()
    try:
        if hour is None:
            if params.get("VALUE", "DATE").upper() != "DATE":
                raise Unsupported("a date where a date-time was announced")
            return date(int(year), int(month), int(day))
        if params.get("VALUE", "DATE-TIME").upper() != "DATE-TIME":
            raise Unsupported("a date-time where a date was announced")
        value = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError as exc:
        raise Unsupported("an impossible date") from exc
    zone = UTC_ZONE if utc else _zone(params)
    return value.replace(tzinfo=zone) if zone is not None else value


def _values(entries: list[tuple[dict[str, str], str]]) -> list[Value]:
    out: list[Value] = []
    for params, text in entries:
        if params.get("VALUE", "").upper() == "PERIOD" or "/" in text:
            raise Unsupported("PERIOD")
        out.extend(_value(params, part) for part in text.split(",") if part.strip())
    return out


def _duration(text: str) -> timedelta:
    m = DURATION_RE.match(text.strip())
    if m is None or text.strip() in ("P", "PT"):
        raise Unsupported("a duration that does not read")
    sign, weeks, days, hours, minutes, seconds = m.groups()
    delta = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -delta if sign == "-" else delta


def _same_kind(a: Value, b: Value) -> bool:
    if isinstance(a, datetime) != isinstance(b, datetime):
        return False
    return not isinstance(a, datetime) or (a.tzinfo is None) == (b.tzinfo is None)  # type: ignore[union-attr]


def _instant(value: Value) -> object:
    """What two starts are compared by: the instant, or the wall-clock time if floating."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def _read_values(event: Event) -> None:
    event.timing = timing = _timing(event)
    event.info = _details(event)
    first = timing.start
    if "RRULE" in event.props:
        event.rule = _rule(event.props["RRULE"][1], first)
    for extra in _values(event.rdates):
        if not _same_kind(first, extra):
            raise Unsupported("RDATE unlike DTSTART")
        event.extra_starts.append(extra)
    for value in _values(event.exdates):
        if not _same_kind(first, value):
            raise Unsupported("EXDATE unlike DTSTART")
        event.excluded.add(_instant(value))


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
    parts = {k: v for k, v in (p.split("=", 1) for p in rule_text.upper().split(";") if "=" in p)}
    if too_frequent(
        parts.get("FREQ", ""),
        parts.get("BYHOUR", "").split(",") if parts.get("BYHOUR") else None,
        parts.get("BYMINUTE", "").split(",") if parts.get("BYMINUTE") else None,
        parts.get("BYSECOND", "").split(",") if parts.get("BYSECOND") else None,
        getattr(rule, "_interval", 1),
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
    start = _value(*event.props["DTSTART"])
    if "DTEND" in event.props:
        end: Value | None = _value(*event.props["DTEND"])
        if not _same_kind(start, end):  # type: ignore[arg-type]
            raise Unsupported("DTEND unlike DTSTART")
    elif "DURATION" in event.props:
        end = start + _duration(event.props["DURATION"][1])
    else:
        end = default_end(start)
    duration = (end - start) if end is not None else timedelta()
    if duration < timedelta():
        raise Unsupported("an event that ends before it starts")
    return Timing(start, end, duration)


def _details(event: Event) -> Details:
    def text(name: str) -> str | None:
        found = event.props.get(name)
        return _unescape(found[1]) if found is not None else None

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
        replaced.add(_instant(override.original))
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
        if _instant(when) in replaced:
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
        mark = _instant(when)
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
