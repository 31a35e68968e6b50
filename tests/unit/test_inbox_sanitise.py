"""HTML from the networks is made safe whatever it contains (property-based), and list
cursors round-trip exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from palabre.inbox.conversation_models import Conversation
from palabre.inbox.queries import cursor_of, parse_cursor
from palabre.inbox.sanitise import sanitise

PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<img src=x onerror="alert(1)">',
        '<p onclick="x()">p</p>',
        "<style>body{}</style>",
        '<a href="https://ok.example/">ok</a>',
        "<iframe src=//evil></iframe>",
        "<svg onload=alert(1)>",
        "<<script>script>",
        "texte é 🎉",
        "<br>",
        "&lt;b&gt;",
        '<a href="JaVaScRiPt:alert(1)">y</a>',
        "<form action=/x><input></form>",
    ]
)


@given(st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=12))
def test_nothing_executable_survives(parts: list[str]) -> None:
    out = sanitise("".join(parts)).lower()
    for bad in (
        "<script",
        "javascript:",
        "onerror",
        "onclick",
        "onload",
        "<iframe",
        "<img",
        "<style",
        "<svg",
        "<form",
        "<input",
    ):
        assert bad not in out


def test_links_and_text_are_kept() -> None:
    out = sanitise('<p>Bonjour <a href="https://musee.example/expo">l\'expo</a> 🎉</p>')
    assert 'href="https://musee.example/expo"' in out and "🎉" in out and "Bonjour" in out
    assert 'rel="nofollow noopener noreferrer"' in out


@given(
    st.integers(min_value=0, max_value=4),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=1, max_value=2**40),
)
def test_cursors_round_trip_to_the_microsecond(priority: int, at: datetime, ident: int) -> None:
    conv = Conversation(priority=priority, last_inbound_at=at.replace(tzinfo=UTC), id=ident)
    assert parse_cursor(cursor_of(conv)) == (priority, at.replace(tzinfo=UTC), ident)


@given(st.text(max_size=40))
def test_any_garbage_cursor_is_ignored_or_understood(text: str) -> None:
    parsed = parse_cursor(text)
    assert parsed is None or isinstance(parsed[1], datetime)


def test_a_cursor_one_microsecond_apart_differs() -> None:
    at = datetime(2026, 11, 21, 10, 0, 0, 123456, tzinfo=UTC)
    a = Conversation(priority=1, last_inbound_at=at, id=1)
    b = Conversation(priority=1, last_inbound_at=at + timedelta(microseconds=1), id=1)
    assert cursor_of(a) != cursor_of(b)
