"""Generated feeds (hypothesis): whatever the entries, both parsing paths read the same
thing, and what was written is what is read."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st

from palabre.sources.feeds import parse_feed, parse_feed_fast, parse_feed_robust

WORD = st.text(alphabet="abcdeéèàçôœ’'\"!?.,:;()-_ABCXYZ0123456789€🎨", min_size=1, max_size=10)
TEXT = st.lists(st.one_of(WORD, st.just("&")), min_size=1, max_size=8).map(" ".join)
SLUG = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
DATES = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)).map(
    lambda d: d.replace(microsecond=0, tzinfo=UTC)
)


@st.composite
def entries(draw) -> dict:
    return {
        "id": draw(SLUG),
        "title": draw(TEXT),
        "path": draw(SLUG),
        "summary": draw(TEXT),
        "categories": draw(st.lists(WORD.map(str.strip).filter(bool), max_size=3, unique=True)),
        "author": draw(st.none() | WORD.map(str.strip).filter(bool)),
        "published": draw(st.none() | DATES),
        "image": draw(st.none() | SLUG.map(lambda s: f"/images/{s}.jpg")),
    }


FEEDS = st.tuples(TEXT, st.lists(entries(), min_size=1, max_size=5, unique_by=lambda e: e["id"]))
BASE = "https://musee.example/"


def rss(title: str, items: list[dict]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(title)}</title><link>{BASE}</link>"
    ]
    for e in items:
        out.append(
            f'<item><guid isPermaLink="false">{e["id"]}</guid><title>{escape(e["title"])}</title>'
            f"<link>{BASE}{e['path']}</link><description>{escape(e['summary'])}</description>"
        )
        out += [f"<category>{escape(c)}</category>" for c in e["categories"]]
        if e["author"]:
            out.append(f"<dc:creator>{escape(e['author'])}</dc:creator>")
        if e["published"]:
            out.append(
                f"<pubDate>{e['published'].strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
            )
        if e["image"]:
            out.append(f'<enclosure url="{e["image"]}" type="image/jpeg" length="1"/>')
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out).encode()


def atom(title: str, items: list[dict]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{escape(title)}</title><link href="{BASE}"/>'
    ]
    for e in items:
        out.append(
            f"<entry><id>{e['id']}</id><title type='text'>{escape(e['title'])}</title>"
            f'<link rel="alternate" href="{e["path"]}"/>'
            f"<summary>{escape(e['summary'])}</summary>"
        )
        out += [f"<category term={quoteattr(c)}/>" for c in e["categories"]]
        if e["author"]:
            out.append(f"<author><name>{escape(e['author'])}</name></author>")
        if e["published"]:
            out.append(f"<published>{e['published'].isoformat()}</published>")
        if e["image"]:
            out.append(f'<link rel="enclosure" type="image/jpeg" href="{e["image"]}"/>')
        out.append("</entry>")
    out.append("</feed>")
    return "".join(out).encode()


def json_feed(title: str, items: list[dict]) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": BASE,
            "items": [
                {
                    "id": e["id"],
                    "title": e["title"],
                    "url": e["path"],
                    "content_text": e["summary"],
                    "tags": e["categories"],
                    **({"authors": [{"name": e["author"]}]} if e["author"] else {}),
                    **({"date_published": e["published"].isoformat()} if e["published"] else {}),
                    **({"image": e["image"]} if e["image"] else {}),
                }
                for e in items
            ],
        }
    ).encode()


def check(feed, title: str, items: list[dict]) -> None:
    assert feed.title == " ".join(title.split())
    assert [e.guid for e in feed.entries] == [e["id"] for e in items]
    for got, want in zip(feed.entries, items, strict=True):
        assert got.title == " ".join(want["title"].split())
        assert got.link == BASE + want["path"]
        assert got.categories == tuple(" ".join(c.split()) for c in want["categories"])
        assert got.author == (" ".join(want["author"].split()) if want["author"] else None)
        assert got.published == want["published"]
        assert got.image_url == (BASE + want["image"][1:] if want["image"] else None)


@settings(max_examples=60, deadline=None)
@given(FEEDS)
def test_rss_both_paths_agree_and_read_what_was_written(feed_data) -> None:
    title, items = feed_data
    body = rss(title, items)
    fast = parse_feed_fast(body, url=BASE + "feed")
    assert fast == parse_feed_robust(body, url=BASE + "feed")
    check(fast, title, items)


@settings(max_examples=60, deadline=None)
@given(FEEDS)
def test_atom_both_paths_agree_and_read_what_was_written(feed_data) -> None:
    title, items = feed_data
    body = atom(title, items)
    fast = parse_feed_fast(body, url=BASE + "feed.atom")
    assert fast == parse_feed_robust(body, url=BASE + "feed.atom")
    check(fast, title, items)


@settings(max_examples=40, deadline=None)
@given(FEEDS)
def test_json_feed_reads_what_was_written(feed_data) -> None:
    title, items = feed_data
    check(parse_feed(json_feed(title, items), url=BASE + "feed.json"), title, items)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_feed_or_a_plain_message(body: bytes) -> None:
    from palabre.sources.parsed import SourceFormatError

    try:
        parse_feed(body)
    except SourceFormatError as exc:
        assert exc.message
