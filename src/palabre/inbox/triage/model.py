"""A small learned fallback for what the rules cannot decide: a naive Bayes over words,
pairs of neighbouring words and word stems, trained on the labelled sets
(``scripts/train_triage_model.py``), stored as counts in ``model.json``, read offline,
deterministic.

It speaks when the rules found no cue at all and it is at least ``CONFIDENT`` sure, or when
they found cues too weak to decide anything ("other") and it is at least ``SURE`` sure, or
when the rules saw no incident, complaint or spam and it gives an incident at least
``INCIDENT`` of the probability (``Policy``, chosen by leaving each training set out in
turn and on a set written after the rules); its reason names the words that made the
message resemble the category, quoted as written."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from palabre.inbox.triage.lexicons import NEGATORS, words
from palabre.inbox.triage.text import Token, plain_text, tokens

MODEL_FILE = Path(__file__).with_name("model.json")
CONFIDENT = 0.6  # when the rules found no cue
SURE = 0.8  # when they found cues too weak to decide
STEM = 5
STOPWORDS = words(
    "le la les de des du un une et a au en pour sur dans ce c est l d qu que qui il elle "
    "on je j vous nous y ne se s n the an of to in on and is it i you we my our your "
    "this that for at be are was "
    # greetings say nothing of what a message is about, nor the day of what it is
    # about (that is urgency's business: "Il pleut à Nantes aujourd'hui" is no question)
    "bonjour bonsoir hello hi hey salut coucou slt bjr "
    "aujourd hui today tonight tomorrow demain soir matin"
)


POSSESSIVES = words(
    "mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs his her their its me him them"
)


@dataclass(frozen=True)
class Guess:
    category: str
    probability: float
    words: tuple[str, ...]  # quoted from the message


@dataclass(frozen=True)
class NaiveBayes:
    priors: dict[str, float]  # log P(category)
    counts: dict[str, dict[str, int]]
    totals: dict[str, int]
    vocabulary_size: int
    # every feature seen in training → log P(feature | category), per category in the
    # order of ``priors``: computed once, so a message costs a look-up per feature
    table: dict[str, tuple[float, ...]] = field(default_factory=dict, repr=False)

    def log_likelihood(self, category: str, feature: str) -> float:
        count = self.counts[category].get(feature, 0)
        return math.log((count + 1) / (self.totals[category] + self.vocabulary_size))


def features(toks: list[Token]) -> list[tuple[str, int, int]]:
    """Words (not punctuation or stop words) and pairs of neighbouring words, each with
    the span of tokens it comes from."""
    found = [
        (t.norm, i, i + 1)
        for i, t in enumerate(toks)
        if t.norm[:1].isalnum() and t.norm not in STOPWORDS
    ]
    pairs = [(f"{a}_{b}", i, k) for (a, i, _), (b, _, k) in pairwise(found)]
    # The stem of a long word, so that "bloquée", "bloqués", "bloquer" count together.
    stems = [(f"{w[:STEM]}~", i, k) for w, i, k in found if len(w) > STEM + 1]
    # A negation or a possessive says something only of the word it goes with ("répond
    # plus", "mon fils"): alone, "plus" or "mon" made "je note pour plus tard" or "ça me
    # rappelle mon enfance" incidents.
    alone = [f for f in found if f[0] not in NEGATORS and f[0] not in POSSESSIVES]
    return alone + pairs + stems


def train(rows: Iterable[tuple[str, str]], vocabulary: frozenset[str]) -> dict[str, object]:
    """The model's file content from (text, category) pairs: counts, nothing else."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    documents: Counter[str] = Counter()
    for text, category in rows:
        counts[category].update(f for f, _, _ in features(tokens(plain_text(text), vocabulary)))
        documents[category] += 1
    return {
        "vocabulary_size": len(set().union(*counts.values())),
        "categories": {
            c: {"documents": documents[c], "counts": dict(sorted(counts[c].items()))}
            for c in sorted(counts)
        },
    }


