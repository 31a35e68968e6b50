"""Whole numbers from outside: what a query parameter or a form field may hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from palabre.core.params import MAX, is_whole, whole


def test_plain_numbers_are_read() -> None:
    assert whole("0") == 0 and whole("42") == 42 and whole(str(MAX)) == MAX


def test_what_is_not_an_id_is_none() -> None:
    for value in ("", "¹", "²3", "١٢", "-1", "+1", " 1", "1.0", "1e3", "9" * 40, None, 12):
        assert whole(value) is None and not is_whole(value)
    assert whole(str(MAX + 1)) is None


@given(st.text(max_size=30))
def test_any_text_gives_a_number_or_none(value: str) -> None:
    got = whole(value)
    assert got is None or (0 <= got <= MAX and str(got) == value.lstrip("0").rjust(1, "0"))
