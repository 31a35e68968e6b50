"""Counting text as each network counts it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from palabre.channels.base import Capabilities
from palabre.channels.text import count, graphemes, mastodon_length

BLUESKY = Capabilities(text_limit=300, counting="graphemes")
MASTODON = Capabilities(text_limit=500, counting="mastodon")


def test_accents_and_emoji_count_as_one_character_each() -> None:
    assert graphemes("Été") == 3
    assert graphemes("e\u0301te\u0301") == 3  # decomposed accents: still 3 letters
    assert graphemes("👩‍👩‍👧‍👦") == 1  # a family emoji joined by ZWJ
    assert graphemes("🇫🇷") == 1  # a flag is two code points
    assert graphemes("👍🏽") == 1  # skin tone modifier


def test_mastodon_counts_every_url_as_23() -> None:
    long_url = "https://musee-valcourt.example/agenda/2026/expositions/turner?utm_source=x"
    assert mastodon_length(f"Voir {long_url}") == len("Voir ") + 23
    assert mastodon_length("http://a.fr") == 23
    assert mastodon_length(f"{long_url}.") == 24  # the final dot is not part of the URL


def test_mastodon_counts_a_remote_mention_as_its_local_part() -> None:
    assert mastodon_length("Merci @claire@musees.social !") == len("Merci @claire !")


def test_count_follows_the_channel_rule() -> None:
    text = "Lire https://example.org/" + "x" * 100
    assert count(text, MASTODON) == 5 + 23
    assert count(text, BLUESKY) == len(text)


@given(st.text())
def test_graphemes_never_exceed_code_points(text: str) -> None:
    assert 0 <= graphemes(text) <= len(text)


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/-_", min_size=1, max_size=300),
)
def test_a_url_costs_23_whatever_its_length(prefix: str, path: str) -> None:
    base = prefix + " "
    with_url = base + "https://example.org/" + path + " fin"
    assert mastodon_length(with_url) == mastodon_length(base + "x" * 23 + " fin")


@given(
    st.lists(st.sampled_from(["é", "à", "ç", "👍🏽", "🇫🇷", "œ", "e\u0301", " ", "a"]), max_size=400)
)
def test_french_text_with_emoji_counts_one_per_visible_character(chars: list[str]) -> None:
    assert graphemes("".join(chars)) == len(chars)
