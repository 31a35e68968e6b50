"""Times entered in the workspace zone survive daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from palabre.core.timeutil import day_bounds, local_to_utc, parse_local, utc_to_local

PARIS = "Europe/Paris"


def test_summer_and_winter_times_keep_their_wall_clock() -> None:
    assert parse_local("2026-07-14T10:00", PARIS) == datetime(2026, 7, 14, 8, 0, tzinfo=UTC)
    assert parse_local("2026-12-24T10:00", PARIS) == datetime(2026, 12, 24, 9, 0, tzinfo=UTC)


def test_the_skipped_spring_hour_moves_forward() -> None:
    # 02:30 does not exist on 29 March 2026 in Paris: it becomes 03:30 local.
    utc = parse_local("2026-03-29T02:30", PARIS)
    assert utc == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert utc_to_local(utc, PARIS).hour == 3


def test_the_repeated_autumn_hour_takes_the_first() -> None:
    utc = parse_local("2026-10-25T02:30", PARIS)
    assert utc == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_an_aware_time_is_just_converted() -> None:
    assert parse_local("2026-05-01T12:00Z", PARIS) == datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert parse_local("2026-05-01T12:00+02:00", PARIS) == datetime(2026, 5, 1, 10, tzinfo=UTC)


def test_dst_days_are_23_and_25_hours_long() -> None:
    start, end = day_bounds(date(2026, 3, 29), PARIS)
    assert (end - start).total_seconds() == 23 * 3600
    start, end = day_bounds(date(2026, 10, 25), PARIS)
    assert (end - start).total_seconds() == 25 * 3600


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from([PARIS, "America/Montreal", "Indian/Reunion", "Pacific/Chatham"]),
)
def test_existing_local_times_round_trip(value: datetime, tz: str) -> None:
    utc = local_to_utc(value, tz)
    back = utc_to_local(utc, tz).replace(tzinfo=None)
    # Equal, except inside a skipped hour, where the time is moved forward by the gap.
    assert back == value or back > value
