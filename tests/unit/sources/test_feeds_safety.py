"""Hostile XML: entity expansion (billion laughs) and external entities (XXE) are refused or
left unexpanded by both parsing paths, and nothing is fetched or read from disk."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from palabre.sources.feeds import parse_feed, parse_feed_fast, parse_feed_robust
from palabre.sources.parsed import SourceFormatError

DATA = Path(__file__).resolve().parents[2] / "data" / "feeds"
HOSTILE = ["billion_laughs.xml", "xxe_file.xml", "xxe_parameter.xml", "xxe_external_dtd.xml"]
PATHS = [parse_feed, parse_feed_fast, parse_feed_robust]


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("parse", PATHS, ids=lambda f: f.__name__)
def test_hostile_documents_are_harmless(name: str, parse) -> None:
    started = time.process_time()
    try:
        feed = parse((DATA / name).read_bytes())
    except SourceFormatError:
        feed = None
    assert time.process_time() - started < 2
    if feed is None:
        return
    text = repr(feed)
    assert "lollol" not in text  # no entity expanded
    assert "root:" not in text  # /etc/passwd not read
    assert len(text) < 2000


def test_a_refused_doctype_says_why() -> None:
    body = b'<!DOCTYPE rss [<!ENTITY a "x"><!ELEMENT' + b"x" * 10 + b"<rss/>"
    with pytest.raises(SourceFormatError, match="refuses for safety"):
        parse_feed(body)


def test_simple_entities_of_a_doctype_are_kept() -> None:
    body = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss [<!ENTITY musee "Mus&#233;e"><!ENTITY c "\xc2\xa9">]>'
        b"<rss><channel><title>&musee; d'art &c;</title></channel></rss>"
    )
    for parse in PATHS:
        assert parse(body).title == "Musée d'art ©"


def test_a_doctype_after_a_comment_is_disarmed_too() -> None:
    body = (
        b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><title>&x;</title></channel></rss>"
    )
    for parse in (parse_feed, parse_feed_robust):
        assert "root:" not in parse(body).title
