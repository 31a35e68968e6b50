"""The calendar's grid (week or month, in the workspace timezone) and drag-and-drop moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from palabre.core.errors import FieldErrors
from palabre.core.timeutil import day_bounds, local_to_utc, parse_local, utc_to_local
from palabre.publishing.models import Post
from palabre.publishing.queries import calendar_time

VIEWS = ("week", "month")
# Hours a week grid always shows; hours holding a post are added.
DAY_HOURS = range(7, 23)
DEFAULT_HOUR = 9


@dataclass
class Placed:
    post: Post
    local: datetime  # its time on the calendar, in the workspace zone


@dataclass
class Grid:
    view: str
    anchor: date
    today: date
    days: list[date]  # every day shown, in order
    previous: date
    following: date
    posts: dict[date, list[Placed]] = field(default_factory=dict)

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]

    @property
    def weeks(self) -> list[list[date]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def hours(self) -> list[int]:
        used = {p.local.hour for placed in self.posts.values() for p in placed}
        return sorted(set(DAY_HOURS) | used)

    def at(self, day: date, hour: int) -> list[Placed]:
        return [p for p in self.posts.get(day, []) if p.local.hour == hour]

    def on(self, day: date) -> list[Placed]:
        return self.posts.get(day, [])

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.posts.values())


def parse_day(text: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(text) if text else fallback
    except ValueError:
        return fallback


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def grid_for(view: str, anchor: date, today: date) -> Grid:
    if view == "month":
        first = anchor.replace(day=1)
        next_month = (first + timedelta(days=32)).replace(day=1)
        start = monday_of(first)
        end = monday_of(next_month - timedelta(days=1)) + timedelta(days=7)
        previous = (first - timedelta(days=1)).replace(day=1)
        following = next_month
    else:
        start = monday_of(anchor)
        end = start + timedelta(days=7)
        previous, following = start - timedelta(days=7), end
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    return Grid(view, anchor, today, days, previous, following)


def utc_range(grid: Grid, tz: str) -> tuple[datetime, datetime]:
    return day_bounds(grid.first, tz)[0], day_bounds(grid.last, tz)[1]


def place(grid: Grid, posts: list[Post], tz: str) -> Grid:
    for post in posts:
        when = calendar_time(post)
        if when is None:
            continue
        local = utc_to_local(when, tz)
        grid.posts.setdefault(local.date(), []).append(Placed(post, local))
    return grid


def noon(day: date, tz: str) -> datetime:
    """Midday of a local day, as a UTC time: what date labels are formatted from."""
    return local_to_utc(datetime.combine(day, time(12)), tz)


def move_target(post: Post, tz: str, *, day: str | None, moment: str | None) -> datetime:
    """The UTC time a post dropped on ``day`` (same time of day, as the month view does) or
    on ``moment`` (a local 'YYYY-MM-DDTHH:MM', as the week view does) is moved to."""
    errors = FieldErrors()
    try:
        if moment:
            return parse_local(moment, tz)
        if day:
            target = date.fromisoformat(day)
            when = calendar_time(post)
            clock = utc_to_local(when, tz).time() if when else time(DEFAULT_HOUR)
            # Combine as a wall-clock time, then convert: 10:00 stays 10:00 across DST.
            return local_to_utc(datetime.combine(target, clock), tz)
    except ValueError:
        pass
    errors.add("scheduled_at", "Choose a day or a time to move the post to.")
    errors.raise_if_any()
    raise AssertionError("unreachable")
