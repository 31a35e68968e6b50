"""The learned part of triage: a linear model (multinomial logistic regression) over the
pieces of words (3 to 5 letters, accents and case folded, so that "fuiiite", "fuite" and
"FUITE" share most of them) and the words and pairs of words of a message, weighted by
tf-idf. Trained offline on the labelled sets (``scripts/train_triage_model.py``, with
scikit-learn), stored as weights in ``model.json.gz``, read here with numpy (a dot product
over the features a message has): deterministic, nothing sent anywhere.

It answers a category with its probability, and the words of the message that weighed
most towards it, quoted as written (the reason shown to the team). When it overrules the
rules is ``Policy``'s business (chosen by leaving each blind set out of training in turn).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from palabre.inbox.triage.text import EN_WORDS, FR_WORDS, fold

MODEL_FILE = Path(__file__).with_name("model.json.gz")
GRAMS = (3, 5)  # the shortest and longest pieces of words
WORD = re.compile(r"\w\w+")
FUNCTION_WORDS = FR_WORDS | EN_WORDS | {"dans", "avec", "from", "with", "have"}
WORDS_KEPT = 100_000  # words whose features are kept between messages


@dataclass(frozen=True)
class Guess:
    category: str
    probability: float
    rows: Any = field(default=None, repr=False, compare=False)  # what ``explain`` reads
    values: Any = field(default=None, repr=False, compare=False)


def _word(written: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A word's own features — its pieces (folded, padded with spaces) and its
    letters-and-digits parts — and those parts, which pair with their neighbours."""
    word = written.lower() if written.isascii() else fold(written)
    low, high = GRAMS
    padded = f" {word} "
    size = len(padded)
    pieces = (
        padded[i : i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)
    )
    parts = tuple(WORD.findall(word))
    return (*pieces, *(f"w {p}" for p in parts)), parts


def _pair(previous: str, part: str) -> str:
    return f"w {previous} {part}"


def features(text: str) -> list[tuple[str, int]]:
    """Each feature of ``text`` with the number of the word (split on spaces) it comes
    from: the word's own (``_word``), and pairs of neighbouring parts (a pair belongs to
    its second word)."""
    found: list[tuple[str, int]] = []
    previous = ""
    for k, word in enumerate(text.split()):
        own, parts = _word(word)
        found.extend((f, k) for f in own)
        for part in parts:
            if previous:
                found.append((_pair(previous, part), k))
            previous = part
    return found


def analyser(text: str) -> list[str]:
    """The features alone, as the trainer reads them."""
    return [f for f, _ in features(text)]


@dataclass(frozen=True)
class Policy:
    """When the model overrules the rules: when it is at least ``overrule`` sure of
    another category, unless the rules said one of ``keeps``. Chosen by leaving each
    blind set out of training in turn (``benchmarks/bench_triage.py --choose-policy``)."""

    overrule: float = 0.5
    keeps: tuple[str, ...] = ()  # categories of the rules the model never overrules
    # reasons that make the rules' category stand (what words alone cannot read)
    stands: tuple[str, ...] = ()


# An incident the rules found stands: missing one costs more than a glance at a false one.
# What sarcasm or a negation turns around, words alone read the other way ("Merci pour
# rien"): the rules' reading stands.
POLICY = Policy(0.5, ("incident",), ("sarcasm", "negation"))


@dataclass(frozen=True, eq=False)
class Linear:
    classes: tuple[str, ...]
    intercepts: Any  # numpy array, one per class
    index: dict[str, int]  # feature → row of ``idf`` and ``weights``
    idf: Any  # numpy array, one per feature
    weights: Any  # numpy array, feature × class
    fingerprint: str  # of the labelled rows it was trained on

    # a word as written → the rows of its known pieces and parts, and its parts (for pairs)
    words: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = field(default_factory=dict)

    def guess(self, text: str) -> Guess | None:
        """The most likely category and how sure; ``explain`` says why."""
        known = self._known(self._ids(text, flat=True)[0])
        if known is None:
            return None
        rows, x = known
        scores = (self.intercepts + x @ self.weights.take(rows, axis=0)).tolist()
        top = max(scores)
        probability = 1.0 / sum(math.exp(s - top) for s in scores)
        return Guess(self.classes[scores.index(top)], probability, rows, x)

    def explain(self, text: str, found: Guess) -> tuple[str, ...]:
        """The words of the message that weighed most towards the category guessed
        against the others, quoted as written (no numbers, no short or function words):
        at most three."""
        per_word = self._ids(text)
        rows, x = found.rows, found.values
        best = self.classes.index(found.category)
        mine = self.weights[rows, best]
        others = np.delete(self.weights[rows], best, axis=1).max(axis=1)
        weighed = dict(zip(rows.tolist(), (x * (mine - others)).tolist(), strict=True))
        lift = {k: sum(weighed[i] for i in ids) for k, ids in enumerate(per_word)}
        written = text.split()
        quoted: list[str] = []
        for k in sorted(lift, key=lambda k: (-lift[k], k)):
            if lift[k] <= 0 or len(quoted) == 3:
                break
            word = written[k].strip(".,;:!?¿¡\"'()«»…") if k < len(written) else ""
            plain = len(word) >= 3 and not word.isdigit() and fold(word) not in FUNCTION_WORDS
            if plain and word not in quoted:
                quoted.append(word)
        return tuple(quoted)

    def _ids(self, text: str, flat: bool = False) -> list[list[int]]:
        """The rows of the known features of each word (``features``, word by word;
        what a word gives alone is kept from one message to the next), or all in one
        list (``flat``)."""
        index, cache = self.index, self.words
        if len(cache) > WORDS_KEPT:
            cache.clear()
        per_word: list[list[int]] = [[]]
        previous = ""
        for word in text.split():
            entry = cache.get(word)
            if entry is None:
                own, parts = _word(word)
                found = [index.get(f) for f in own]
                entry = cache[word] = (tuple(i for i in found if i is not None), parts)
            if not flat:
                per_word.append([])
            ids = per_word[-1]
            ids.extend(entry[0])
            for part in entry[1]:
                if previous and (pair := index.get(_pair(previous, part))) is not None:
                    ids.append(pair)
                previous = part
        return per_word if flat else per_word[1:]

    def _known(self, ids: list[int]) -> tuple[Any, Any] | None:
        """The rows of the features the model knows, and their tf-idf values (l2)."""
        if not ids:
            return None
        rows, counts = np.unique(np.array(ids, dtype=np.intp), return_counts=True)
        x = self.idf.take(rows)
        if len(rows) < len(ids):  # a feature seen more than once: 1 + log(count)
            x *= 1.0 + np.log(counts)
        x /= np.sqrt(x @ x)
        return rows, x


def from_data(data: dict[str, Any]) -> Linear:
    names = list(data["features"])
    table = np.array([data["features"][f] for f in names], dtype=np.float64)
    return Linear(
        classes=tuple(data["classes"]),
        intercepts=np.array(data["intercepts"], dtype=np.float64),
        index={f: i for i, f in enumerate(names)},
        idf=np.ascontiguousarray(table[:, 0]),
        weights=np.ascontiguousarray(table[:, 1:]),
        fingerprint=data["fingerprint"],
    )


@lru_cache(maxsize=1)
def load() -> Linear | None:
    if not MODEL_FILE.exists():
        return None
    with gzip.open(MODEL_FILE, "rt", encoding="utf-8") as fh:
        return from_data(json.load(fh))
