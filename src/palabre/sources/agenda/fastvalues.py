"""The fast path's reading of iCalendar values: dates, date-times (UTC, zoned, floating),
lists of them, durations, escaped text. Whatever does not read raises ``Unsupported``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar.timezone import tzp

DATE_TIME_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")
DURATION_RE = re.compile(r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
TEXT_ESCAPES_RE = re.compile(r"\\([\\;,nN])")
UTC_ZONE = ZoneInfo("UTC")

Value = date | datetime


class Unsupported(Exception):
    """Not for the fast path: the robust path reads this agenda."""


def unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return TEXT_ESCAPES_RE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def zone_of(params: dict[str, str]) -> ZoneInfo | None:
    tzid = params.get("TZID")
    if tzid is None:
        return None
    zone = tzp.timezone(tzid)
    if not isinstance(zone, ZoneInfo):
        raise Unsupported(f"TZID {tzid}")
    return zone


def value_of(params: dict[str, str], text: str) -> Value:
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
    zone = UTC_ZONE if utc else zone_of(params)
    return value.replace(tzinfo=zone) if zone is not None else value


def values_of(entries: list[tuple[dict[str, str], str]]) -> list[Value]:
    out: list[Value] = []
    for params, text in entries:
        if params.get("VALUE", "").upper() == "PERIOD" or "/" in text:
            raise Unsupported("PERIOD")
        out.extend(value_of(params, part) for part in text.split(",") if part.strip())
    return out


def duration_of(text: str) -> timedelta:
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


def same_kind(a: Value, b: Value) -> bool:
    if isinstance(a, datetime) != isinstance(b, datetime):
        return False
    return not isinstance(a, datetime) or (a.tzinfo is None) == (b.tzinfo is None)  # type: ignore[union-attr]


def instant(value: Value) -> object:
    """What two starts are compared by: the instant, or the wall-clock time if floating."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value
