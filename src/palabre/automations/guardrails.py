"""Guardrails: a daily cap of automated posts, a minimum spacing, quiet hours.

Pure functions over UTC times; the day and the quiet hours are read in the workspace's
time zone (zoneinfo), so a day of 23 or 25 hours and a quiet window across midnight are
handled as people read them. ``next_slot`` finds the first time allowed after a given one.
The database side (which posts a channel already has) is in ``planner.py``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from palabre.core.i18n import N_
from palabre.core.timeutil import day_bounds, local_to_utc

HORIZON = timedelta(days=60)  # no slot found within this: None (the caller says why)


@dataclass(frozen=True)
class Rules:
    daily_cap: int = 3  # automated posts per local day; 0: none at all
    min_spacing: timedelta = timedelta(minutes=120)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)  # equal to quiet_start: no quiet hours
    tz: str = "Europe/Paris"


def parse_hhmm(text: str) -> time:
    """'21:00' → time(21, 0); raises ValueError with a plain message otherwise."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(N_("Write a time as HH:MM, for example 21:00."))
    value = int(hours), int(minutes)
    if not (0 <= value[0] <= 23 and 0 <= value[1] <= 59):
        raise ValueError(N_("Write a time as HH:MM, for example 21:00."))
    return time(*value)


def is_quiet(when: datetime, rules: Rules) -> bool:
    start, end = rules.quiet_start, rules.quiet_end
    if start == end:
        return False
    local = when.astimezone(ZoneInfo(rules.tz)).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end  # across midnight


def quiet_ends(when: datetime, rules: Rules) -> datetime:
    """The first time at or after ``when`` outside the quiet hours (``when`` is quiet)."""
    local = when.astimezone(ZoneInfo(rules.tz))
    day = local.date()
    if rules.quiet_start > rules.quiet_end and local.time() >= rules.quiet_start:
        day += timedelta(days=1)  # evening: the quiet hours end tomorrow morning
    end = local_to_utc(datetime.combine(day, rules.quiet_end), rules.tz)
    # A quiet end inside a spring-forward gap is moved forward by the gap: still after.
    return max(end, when + timedelta(seconds=1)) if end <= when else end


def local_day(when: datetime, tz: str) -> date:
    return when.astimezone(ZoneInfo(tz)).date()


def count_on_day(day: date, automated: list[datetime], tz: str) -> int:
    start, end = day_bounds(day, tz)
    return bisect_left(automated, end) - bisect_left(automated, start)


def spacing_conflict(when: datetime, taken: list[datetime], spacing: timedelta) -> datetime | None:
    """The latest taken time closer than ``spacing`` to ``when``, if any."""
    if spacing <= timedelta(0):
        return None
    hi = bisect_left(taken, when + spacing)
    lo = bisect_left(taken, when - spacing + timedelta(microseconds=1))
    return taken[hi - 1] if hi > lo else None


def next_slot(
    after: datetime,
    rules: Rules,
    *,
    taken: Iterable[datetime] = (),
    automated: Iterable[datetime] | None = None,
    horizon: timedelta = HORIZON,
) -> datetime | None:
    """The first time at or after ``after`` that breaks no rule.

    ``taken``: every post already planned on the channel (spacing applies to all);
    ``automated``: those made by automations (the daily cap counts these; by default the
    same as ``taken``). None when nothing is free before ``after + horizon``.
    """
    if rules.daily_cap <= 0:
        return None
    spaced = sorted(taken)
    capped = spaced if automated is None else sorted(automated)
    candidate, limit = after, after + horizon
    while candidate <= limit:
        if is_quiet(candidate, rules):
            candidate = quiet_ends(candidate, rules)
            continue
        day = local_day(candidate, rules.tz)
        if count_on_day(day, capped, rules.tz) >= rules.daily_cap:
            candidate = day_bounds(day, rules.tz)[1]
            continue
        conflict = spacing_conflict(candidate, spaced, rules.min_spacing)
        if conflict is not None:
            candidate = conflict + rules.min_spacing
            continue
        return candidate
    return None


def violations(schedule: list[datetime], rules: Rules) -> list[str]:
    """What is wrong with a channel's automated schedule (empty: nothing). Tests and the
    dry run use it to prove a plan keeps every rule."""
    found: list[str] = []
    ordered = sorted(schedule)
    per_day: dict[date, int] = {}
    for i, when in enumerate(ordered):
        if is_quiet(when, rules):
            found.append(f"{when.isoformat()} is in the quiet hours")
        if i and when - ordered[i - 1] < rules.min_spacing:
            found.append(f"{when.isoformat()} is too close to {ordered[i - 1].isoformat()}")
        day = local_day(when, rules.tz)
        per_day[day] = per_day.get(day, 0) + 1
    found += [f"{d}: {n} posts" for d, n in per_day.items() if n > rules.daily_cap]
    return found
