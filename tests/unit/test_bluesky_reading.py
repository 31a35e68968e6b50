"""Reading Bluesky without the network: the notification cursor and link-card pages."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from palabre.channels.bluesky.cards import parse_card
from palabre.channels.bluesky.images import dimensions
from palabre.channels.bluesky.notifications import make_cursor, newer_than


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


@given(
    st.lists(st.integers(0, 40), max_size=120),  # arrival times (ties happen)
    st.lists(st.integers(1, 60), min_size=1, max_size=6),  # how many arrive between polls
    st.integers(1, 7),
)
def test_each_notification_is_returned_once_across_polls(
    times: list[int], batches: list[int], size: int
) -> None:
    arrived: list[Raw] = []
    returned: list[str] = []
    cursor = make_cursor([], None)  # the first poll of an empty account
    pending = [
        Raw(f"at://n/{i}", f"2026-01-01T00:00:{t:02d}Z") for i, t in enumerate(sorted(times))
    ]
    for count in [*batches, len(pending)]:
        arrived += pending[:count]
        pending = pending[count:]
        found, more = newer_than(feed(arrived, size), cursor, 100)
        assert not more
        returned += [n.uri for n in found]
        cursor = make_cursor(found, cursor)
    assert sorted(returned) == sorted(n.uri for n in arrived)  # nothing lost, nothing twice


def test_the_first_poll_reads_the_newest_page_only() -> None:
    items = [Raw(f"at://n/{i}", f"2026-01-01T00:00:{i:02d}Z") for i in range(10)]
    found, _ = newer_than(feed(items, 4), None, 100)
    assert [n.uri for n in found] == ["at://n/9", "at://n/8", "at://n/7", "at://n/6"]


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
