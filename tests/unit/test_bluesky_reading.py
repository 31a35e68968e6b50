"""Reading Bluesky without the network: the notification cursor and link-card pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from palabre.channels.bluesky.cards import parse_card
from palabre.channels.bluesky.images import dimensions
from palabre.channels.bluesky.notifications import Cursor, newer_than, parse_cursor


@dataclass
class Raw:
    uri: str
    indexed_at: str


def feed(items: list[Raw], size: int):  # type: ignore[no-untyped-def]
    """listNotifications: newest first, by pages of ``size``."""
    newest_first = sorted(items, key=lambda n: (n.indexed_at, n.uri), reverse=True)

    def page(cursor: str | None) -> tuple[list[Raw], str | None]:
        start = int(cursor or 0)
        end = start + size
        return newest_first[start:end], str(end) if end < len(newest_first) else None

    return page


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def at(seconds: int) -> str:
    return f"2026-01-01T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z"


@given(
    # when each notification is listed (its sort time) and how late it reaches the list
    st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 600)), max_size=120),
    st.lists(st.integers(0, 4600), min_size=1, max_size=8),  # when the channel is read
    st.integers(1, 7),
    st.integers(1, 5),
)
def test_every_notification_is_read_even_when_indexed_late(
    items: list[tuple[int, int]], polls: list[int], size: int, max_pages: int
) -> None:
    """Nothing is lost — a notification listed below ones already read (indexed up to ten
    minutes late) is read at a later call — and what is read twice is within the grace."""
    notes = [Raw(f"at://n/{i}", at(t)) for i, (t, _) in enumerate(items)]
    listed_at = {n.uri: t + late for n, (t, late) in zip(notes, items, strict=True)}
    read: set[str] = set()
    cursor = Cursor("").dump()  # the first poll of an empty account
    for now in [*sorted(polls), 10_000, 10_001]:
        visible = [n for n in notes if listed_at[n.uri] <= now]
        for _ in range(200):  # a long catch-up goes on at the next calls
            floor = parse_cursor(cursor).floor()  # type: ignore[union-attr]
            got = newer_than(feed(visible, size), cursor, max_pages)
            again = [n for n in got.items if n.uri in read]
            assert all(floor and when(n.indexed_at) >= when(floor) for n in again)  # the grace
            read |= {n.uri for n in got.items}
            cursor = got.cursor
            if not got.more:
                break
    assert read == {n.uri for n in notes}  # nothing lost


def test_a_reply_indexed_late_is_read_at_the_next_call() -> None:
    early = [Raw("at://n/a", at(100)), Raw("at://n/b", at(200))]
    got = newer_than(feed(early, 10), Cursor(at(0)).dump())
    assert [n.uri for n in got.items] == ["at://n/b", "at://n/a"]
    late = Raw("at://n/late", at(150))  # created at 150 on a slow server, listed after b
    again = newer_than(feed([*early, late], 10), got.cursor)
    assert "at://n/late" in [n.uri for n in again.items]
    assert json.loads(again.cursor)["t"] == at(200)  # the cursor never goes back


def test_a_catch_up_longer_than_the_pages_of_one_call_goes_on_at_the_next() -> None:
    items = [Raw(f"at://n/{i}", at(i * 60)) for i in range(60)]
    first = newer_than(feed(items, 5), Cursor("").dump(), max_pages=4)
    assert first.more and len(first.items) == 20
    second = newer_than(feed(items, 5), first.cursor, max_pages=4)
    assert [n.uri for n in second.items][:1] == ["at://n/39"]
    third = newer_than(feed(items, 5), second.cursor, max_pages=4)
    assert not third.more
    seen = {n.uri for r in (first, second, third) for n in r.items}
    assert seen == {n.uri for n in items}
    assert json.loads(third.cursor) == {"t": at(59 * 60)}


def test_the_first_poll_reads_the_newest_page_only() -> None:
    items = [Raw(f"at://n/{i}", f"2026-01-01T00:00:{i:02d}Z") for i in range(10)]
    got = newer_than(feed(items, 4), None)
    assert [n.uri for n in got.items] == ["at://n/9", "at://n/8", "at://n/7", "at://n/6"]
    assert json.loads(got.cursor) == {"t": "2026-01-01T00:00:09Z"}


def test_a_cursor_of_the_earlier_form_is_read_on() -> None:
    old = json.dumps({"t": at(100), "u": ["at://n/a"]})  # cursors stored before the grace
    items = [Raw("at://n/a", at(100)), Raw("at://n/b", at(160))]
    assert [n.uri for n in newer_than(feed(items, 10), old).items] == ["at://n/b", "at://n/a"]


def test_a_card_prefers_open_graph_and_falls_back_on_the_title() -> None:
    page = (
        "<html><head><title> Le  musée </title>"
        '<meta property="og:title" content="Nuit des musées">'
        '<meta name="description" content="Entrée libre">'
        '<meta property="og:image" content="/a.png"></head></html>'
    )
    card = parse_card("https://musee.example/agenda", page)
    assert card is not None
    assert (card.title, card.description) == ("Nuit des musées", "Entrée libre")
    assert card.image_url == "https://musee.example/a.png"
    plain = parse_card("https://x.example", "<title> Le  musée </title>")
    assert plain is not None and plain.title == "Le musée"
    assert parse_card("https://x.example", "<p>rien</p>") is None


def test_image_sizes_are_read_from_their_headers() -> None:
    png = (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + (640).to_bytes(4, "big")
        + (480).to_bytes(4, "big")
    )
    assert dimensions(png) == (640, 480)
    assert dimensions(b"GIF89a" + (3).to_bytes(2, "little") + (2).to_bytes(2, "little")) == (3, 2)
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xc0\x00\x11\x08"
        + (100).to_bytes(2, "big")
        + (200).to_bytes(2, "big")
        + b"\x03" * 10
    )
    assert dimensions(jpeg) == (200, 100)
    assert dimensions(b"not an image") is None
