"""Business time (first-response due times): never inside closed hours, monotonic in the
arrival time, and what is added is what is measured back — across summer-time changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from palabre.inbox.business_time import Schedule, add, between, is_open

MUSEUM = Schedule(
    "Europe/Paris", {d: (9 * 60, 18 * 60) for d in range(1, 7)}, frozenset({date(2026, 12, 25)})
)
PARIS = ZoneInfo("Europe/Paris")

instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)
amounts = st.integers(min_value=0, max_value=60 * 24 * 20).map(lambda m: timedelta(minutes=m))
schedules = st.builds(
    lambda tz, days: Schedule(tz, days),
    st.sampled_from(["Europe/Paris", "America/New_York", "Australia/Sydney", "UTC"]),
    st.dictionaries(
        st.integers(0, 6),
        st.tuples(st.integers(0, 23 * 60), st.integers(1, 24 * 60)).filter(
            lambda s: s[1] >= s[0] + 60
        ),
        min_size=1,
    ),
)


def local(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS).astimezone(UTC)


def test_a_message_on_monday_evening_is_due_tuesday_morning() -> None:
    # Monday 23 Nov 2026 is closed: an urgent message (1 business hour) is due Tuesday 10:00.
    assert add(MUSEUM, local(2026, 11, 23, 20), timedelta(hours=1)) == local(2026, 11, 24, 10)
    # 17:30 on a Saturday, 8 business hours: 30 minutes that day, 7 h 30 on Sunday.
    assert add(MUSEUM, local(2026, 11, 28, 17, 30), timedelta(hours=8)) == local(
        2026, 11, 29, 16, 30
    )


def test_holidays_are_skipped() -> None:
    # Thursday 24 Dec 17:00 + 2 h: one hour that day, Christmas closed, then Saturday 10:00.
    assert add(MUSEUM, local(2026, 12, 24, 17), timedelta(hours=2)) == local(2026, 12, 26, 10)


def test_summer_time_changes_keep_wall_clock_hours() -> None:
    # Sunday 29 March 2026 (clocks go forward at 2:00): 9:00-18:00 local is still 9 hours.
    day = between(MUSEUM, local(2026, 3, 29, 0), local(2026, 3, 30, 0))
    assert day == timedelta(hours=9)
    assert add(MUSEUM, local(2026, 3, 28, 17), timedelta(hours=2)) == local(2026, 3, 29, 10)


@settings(max_examples=300, deadline=None)
@given(schedules, instants, amounts)
def test_due_is_never_inside_closed_hours(
    schedule: Schedule, start: datetime, amount: timedelta
) -> None:
    assert is_open(schedule, add(schedule, start, amount))


@settings(max_examples=300, deadline=None)
@given(schedules, instants, instants, amounts)
def test_due_is_monotonic_in_arrival(
    schedule: Schedule, a: datetime, b: datetime, amount: timedelta
) -> None:
    early, late = min(a, b), max(a, b)
    assert add(schedule, early, amount) <= add(schedule, late, amount)


@settings(max_examples=300, deadline=None)
@given(schedules, instants, amounts)
def test_adding_then_measuring_gives_the_same_amount(
    schedule: Schedule, start: datetime, amount: timedelta
) -> None:
    due = add(schedule, start, amount)
    assert due >= start
    assert between(schedule, start, due) == amount
