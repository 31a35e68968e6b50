"""Keyword filters: whole words, blind to case and accents — for any words."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from palabre.automations.filters import count_word, fold, has_word

letters = st.text(st.sampled_from("abcdeéèêfghiîjklmnoôpqrstuùûvwxyzçæœ"), min_size=2, max_size=10)
separators = st.sampled_from([" ", ", ", " — ", "\n", "'", " (", ") ", "!"])


def shout(word: str) -> str:
    """The same word as someone might type it: capitals, accents composed or not."""
    return unicodedata.normalize("NFD", word.upper())


@given(
    before=st.lists(letters, max_size=5),
    word=letters,
    after=st.lists(letters, max_size=5),
    sep=separators,
)
def test_a_word_is_found_whatever_its_case_and_accents(
    before: list[str], word: str, after: list[str], sep: str
) -> None:
    text = sep.join([*before, shout(word), *after])
    assert has_word(text, word)
    assert has_word(text, fold(word))  # typed without accents
    assert count_word(text, word) >= 1


@given(word=letters, extra=letters)
def test_part_of_a_longer_word_is_not_the_word(word: str, extra: str) -> None:
    assert not has_word(f"{word}{extra} {extra}{word}", word)


def test_examples() -> None:
    assert has_word("L'ÉTÉ au musée", "ete")
    assert not has_word("Un complété.", "été")
    assert count_word("Mosaïque, mosaique et MOSAÏQUE", "mosaïque") == 3
