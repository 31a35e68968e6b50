"""Damaged files (the corpus, cut, shuffled and scribbled on): a result or a plain message,
never a crash, for feeds and agendas alike."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palabre.sources.agenda import parse_agenda
from palabre.sources.feeds import parse_feed, parse_feed_fast, parse_feed_robust
from palabre.sources.parsed import SourceFormatError

DATA = Path(__file__).resolve().parents[2] / "data"
FEEDS = sorted((DATA / "feeds").glob("*.*"))
AGENDAS = sorted((DATA / "agendas").glob("*.ics"))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


ALL_DAMAGES = ("cut", "drop", "repeat", "swap", "scribble")


@st.composite
def damaged(
    draw,
    files: list[Path],
    damages: tuple[str, ...] = ALL_DAMAGES,
    junk=st.binary(min_size=1, max_size=8),
) -> bytes:
    body = draw(st.sampled_from(files)).read_bytes()
    lines = body.splitlines(keepends=True) or [b""]
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(damages))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if action == "cut":
            lines = lines[:i]
        elif action == "drop" and lines:
            del lines[i]
        elif action == "repeat" and lines:
            lines.insert(i, lines[i])
        elif action == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "scribble" and lines:
            scribble = draw(junk)
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + scribble + lines[i][at:]
    return b"".join(lines)


@SETTINGS
@given(damaged(FEEDS))
def test_a_damaged_feed_gives_a_feed_or_a_plain_message(body: bytes) -> None:
    try:
        feed = parse_feed(body, url="https://musee.example/feed")
    except SourceFormatError as exc:
        assert exc.message
    else:
        assert all(entry.guid for entry in feed.entries)


@SETTINGS
@given(damaged(AGENDAS), st.booleans())
def test_a_damaged_agenda_gives_occurrences_or_a_plain_message(body: bytes, robust) -> None:
    try:
        agenda = parse_agenda(body, default_tz="Europe/Paris", robust=robust)
        found = agenda.occurrences(
            datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
        )
    except SourceFormatError as exc:
        assert exc.message
    else:
        assert all(o.starts_at.tzinfo is not None and o.key for o in found)


@SETTINGS
@given(damaged(AGENDAS))
def test_when_both_agenda_paths_read_a_damaged_file_they_agree(body: bytes) -> None:
    window = (datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    results = []
    for robust in (False, True):
        try:
            results.append(
                parse_agenda(body, default_tz="Europe/Paris", robust=robust).occurrences(*window)
            )
        except SourceFormatError:
            results.append(None)
    fast, robust_result = results
    if fast is not None and robust_result is not None:
        assert fast == robust_result


# Lines cut, dropped or scribbled on (with text, not stray bytes), in their order. A feed that
# repeats or reorders its elements is read by each path in its own way (feedparser keeps the
# first of some and the last of others, and mixes a misplaced entry title with the feed's);
# one with more broken bytes than accented letters is read as Windows-1252, and feedparser
# has its own repairs for what that garbles.
TEXT_JUNK = st.text(min_size=1, max_size=8).map(lambda t: t.encode("utf-8", "replace"))


@SETTINGS
@given(damaged([f for f in FEEDS if f.suffix == ".xml"], ("cut", "drop", "scribble"), TEXT_JUNK))
def test_when_the_fast_path_reads_a_damaged_feed_the_robust_path_agrees(body: bytes) -> None:
    try:
        fast = parse_feed_fast(body, url="https://musee.example/feed")
    except SourceFormatError:
        return
    assert parse_feed_robust(body, url="https://musee.example/feed") == fast


def test_a_damaged_xhtml_tag_lxml_cannot_write_back_falls_to_the_robust_path() -> None:
    """Found by the fuzz test above: a stray byte inside the xhtml <div> of an Atom entry."""
    body = (FEEDS[0].parent / "atom10_office.xml").read_bytes()
    damaged_body = body.replace(b'<div xmlns="', b'<div \x80xmlns="')
    assert damaged_body != body
    feed = parse_feed(damaged_body, url="https://musee.example/feed")
    assert feed.entries[0].title.startswith("Fête du lac")


@pytest.mark.parametrize(
    "entry_id", ["0tag:lac.example,2024:fete", "fete-du-lac", "tag:lac.example,2024:fete"]
)
def test_an_entry_id_under_xml_base_reads_the_same_on_both_paths(entry_id: str) -> None:
    """An Atom id that is not an IRI (a scribbled "0tag:…", found by this file's fuzzing in
    CI) is resolved against the document's xml:base by feedparser: the fast path leaves such
    a feed to it, so both paths give the same guid."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:base="https://lac.example/agenda/"><title>Lac</title>'
        f"<entry><id>{entry_id}</id><title>Fête du lac</title>"
        '<link href="fete.html"/><updated>2024-06-02T08:00:00Z</updated></entry></feed>'
    ).encode()
    robust = parse_feed_robust(body, url="https://musee.example/feed")
    assert (
        parse_feed(body, content_type="application/atom+xml", url="https://musee.example/feed")
        == robust
    )
    try:
        assert parse_feed_fast(body, url="https://musee.example/feed") == robust
    except SourceFormatError:
        assert not entry_id.startswith("tag:")  # an IRI stays on the fast path
