"""The dry run as a calendar: weeks of days (workspace time), each with its posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from palabre.automations.dryrun import DryRun, Would
from palabre.core.timeutil import utc_to_local


@dataclass
class Day:
    day: date
    inside: bool  # within the dry run's 30 days
    posts: list[tuple[str, Would]] = field(default_factory=list)  # (local HH:MM, post)


def month_weeks(result: DryRun, tz: str) -> list[list[Day]]:
    first = utc_to_local(result.start, tz).date()
    last = utc_to_local(result.end, tz).date()
    by_day = result.by_day(tz)
    start = first - timedelta(days=first.weekday())
    weeks: list[list[Day]] = []
    day = start
    while day <= last:
        week = []
        for _ in range(7):
            posts = sorted(
                (utc_to_local(p.when, tz).strftime("%H:%M"), p)
                for p in by_day.get(day, [])
                if p.when is not None
            )
            week.append(Day(day, first <= day <= last, posts))
            day += timedelta(days=1)
        weeks.append(week)
    return weeks
