"""Bluesky facets point at the right bytes, whatever accents and emoji come before."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from palabre.channels.base import Capabilities
from palabre.channels.bluesky.facets import build_facets, find_links, find_spans
from palabre.channels.bluesky.tid import is_tid, tid_for
from palabre.channels.text import count, graphemes

BLUESKY = Capabilities(text_limit=300, counting="graphemes")
WORDS = ["Été", "fête", "café", "Noël", "où", "garçon", "e\u0301te\u0301", "à", "œuvre", "ça"]
EMOJI = ["🌞", "☕", "👩‍👩‍👧‍👦", "🇫🇷", "👍🏽", "❤️", "🧑🏾‍🎨"]
PUNCT = ["", ".", ",", "!", "?", ")", "…", ":", ";"]
URLS = [
    "https://exemple.fr",
    "https://musée.fr/été?x=1&y=2",
    "http://a.b/c_(d)",
    "https://x.org/#ancre",
]
HANDLES = ["alice.test", "musee-valcourt.bsky.social", "bob.example.org"]
TAGS = ["fête", "Lyon2026", "été_🌞", "Noël"]

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(EMOJI),
    st.tuples(st.sampled_from(URLS), st.sampled_from(PUNCT)).map(lambda t: ("link", *t)),
    st.tuples(st.sampled_from(HANDLES), st.sampled_from(PUNCT)).map(lambda t: ("mention", *t)),
    st.tuples(st.sampled_from(TAGS), st.sampled_from(PUNCT)).map(lambda t: ("tag", *t)),
)
SEPARATORS = st.sampled_from([" ", "\n", "  ", " \n"])


def render(item: object) -> str:
    if isinstance(item, str):
        return item
    kind, value, punct = item  # type: ignore[misc]
    prefix = {"link": "", "mention": "@", "tag": "#"}[kind]
    return f"{prefix}{value}{punct}"


@st.composite
def posts(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A French text and, in order, the (kind, value) of each link, mention and tag in it."""
    items = draw(st.lists(token, max_size=12))
    text, expected = "", []
    for item in items:
        text += draw(SEPARATORS) if text else ""
        text += render(item)
        if not isinstance(item, str):
            expected.append((item[0], item[1]))
    return text, expected


def resolve(handle: str) -> str | None:
    return f"did:plc:{handle.replace('.', '')[:24]}" if handle != "bob.example.org" else None


@given(posts())
def test_every_facet_points_at_its_bytes(post: tuple[str, list[tuple[str, str]]]) -> None:
    text, _ = post
    data = text.encode("utf-8")
    for facet in build_facets(text, resolve):
        piece = data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode("utf-8")
        feature = facet["features"][0]
        if feature["$type"].endswith("#link"):
            assert piece == feature["uri"]
        elif feature["$type"].endswith("#tag"):
            assert piece == "#" + feature["tag"]
        else:
            assert piece.startswith("@") and resolve(piece[1:].lower()) == feature["did"]


@given(posts())
def test_links_mentions_and_tags_are_all_found_and_never_overlap(
    post: tuple[str, list[tuple[str, str]]],
) -> None:
    text, expected = post
    spans = find_spans(text)
    assert [(s.kind, s.value) for s in spans] == expected
    for before, after in itertools.pairwise(spans):
        assert before.end <= after.start


@given(posts())
def test_unknown_handles_stay_plain_text(post: tuple[str, list[tuple[str, str]]]) -> None:
    text, expected = post
    facets = build_facets(text, resolve)
    assert len(facets) == len([e for e in expected if e != ("mention", "bob.example.org")])


@given(st.sampled_from(URLS), st.text(alphabet=".,;:!?…\"'", min_size=1, max_size=4))
def test_trailing_punctuation_is_not_part_of_a_link(url: str, punct: str) -> None:
    (link,) = find_links(f"Voir {url}{punct} 🌞")
    assert link.value == url


def test_byte_offsets_after_accents_and_emoji() -> None:
    text = "Été 🌞 #fête"
    (facet,) = build_facets(text, resolve)
    assert facet["index"] == {"byteStart": 11, "byteEnd": 17}


def test_a_link_inside_parentheses_keeps_its_own() -> None:
    assert [s.value for s in find_links("(voir https://a.b/c_(d))")] == ["https://a.b/c_(d)"]


def test_numbers_are_not_hashtags_and_a_url_fragment_is_not_one() -> None:
    assert [s.kind for s in find_spans("#2026 et https://x.org/#ancre")] == ["link"]


@given(st.lists(st.sampled_from(WORDS + EMOJI), min_size=1, max_size=30))
def test_graphemes_count_each_accented_letter_and_emoji_once(tokens: list[str]) -> None:
    text = " ".join(tokens)
    assert graphemes(text) == sum(graphemes(t) for t in tokens) + len(tokens) - 1
    assert count(text, BLUESKY) == graphemes(text)
    assert all(graphemes(e) == 1 for e in EMOJI)
    assert graphemes(text) <= len(text) < len(text.encode("utf-8")) + 1


@given(st.text(min_size=1, max_size=60))
def test_record_keys_are_valid_tids_and_stable(key: str) -> None:
    rkey = tid_for(key)
    assert is_tid(rkey) and tid_for(key) == rkey
    assert tid_for(key + "#2") != rkey
