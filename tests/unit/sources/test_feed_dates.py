"""Feed dates, as feeds really write them, to aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palabre.sources.feeds.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon, 03 Jun 2024 10:00:00 +0200", datetime(2024, 6, 3, 8, 0, tzinfo=UTC)),
        ("Mon, 3 Jun 24 10:00 EST", datetime(2024, 6, 3, 15, 0, tzinfo=UTC)),
        ("Wed, 02 Oct 2002 08:00:00 CEST", datetime(2002, 10, 2, 6, 0, tzinfo=UTC)),
        ("Tue, 10 Jun 2003 04:00:00 GMT", datetime(2003, 6, 10, 4, 0, tzinfo=UTC)),
        ("Thu, 01 Jan 2015 00:00:00 GMT+2", datetime(2014, 12, 31, 22, 0, tzinfo=UTC)),
        ("03 Jun 2024 10:00:00 Z", datetime(2024, 6, 3, 10, 0, tzinfo=UTC)),
        ("lun., 03 juin 2024 10:00:00 +0200", datetime(2024, 6, 3, 8, 0, tzinfo=UTC)),
        ("Sat, 06 Apr 2024 10:30:00 XYZT", datetime(2024, 4, 6, 10, 30, tzinfo=UTC)),
        ("2024-06-03T10:00:00Z", datetime(2024, 6, 3, 10, 0, tzinfo=UTC)),
        ("2024-06-03T10:00:00.250+02:00", datetime(2024, 6, 3, 8, 0, 0, 250000, tzinfo=UTC)),
        ("2024-06-03T10:00:00-0500", datetime(2024, 6, 3, 15, 0, tzinfo=UTC)),
        ("2024-06-03 10:00:00", datetime(2024, 6, 3, 10, 0, tzinfo=UTC)),
        ("20240603T100000Z", datetime(2024, 6, 3, 10, 0, tzinfo=UTC)),
        ("2024-06-03", datetime(2024, 6, 3, tzinfo=UTC)),
        ("2024-06-03T24:00:00Z", datetime(2024, 6, 4, tzinfo=UTC)),
    ],
)
def test_dates(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", [None, "", "  ", "soon", "2024-13-45", "31 Foo 2024", "Mon, 32 Jan 2024"]
)
def test_unreadable_dates_are_none(text) -> None:
    assert parse_date(text) is None


@given(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 1, 1)),
    st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: m - m % 15),
)
def test_rfc822_and_iso_agree(value: datetime, offset: int) -> None:
    value = value.replace(microsecond=0)
    sign = "-" if offset < 0 else "+"
    zone = f"{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"
    rfc = value.strftime("%a, %d %b %Y %H:%M:%S ") + zone
    iso = value.strftime("%Y-%m-%dT%H:%M:%S") + zone[:3] + ":" + zone[3:]
    parsed = parse_date(rfc)
    assert parsed is not None and parsed.tzinfo is UTC
    assert parsed == parse_date(iso)


@given(st.text(max_size=40))
def test_never_raises(text: str) -> None:
    result = parse_date(text)
    assert result is None or result.utcoffset().total_seconds() == 0
