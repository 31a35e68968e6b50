"""Business time: adding and measuring hours that count only while the team is open.

Pure functions over aware datetimes. The opening hours are local wall-clock times in the
workspace's timezone (``zoneinfo``): each day's opening and closing are turned into UTC
instants separately, so a day that changes to or from summer time simply has a longer or
shorter span, and amounts are real elapsed time inside the open spans.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS = 20 * 366  # further than this, the schedule is treated as never open


@dataclass(frozen=True)
class Schedule:
    """Open spans per weekday (0 = Monday) in minutes since local midnight, and closed dates."""

    timezone: str
    # weekday -> (opens, closes), minutes since midnight; a missing weekday is closed.
    hours: dict[int, tuple[int, int]]
    closed: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def opens_at_all(self) -> bool:
        return any(end > start for start, end in self.hours.values())


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    if minute >= 24 * 60:
        day, minute = day + timedelta(days=1), minute - 24 * 60
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return local.astimezone(UTC)


def spans(schedule: Schedule, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The open spans (UTC) that end after ``start``, in order, for up to MAX_DAYS."""
    zone = schedule.zone
    day = start.astimezone(zone).date() - timedelta(days=1)
    for _ in range(MAX_DAYS):
        span = schedule.hours.get(day.weekday())
        if span and span[1] > span[0] and day not in schedule.closed:
            opens, closes = _instant(day, span[0], zone), _instant(day, span[1], zone)
            if closes > start and closes > opens:
                yield max(opens, start), closes
        day += timedelta(days=1)


def add(schedule: Schedule, start: datetime, amount: timedelta) -> datetime:
    """The instant when ``amount`` of business time after ``start`` has passed. Never
    inside closed hours: with nothing left to count, the end of an open span at the latest."""
    left = amount
    for opens, closes in spans(schedule, start):
        if left <= closes - opens:
            return opens + left
        left -= closes - opens
    raise ValueError("The schedule has no opening hours.")


def between(schedule: Schedule, start: datetime, end: datetime) -> timedelta:
    """Business time elapsed from ``start`` to ``end`` (zero if ``end`` is earlier)."""
    total = timedelta(0)
    if end <= start:
        return total
    for opens, closes in spans(schedule, start):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total


def is_open(schedule: Schedule, at: datetime) -> bool:
    """Whether ``at`` falls inside an open span (its ends included)."""
    for opens, closes in spans(schedule, at - timedelta(microseconds=1)):
        return opens <= at <= closes
    return False
