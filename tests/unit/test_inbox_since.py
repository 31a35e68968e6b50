"""``since`` as the inbox list reads it: hours back or an ISO 8601 time with its offset;
anything else is refused (the API answers 422, the page ignores it), never an error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from palabre.inbox.queries import MAX_SINCE_HOURS, since_of

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@given(st.text(max_size=40))
def test_any_text_is_a_time_in_utc_or_refused(text: str) -> None:
    found = since_of(text, NOW)
    assert found is None or found.utcoffset() == timedelta(0)


@given(st.integers(min_value=-10, max_value=MAX_SINCE_HOURS + 10))
def test_hours_back_within_a_year(hours: int) -> None:
    found = since_of(str(hours), NOW)
    if 1 <= hours <= MAX_SINCE_HOURS:
        assert found == NOW - timedelta(hours=hours)
    else:
        assert found is None


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_an_iso_time_with_its_offset_is_the_same_instant(naive: datetime, minutes: int) -> None:
    aware = naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert since_of(aware.isoformat(), NOW) == aware
    assert since_of(naive.isoformat(), NOW) is None  # which timezone? refused


def test_examples() -> None:
    assert since_of("24", NOW) == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert since_of("2026-05-01T08:00:00+02:00", NOW) == datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
    nonsense = ("", "yesterday", "0", "²", "24h", "1e3", "2026-05-01T08:00:00")
    for bad in (*nonsense, "0001-01-01T00:00:00+14:00"):
        assert since_of(bad, NOW) is None, bad
