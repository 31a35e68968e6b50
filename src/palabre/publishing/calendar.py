"""The calendar's grid (week or month, in the workspace timezone) and drag-and-drop moves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from palabre.core.errors import FieldErrors
from palabre.core.timeutil import day_bounds, local_to_utc, parse_local, utc_to_local
from palabre.publishing.models import Post, PostState
from palabre.publishing.queries import CalendarEntry, calendar_time
from palabre.publishing.rights import EDITABLE, can_publish
from palabre.team.models import Role, User

VIEWS = ("day", "week", "month")
# Hours a week grid always shows; hours holding a post are added.
DAY_HOURS = range(7, 23)
DEFAULT_HOUR = 9
# How many posts a crowded place shows before "+N more" (a link to the day's page, which
# shows them all): a day of the month, an hour of the week, a day of the week's phone list.
MONTH_PER_DAY = 4
WEEK_PER_HOUR = 3
LIST_PER_DAY = 6
# Characters of a post's text an entry shows (its link's title has a little more).
SHORT = 60


@dataclass(slots=True)
class Placed:
    post: CalendarEntry
    local: datetime  # its time on the calendar, in the workspace zone
    movable: bool = False

    @property
    def clock(self) -> str:
        return f"{self.local.hour:02d}:{self.local.minute:02d}"

    @property
    def short(self) -> str:
        return clip(self.post.excerpt, SHORT)


@dataclass(frozen=True)
class EntryLinks:
    """What every calendar entry of a page shares: its links' patterns and labels."""

    post: str  # the post's page, with {id} for its id
    edit: str  # its editor ("Move to…"), with {id}
    move_label: str
    state_labels: dict[str, str]

    def html(self, placed: Placed) -> Markup:
        """One post on the calendar: a compact entry, draggable when its reader may move it
        (app.js reads data-post-id, data-version, data-minute and [data-time]).

        Written here rather than in a template macro: a crowded week shows hundreds of
        entries, and a macro call costs several times this."""
        p = placed.post
        title = escape(f"{self.state_labels.get(p.state, p.state)} — {p.excerpt}")
        drag = move = ""
        if placed.movable:
            drag = (
                f' draggable="true" data-post-id="{p.id}" data-version="{p.version}"'
                f' data-minute="{placed.local.minute}"'
            )
            edit = escape(self.edit.replace("{id}", str(p.id)))
            move = f' <a class="move" href="{edit}">{escape(self.move_label)}</a>'
        # Safe: every string put in is escaped here; the rest are numbers.
        return Markup(  # noqa: S704
            f'<div class="cal-post state-{escape(p.state)}"{drag}>'
            f'<a href="{escape(self.post.replace("{id}", str(p.id)))}" title="{title}">'
            f"<time data-time>{placed.clock}</time> "
            f'<span class="cal-text">{escape(placed.short)}</span></a>{move}</div>'
        )


def clip(text: str, length: int) -> str:
    """``text`` on one line, cut at a word boundary to about ``length`` characters."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


@dataclass
class Grid:
    view: str
    anchor: date
    today: date
    days: list[date]  # every day shown, in order
    previous: date
    following: date
    posts: dict[date, list[Placed]] = field(default_factory=dict)
    slots: dict[tuple[date, int], list[Placed]] = field(default_factory=dict)

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
        return sorted(set(DAY_HOURS) | {hour for _, hour in self.slots})

    @property
    def per_slot(self) -> int | None:
        """How many posts an hour of the grid shows (all of them on a day's page)."""
        return WEEK_PER_HOUR if self.view == "week" else None

    @property
    def per_day(self) -> int | None:
        """How many posts a day shows in the month grid or the week's list."""
        if self.view == "month":
            return MONTH_PER_DAY
        return LIST_PER_DAY if self.view == "week" else None

    def at(self, day: date, hour: int) -> list[Placed]:
        return self.slots.get((day, hour), [])

    def on(self, day: date) -> list[Placed]:
        return self.posts.get(day, [])

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.posts.values())

    @property
    def any_movable(self) -> bool:
        return any(p.movable for placed in self.posts.values() for p in placed)


def parse_day(text: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(text) if text else fallback
    except ValueError:
        return fallback


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def grid_for(view: str, anchor: date, today: date) -> Grid:
    if view == "day":
        days = [anchor]
        return Grid(
            view, anchor, today, days, anchor - timedelta(days=1), anchor + timedelta(days=1)
        )
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


def place(grid: Grid, entries: list[CalendarEntry], tz: str, user: User) -> Grid:
    zone = ZoneInfo(tz)
    movable = mover(user)
    for entry in entries:
        local = entry.when.astimezone(zone)
        placed = Placed(entry, local, movable(entry))
        grid.posts.setdefault(local.date(), []).append(placed)
        grid.slots.setdefault((local.date(), local.hour), []).append(placed)
    return grid


def mover(user: User) -> Callable[[CalendarEntry], bool]:
    """rights.can_edit() for calendar entries, with the user's rights looked up once
    (a test keeps the two in agreement)."""
    if user.can(Role.manager):
        return lambda entry: entry.state in EDITABLE
    if not user.can(Role.contributor):
        return lambda entry: False
    publishes, uid = can_publish(user), user.id

    def can_move(entry: CalendarEntry) -> bool:
        if entry.state not in EDITABLE or entry.author_id != uid:
            return False
        return publishes or entry.state != PostState.scheduled

    return can_move


class Reader(Protocol):
    """A signed-in person as the calendar's cache key needs them: a ``User``, or a
    ``core.fastread.Reader`` when a cached page is served on the event loop."""

    @property
    def id(self) -> int: ...

    def can(self, minimum: Role) -> bool: ...


def mover_key(user: Reader) -> tuple[object, ...]:
    """What ``mover(user)`` depends on: cached calendars are shared by readers with the
    same key (every manager; every viewer; a contributor or member sees their own)."""
    if user.can(Role.manager):
        return ("manages",)
    if not user.can(Role.contributor):
        return ("reads",)
    return ("author", user.id, user.can(Role.member))  # can_publish(user)


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
