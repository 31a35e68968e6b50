"""A web page given instead of a feed: the feeds it advertises are found."""

from __future__ import annotations

from pathlib import Path

from palabre.sources.discover import discover_feeds, looks_like_html
from palabre.sources.parsed import FeedLink

DATA = Path(__file__).resolve().parents[2] / "data" / "feeds"


def test_feeds_a_page_advertises() -> None:
    page = (DATA / "page.html").read_bytes()
    assert discover_feeds(page, "https://musee-villeneuve.example/fr/accueil") == [
        FeedLink(
            url="https://musee-villeneuve.example/fr/actualites/feed/",
            title="Actualités du musée",
            type="application/rss+xml",
        ),
        FeedLink(
            url="https://musee-villeneuve.example/expositions.atom",
            title="Expositions",
            type="application/atom+xml",
        ),
        FeedLink(
            url="https://musee-villeneuve.example/feed.json",
            title=None,
            type="application/feed+json",
        ),
    ]


def test_wordpress_rest_links_are_not_feeds() -> None:
    page = b"""<html><head>
    <link rel="alternate" type="application/rss+xml" title="Flux" href="https://m.example/feed/">
    <link rel="alternate" type="application/json" href="https://m.example/wp-json/wp/v2/pages/12">
    <link rel="alternate" type="application/json+oembed" href="https://m.example/wp-json/oembed">
    </head></html>"""
    assert [f.url for f in discover_feeds(page, "https://m.example/")] == [
        "https://m.example/feed/"
    ]


def test_relative_links_without_a_base_element() -> None:
    page = b"""<html><head><link rel=alternate type="application/atom+xml" href="../news.atom">
    </head><body></body></html>"""
    assert discover_feeds(page, "https://ot.example/fr/index.html") == [
        FeedLink(url="https://ot.example/news.atom", title=None, type="application/atom+xml")
    ]


def test_pages_without_feeds_or_without_html() -> None:
    assert discover_feeds(b"<html><head><title>x</title></head></html>", "https://a.example/") == []
    assert discover_feeds(b"", "https://a.example/") == []
    assert discover_feeds(b"\x00\x01 not html", "https://a.example/") == []


def test_looks_like_html() -> None:
    assert looks_like_html((DATA / "page.html").read_bytes())
    assert looks_like_html(b"\xef\xbb\xbf  <!-- x --><HTML><body>")
    assert looks_like_html(
        b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html>'
    )
    assert not looks_like_html((DATA / "rss20_musee.xml").read_bytes())
    assert not looks_like_html((DATA / "atom10_office.xml").read_bytes())
    assert not looks_like_html(b'{"version": "https://jsonfeed.org/version/1.1"}')
