"""Guardrails: no generated schedule ever breaks a cap, a spacing or quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from palabre.automations.guardrails import (
    Rules,
    is_quiet,
    next_slot,
    parse_hhmm,
    violations,
)

PARIS = "Europe/Paris"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_quiet_hours_across_midnight_move_to_the_morning() -> None:
    rules = Rules(tz=PARIS)
    # 22:30 in Paris (winter, UTC+1) is quiet: the first slot is 08:00 the next morning.
    slot = next_slot(utc(2026, 1, 15, 21, 30), rules)
    assert slot == utc(2026, 1, 16, 7, 0)
    # 03:00 is quiet too: 08:00 the same day.
    assert next_slot(utc(2026, 1, 16, 2, 0), rules) == utc(2026, 1, 16, 7, 0)


def test_spacing_and_cap_push_to_the_next_day() -> None:
    rules = Rules(daily_cap=2, min_spacing=timedelta(hours=2), tz=PARIS)
    taken = [utc(2026, 1, 15, 9, 0)]  # 10:00 Paris
    assert next_slot(utc(2026, 1, 15, 9, 30), rules, taken=taken) == utc(2026, 1, 15, 11, 0)
    taken.append(utc(2026, 1, 15, 11, 0))
    # Two automated posts that day already: tomorrow, once the quiet hours end.
    assert next_slot(utc(2026, 1, 15, 12, 0), rules, taken=taken) == utc(2026, 1, 16, 7, 0)


def test_manual_posts_count_for_spacing_not_for_the_cap() -> None:
    rules = Rules(daily_cap=1, min_spacing=timedelta(hours=1), tz=PARIS)
    manual = [utc(2026, 1, 15, 10, 0)]
    slot = next_slot(utc(2026, 1, 15, 10, 30), rules, taken=manual, automated=[])
    assert slot == utc(2026, 1, 15, 11, 0)


def test_spring_forward_day_quiet_end_in_the_gap() -> None:
    # 29 March 2026: 02:00 → 03:00 in Paris. Quiet hours end at 02:30, which does not
    # exist that day: the slot is 03:30 local (01:30 UTC), never inside the quiet hours.
    rules = Rules(quiet_start=time(21, 0), quiet_end=time(2, 30), tz=PARIS)
    slot = next_slot(utc(2026, 3, 28, 22, 0), rules)
    assert slot is not None and not is_quiet(slot, rules)
    assert slot == utc(2026, 3, 29, 1, 30)


def test_a_zero_cap_never_gives_a_slot() -> None:
    assert next_slot(utc(2026, 1, 15, 9, 0), Rules(daily_cap=0)) is None


def test_parse_hhmm_refuses_nonsense() -> None:
    assert parse_hhmm("08:05") == time(8, 5)
    for bad in ("8h", "25:00", "12:60", "", "1:2"):
        try:
            parse_hhmm(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
zones = st.sampled_from([PARIS, "America/New_York", "Australia/Sydney", "UTC"])
starts = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(
    cap=st.integers(1, 6),
    spacing=st.integers(0, 600),
    quiet_start=times,
    quiet_end=times,
    tz=zones,
    start=starts,
    gaps=st.lists(st.integers(0, 24 * 60), min_size=1, max_size=25),
)
def test_no_generated_schedule_breaks_a_rule(
    cap: int,
    spacing: int,
    quiet_start: time,
    quiet_end: time,
    tz: str,
    start: datetime,
    gaps: list[int],
) -> None:
    rules = Rules(cap, timedelta(minutes=spacing), quiet_start, quiet_end, tz)
    planned: list[datetime] = []
    when = start
    for gap in gaps:
        when += timedelta(minutes=gap)
        slot = next_slot(when, rules, taken=planned)
        if slot is None:
            continue
        assert slot >= when
        planned.append(slot)
    assert violations(planned, rules) == []


@settings(max_examples=60, deadline=None)
@given(
    day=st.sampled_from([datetime(2026, 3, 28), datetime(2026, 10, 24), datetime(2027, 3, 27)]),
    minutes=st.lists(st.integers(0, 3 * 24 * 60), min_size=5, max_size=40),
    quiet_end=st.sampled_from([time(2, 30), time(3, 0), time(8, 0)]),
)
def test_paris_dst_weekends(day: datetime, minutes: list[int], quiet_end: time) -> None:
    rules = Rules(2, timedelta(minutes=90), time(1, 0), quiet_end, PARIS)
    start = day.replace(tzinfo=UTC)
    planned: list[datetime] = []
    for m in sorted(minutes):
        slot = next_slot(start + timedelta(minutes=m), rules, taken=planned)
        if slot is not None:
            planned.append(slot)
    assert violations(planned, rules) == []
    assert planned  # a few slots fit in three days