@lru_cache(maxsize=1)
def load() -> NaiveBayes | None:
    if not MODEL_FILE.exists():
        return None
    return from_counts(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def from_counts(data: dict[str, Any]) -> NaiveBayes:
    """The model from what ``train`` gives (the content of ``model.json``)."""
    n = sum(c["documents"] for c in data["categories"].values())
    model = NaiveBayes(
        priors={k: math.log(v["documents"] / n) for k, v in data["categories"].items()},
        counts={k: v["counts"] for k, v in data["categories"].items()},
        totals={k: sum(v["counts"].values()) for k, v in data["categories"].items()},
        vocabulary_size=data["vocabulary_size"],
    )
    seen = set().union(*model.counts.values())
    for feature in seen:
        model.table[feature] = tuple(model.log_likelihood(c, feature) for c in model.priors)
    return model


@dataclass(frozen=True)
class Policy:
    """When the learned model may overrule the rules, and how sure it must be. Chosen by
    leaving each labelled set out of training in turn (``benchmarks/bench_triage.py
    --choose-policy``) and on a set written after the rules (train7, before it was
    trained on)."""

    confident: float = CONFIDENT  # the rules found no cue at all
    when_other: float | None = None  # the rules found cues, yet nothing decisive ("other")
    # the rules said question/praise/suggestion, the model is this sure of an incident
    # or a complaint
    override: float | None = None
    # the rules said other (cues too weak to decide, or none), the model is this sure of
    # an incident — less sure than of anything else: missing an incident costs more than
    # a glance at a false one
    incident: float | None = None
    # the rules said a question, the model is at least this sure of an incident
    question_incident: float | None = None

    def may_speak(self, category: str, reasons: list[Any]) -> bool:
        if not reasons:
            return True
        if category == "other":
            return self.when_other is not None or self.incident is not None
        if category == "question" and self.question_incident is not None:
            return True
        return self.override is not None and category in WEAK

    def follows(self, found: Guess, category: str, reasons: list[Any]) -> bool:
        if found.category == "other" or not found.words:
            return False
        # Leaning towards incidents, but not over praise too weak to decide ("ça sent bon")
        praising = any(getattr(r, "code", "") == "positive" for r in reasons)
        if found.category == "incident" and not praising:
            at = self.question_incident if category == "question" else self.incident
            if category in ("other", "question") and at is not None and found.probability >= at:
                return True
        if not reasons:
            return found.probability >= self.confident
        if category == "other":
            return self.when_other is not None and found.probability >= self.when_other
        serious = found.category in ("incident", "complaint")
        return self.override is not None and serious and found.probability >= self.override


WEAK = ("question", "praise", "suggestion")
INCIDENT = 0.5  # the rules said other
QUESTION_INCIDENT = 0.99  # the rules said a question
POLICY = Policy(CONFIDENT, SURE, incident=INCIDENT, question_incident=QUESTION_INCIDENT)


def guess(model: NaiveBayes, text: str, toks: list[Token]) -> Guess | None:
    feats = features(toks)
    if not feats:
        return None
    table = model.table
    known = [f for f in feats if f[0] in table]
    sums = [sum(column) for column in zip(*(table[f] for f, _, _ in known), strict=True)]
    scores = {
        c: prior + (sums[k] if sums else 0.0) for k, (c, prior) in enumerate(model.priors.items())
    }
    top = max(scores.values())
    total = sum(math.exp(s - top) for s in scores.values())
    best = max(scores, key=lambda c: (scores[c], c))
    probability = 1 / total
    return Guess(best, probability, _telling_words(model, best, known, text, toks))


Feature = tuple[str, int, int]


def _telling_words(
    model: NaiveBayes, category: str, known: list[Feature], text: str, toks: list[Token]
) -> tuple[str, ...]:
    """The features that most favour ``category`` over the others, quoted as written."""
    mine_at = list(model.priors).index(category)
    lifts: dict[str, float] = {}  # a long message repeats its words: each is weighed once

    def lift(feature: str) -> float:
        if feature not in lifts:
            row = model.table[feature]
            lifts[feature] = row[mine_at] - max(x for k, x in enumerate(row) if k != mine_at)
        return lifts[feature]

    # Quoted words must mean something to a reader: no numbers, no two-letter words.
    readable = [f for f in known if len(f[0]) >= 3 and not f[0].replace("_", "").isdigit()]
    ranked = sorted(readable, key=lambda f: (-lift(f[0]), f[1]))
    quoted: list[str] = []
    for feature, start, end in ranked:
        if lifts[feature] <= 0 or len(quoted) == 3:
            break
        quote = text[toks[start].start : toks[end - 1].end]
        if quote not in quoted:
            quoted.append(quote)
    return tuple(quoted)
