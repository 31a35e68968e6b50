"""The guarded fetcher against a real local web server: conditional GET, caps, redirects,
Retry-After — and the SSRF guard, proven with no allow-list at all."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from palabre.core.fetch import USER_AGENT, Fetcher, FetchError, Limits
from palabre.core.netpolicy import NetPolicy
from tests.fakes.feed_server import FeedServer

NONE = NetPolicy.parse("")
RSS = "<rss version='2.0'><channel><title>t</title></channel></rss>"


def test_a_document_is_fetched_with_palabre_named_and_a_304_after(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    url = feed_server.serve("/feed.xml", RSS)
    first = fetcher.get(url)
    assert first.status == 200 and first.body == RSS.encode()
    assert first.etag and first.last_modified
    assert feed_server.hits[0].headers["user-agent"] == USER_AGENT
    again = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    assert feed_server.hits[1].headers["if-none-match"] == first.etag
    only_date = fetcher.get(url, last_modified=first.last_modified)
    assert only_date.not_modified


def test_a_changed_document_is_fetched_again_despite_the_old_etag(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    url = feed_server.serve("/feed.xml", RSS)
    etag = fetcher.get(url).etag
    feed_server.serve("/feed.xml", RSS.replace("<title>t", "<title>new"))
    result = fetcher.get(url, etag=etag)
    assert not result.not_modified and b"new" in result.body


def test_redirects_are_followed_and_a_permanent_move_is_reported(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    target = feed_server.serve("/new.xml", RSS)
    url = feed_server.redirect("/old.xml", "/new.xml", status=301)
    result = fetcher.get(url)
    assert result.body == RSS.encode() and result.url == target
    assert result.permanent_redirect == target
    temporary = feed_server.redirect("/tmp.xml", "/new.xml", status=302)
    assert fetcher.get(temporary).permanent_redirect is None


def test_an_endless_redirect_stops_with_plain_words(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    with pytest.raises(FetchError) as error:
        fetcher.get(feed_server.url("/loop/0"))
    assert str(error.value) == "Too many redirects."
    assert feed_server.count("/loop/4") == 0  # 1 + 3 redirects, then it stopped


def test_an_oversized_body_is_abandoned_announced_or_not(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    big = b"x" * (200 * 1024)
    feed_server.serve("/big.xml", big)
    feed_server.serve("/big-unannounced.xml", big, lie_about_length=True)
    for path in ("/big.xml", "/big-unannounced.xml"):
        with pytest.raises(FetchError) as error:
            fetcher.get(feed_server.url(path))
        assert str(error.value) == "The page is larger than 64 kB."


def test_a_slow_body_is_cut_at_the_total_time(feed_server: FeedServer) -> None:
    feed_server.serve("/slow.xml", b"y" * 20 * 1024, chunk_delay=0.1)
    fetcher = Fetcher(NetPolicy.parse("127.0.0.1"), Limits(total_seconds=0.5))
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        fetcher.get(feed_server.url("/slow.xml"))
    assert str(error.value) == "The server took too long to answer."
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("status", "header", "message", "wait"),
    [
        (429, "120", "The server asks Palabre to slow down", 120),
        (503, "30", "The server is unavailable for now", 30),
        (429, None, "The server asks Palabre to slow down", None),
    ],
)
def test_429_and_503_surface_retry_after(
    feed_server: FeedServer,
    fetcher: Fetcher,
    status: int,
    header: str | None,
    message: str,
    wait: float | None,
) -> None:
    url = feed_server.fail("/busy", status, header)
    with pytest.raises(FetchError) as error:
        fetcher.get(url)
    assert str(error.value).startswith(message)
    assert error.value.retry_after == wait and error.value.status == status


def test_retry_after_as_an_http_date(feed_server: FeedServer, fetcher: Fetcher) -> None:
    when = datetime.now(UTC) + timedelta(minutes=10)
    url = feed_server.fail("/busy", 503, format_datetime(when, usegmt=True))
    with pytest.raises(FetchError) as error:
        fetcher.get(url)
    assert error.value.retry_after is not None and 590 <= error.value.retry_after <= 600


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "Nothing was found at this address (HTTP 404)."),
        (410, "The server says this address was removed for good (HTTP 410)."),
        (403, "The server refuses access to this address (HTTP 403)."),
        (500, "The server had an error (HTTP 500); Palabre will try again later."),
    ],
)
def test_http_errors_in_plain_words(
    feed_server: FeedServer, fetcher: Fetcher, status: int, message: str
) -> None:
    with pytest.raises(FetchError) as error:
        fetcher.get(feed_server.fail("/x", status))
    assert str(error.value) == message


def test_nothing_listening_is_a_connection_error(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError) as error:
        fetcher.get("http://127.0.0.1:9/feed")
    assert str(error.value) == "Palabre could not connect to the server."


def test_concurrent_requests_to_one_host_are_capped(feed_server: FeedServer) -> None:
    feed_server.serve("/slow.xml", b"z" * 4096, chunk_delay=0.05)
    fetcher = Fetcher(NetPolicy.parse("127.0.0.1"), Limits(per_host=2, total_seconds=10))
    active = 0
    peak = 0
    lock = threading.Lock()
    original = fetcher._one

    def counting(*args: object) -> object:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        try:
            return original(*args)  # type: ignore[arg-type]
        finally:
            with lock:
                active -= 1

    fetcher._one = counting  # type: ignore[method-assign]
    threads = [
        threading.Thread(target=fetcher.get, args=(feed_server.url("/slow.xml"),)) for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 2 and feed_server.count("/slow.xml") == 6


# -- the SSRF guard, with no allow-list -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/feed.xml",
        "http://localhost:{port}/feed.xml",  # a name resolving to loopback
        "http://2130706433:{port}/feed.xml",  # 127.0.0.1 spelt as one decimal number
        "http://0x7f000001:{port}/feed.xml",  # ... as hexadecimal
        "http://0177.0.0.1:{port}/feed.xml",  # ... as octal
        "http://127.1:{port}/feed.xml",  # ... shortened
        "http://[::1]:{port}/feed.xml",
        "http://[::ffff:127.0.0.1]:{port}/feed.xml",  # IPv4-mapped IPv6
        "http://[::127.0.0.1]:{port}/feed.xml",  # IPv4-compatible IPv6
        "http://[64:ff9b::7f00:1]:{port}/feed.xml",  # NAT64 of 127.0.0.1
        "http://10.0.0.1/feed.xml",
        "http://172.16.5.4/feed.xml",
        "http://172.31.255.255/feed.xml",
        "http://192.168.1.1/feed.xml",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[fe80::1]/feed.xml",
        "http://[fc00::1]/feed.xml",
        "http://[fd12:3456::1]/feed.xml",
        "http://0.0.0.0:{port}/feed.xml",
        "http://224.0.0.1/feed.xml",  # multicast
        "http://240.0.0.1/feed.xml",  # reserved
        "http://100.64.0.1/feed.xml",  # carrier-grade NAT
    ],
)
def test_private_addresses_are_refused_before_any_connection(
    feed_server: FeedServer, url: str
) -> None:
    feed_server.serve("/feed.xml", RSS)
    fetcher = Fetcher(NONE)
    with pytest.raises(FetchError) as error:
        fetcher.get(url.format(port=feed_server.port))
    assert error.value.refused
    assert str(error.value).startswith("This address points to a private network")
    assert feed_server.hits == []


def test_a_redirect_from_an_allowed_host_to_a_private_one_is_refused(
    feed_server: FeedServer,
) -> None:
    fetcher = Fetcher(NetPolicy.parse("127.0.0.1"))
    for target in ("http://10.0.0.7/feed.xml", "http://169.254.169.254/", "http://[::1]/"):
        url = feed_server.redirect("/go", target)
        with pytest.raises(FetchError) as error:
            fetcher.get(url)
        assert str(error.value).startswith("This address points to a private network")
    # another loopback address than the one allowed is refused too
    feed_server.serve("/feed.xml", RSS)
    url = feed_server.redirect("/go", f"http://127.0.0.2:{feed_server.port}/feed.xml")
    with pytest.raises(FetchError) as error:
        fetcher.get(url)
    assert error.value.refused
    assert feed_server.count("/feed.xml") == 0


def test_the_connection_goes_to_the_checked_address(feed_server: FeedServer) -> None:
    """The name is resolved once, checked, and the connection made to that address."""
    feed_server.serve("/feed.xml", RSS)
    fetcher = Fetcher(NetPolicy.parse("localhost"))
    result = fetcher.get(feed_server.url("/feed.xml", host="localhost"))
    assert result.status == 200
    assert fetcher._backend.pins["localhost"] in {"127.0.0.1", "::1"}
    assert feed_server.hits[0].headers["host"] == f"localhost:{feed_server.port}"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed", "Enter a full web address"),
        ("file:///etc/passwd", "Enter a full web address"),
        ("http://user:pw@127.0.0.1/", "The address must not contain a user name"),
    ],
)
def test_addresses_palabre_does_not_use(url: str, message: str) -> None:
    with pytest.raises(FetchError) as error:
        Fetcher(NONE).get(url)
    assert str(error.value).startswith(message)


def test_bluesky_link_cards_are_read_through_the_guarded_fetcher(
    feed_server: FeedServer,
) -> None:
    from palabre.channels.bluesky import cards

    page = (
        '<html><head><meta property="og:title" content="Nuit des musées">'
        '<meta property="og:description" content="Entrée libre">'
        '<meta property="og:image" content="/affiche.png"></head></html>'
    )
    url = feed_server.serve("/page", page.encode("latin-1"), "text/html; charset=iso-8859-1")
    feed_server.serve("/affiche.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")
    allowed = NetPolicy.parse("127.0.0.1")
    card = cards.read_card(url, allowed)
    assert card is not None and (card.title, card.description) == (
        "Nuit des musées",
        "Entrée libre",
    )
    thumb = cards.read_thumbnail(card, allowed)
    assert thumb is not None and thumb[1] == "image/png"
    assert cards.read_card(url, NetPolicy.parse("localhost")) is None  # 127.0.0.1 not allowed
    assert cards.read_card(feed_server.redirect("/r", "http://10.0.0.1/"), allowed) is None


def test_a_name_with_a_final_dot_or_in_capitals_is_pinned_like_the_connection(
    feed_server: FeedServer,
) -> None:
    feed_server.serve("/feed.xml", RSS)
    fetcher = Fetcher(NetPolicy.parse("localhost"))
    for host in ("LOCALHOST", "localhost."):
        assert fetcher.get(feed_server.url("/feed.xml", host=host)).status == 200
