"""Times are stored in UTC and entered/shown in the workspace's timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones


def is_valid_timezone(name: str) -> bool:
    return name in available_timezones()


def local_to_utc(value: datetime, tz: str) -> datetime:
    """A wall-clock time in the workspace zone → UTC.

    A time that does not exist (the hour skipped in spring) is moved forward by the gap;
    an ambiguous one (the hour repeated in autumn) is the first of the two.
    """
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    # fold=0 (PEP 495): in a gap the offset from before the change applies, which lands
    # after the gap; in a repeated hour it picks the first occurrence.
    return value.replace(tzinfo=ZoneInfo(tz), fold=0).astimezone(UTC)


def utc_to_local(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


def parse_local(text: str, tz: str) -> datetime:
    """Parse '2026-03-29T02:30' (an <input type=datetime-local>) or any ISO-8601 time."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return local_to_utc(value, tz)


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """UTC start and end of a local calendar day (23 or 25 hours on DST days)."""
    start = local_to_utc(datetime.combine(day, time()), tz)
    end = local_to_utc(datetime.combine(day + timedelta(days=1), time()), tz)
    return start, end
