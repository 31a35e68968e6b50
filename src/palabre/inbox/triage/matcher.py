"""Finding the lexicons' phrases in a message's tokens, all lexicons in one pass.

Every phrase is normalised like the messages and indexed by its first word (or the
first three letters of a word ending in ``*``), so a message costs a few dictionary
look-ups per word however long the lexicons grow — much cheaper than one regular
expression alternation per lexicon, which tries every phrase at every position."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from palabre.inbox.triage.text import Token, tokens

WILD_PREFIX = 3


@dataclass(frozen=True, slots=True)
class Phrase:
    lexicon: str
    words: tuple[str, ...]  # normalised; a word ending in "*" matches any ending
    weight: float
    value: str  # what the lexicon maps it to (a weight's phrase, or a time kind)

    def matches_at(self, toks: list[Token], i: int) -> bool:
        if i + len(self.words) > len(toks):
            return False
        for k, word in enumerate(self.words):
            norm = toks[i + k].norm
            if word[-1] == "*" and len(word) > 1:
                if not norm.startswith(word[:-1]):
                    return False
            elif norm != word:
                return False
        return True


@dataclass(frozen=True, slots=True)
class Match:
    lexicon: str
    start: int  # first token
    end: int  # after the last token
    weight: float
    value: str


def normalise_phrase(phrase: str) -> tuple[str, ...]:
    wild = phrase.endswith("*")
    words = tuple(t.norm for t in tokens(phrase.rstrip("*")))
    if not words:
        raise ValueError(f"empty phrase: {phrase!r}")
    if wild:
        if len(words[-1]) < WILD_PREFIX:
            raise ValueError(f"a '*' needs at least {WILD_PREFIX} letters before it: {phrase!r}")
        words = (*words[:-1], words[-1] + "*")
    return words


class Matcher:
    """All lexicons, indexed once at import time."""

    def __init__(self, lexicons: Mapping[str, Mapping[str, float | str]]) -> None:
        exact: dict[str, list[Phrase]] = defaultdict(list)
        self.wild: dict[str, list[Phrase]] = defaultdict(list)
        vocabulary: set[str] = set()
        for name, entries in lexicons.items():
            for text, value in entries.items():
                words = normalise_phrase(text)
                weight = float(value) if isinstance(value, int | float) else 1.0
                phrase = Phrase(name, words, weight, str(value))
                first = words[0]
                if first.endswith("*"):
                    self.wild[first[:WILD_PREFIX]].append(phrase)
                else:
                    exact[first].append(phrase)
                vocabulary.update(w.rstrip("*") for w in words)
        for index in (exact, self.wild):
            for candidates in index.values():
                candidates.sort(key=lambda p: -len(p.words))  # longest first
        # Phrases of common first words ("ne", "on", "pas"…) indexed by their first two
        # words, so that a word costs a look-up rather than a try of each phrase; each
        # keeps its rank among its first word's phrases (longest first).
        self.pairs: dict[tuple[str, str], list[tuple[int, Phrase]]] = defaultdict(list)
        self.exact: dict[str, list[tuple[int, Phrase]]] = defaultdict(list)
        for first, candidates in exact.items():
            for rank, phrase in enumerate(candidates):
                second = phrase.words[1] if len(phrase.words) > 1 else "*"
                if second.endswith("*"):
                    self.exact[first].append((rank, phrase))
                else:
                    self.pairs[first, second].append((rank, phrase))
        self.vocabulary = frozenset(vocabulary)

    def _candidates(self, toks: list[Token], i: int) -> list[Phrase]:
        norm = toks[i].norm
        alone = self.exact.get(norm, ())
        paired = self.pairs.get((norm, toks[i + 1].norm), ()) if i + 1 < len(toks) else ()
        ranked = sorted((*alone, *paired)) if alone and paired else (alone or paired)
        out = [phrase for _, phrase in ranked]
        if len(norm) >= WILD_PREFIX:
            out.extend(self.wild.get(norm[:WILD_PREFIX], ()))
        return out

    def find(self, toks: list[Token]) -> dict[str, list[Match]]:
        """Per lexicon, its matches left to right, longest first, never overlapping
        within one lexicon (they may overlap across lexicons)."""
        found: dict[str, list[Match]] = defaultdict(list)
        taken_until: dict[str, int] = {}
        for i in range(len(toks)):
            for phrase in self._candidates(toks, i):
                if taken_until.get(phrase.lexicon, 0) > i or not phrase.matches_at(toks, i):
                    continue
                end = i + len(phrase.words)
                found[phrase.lexicon].append(
                    Match(phrase.lexicon, i, end, phrase.weight, phrase.value)
                )
                taken_until[phrase.lexicon] = end
        return found
