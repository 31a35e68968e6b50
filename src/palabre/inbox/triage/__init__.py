"""Triage of incoming messages: a category, an urgency, an importance flag and the
reasons, in French and English, from transparent rules and a learned model that may
overrule their category when it is sure (see docs/triage.md).

>>> triage("Super, encore fermé un dimanche 👏").category
'complaint'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from palabre.inbox.triage.engine import (
    CATEGORIES,
    URGENCIES,
    Category,
    Urgency,
    category_of,
    important_of,
    reasons_of,
    urgency_of,
)
from palabre.inbox.triage.evidence import MATCHER, Evidence, gather
from palabre.inbox.triage.linear import POLICY, Linear, Policy, load
from palabre.inbox.triage.reasons import MESSAGES, Reason
from palabre.inbox.triage.text import MAX_ANALYSED, detect_language, plain_text, tokens

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "MAX_ANALYSED",
    "MESSAGES",
    "URGENCIES",
    "Category",
    "Language",
    "Reason",
    "Triage",
    "Urgency",
    "judge",
    "plain_text",
    "triage",
]


@dataclass(frozen=True, slots=True)
class Triage:
    category: Category
    urgency: Urgency
    important: bool
    reasons: tuple[Reason, ...]
    lang: Language  # the message's language, given or detected


def triage(text: str, lang: str | None = None, *, learned: bool = True) -> Triage:
    """How ``text`` (plain or HTML) would be triaged. Reads at most the first
    ``MAX_ANALYSED`` characters of its text; stores nothing. ``learned=False`` leaves
    the learned model out (rules only), for measuring what each part does."""
    return judge(text, lang, load() if learned else None)


def judge(text: str, lang: str | None, model: Linear | None, policy: Policy = POLICY) -> Triage:
    """``triage`` with a given learned model (``None``: rules only) and a given policy
    for when it overrules the rules — for measuring by leaving a set out of training."""
    plain = plain_text(text)
    truncated = len(plain) > MAX_ANALYSED
    if truncated:
        plain = plain[:MAX_ANALYSED]
    toks = tokens(plain, MATCHER.vocabulary)
    language: Language = "en" if lang == "en" else "fr"
    if lang not in LANGUAGES:
        language = detect_language(plain, toks)
    ev = gather(plain, toks)
    category = category_of(ev)
    urgency = urgency_of(ev, category)
    reasons = reasons_of(ev, category, urgency)
    if model is not None and not ev.friends and category not in policy.keeps:
        category, urgency, reasons = _learned(ev, model, policy, category, urgency, reasons)
    if not reasons:
        reasons = [Reason("nothing")]
    if truncated:
        reasons.append(Reason("truncated"))
    return Triage(category, urgency, important_of(ev, category), tuple(reasons), language)


def _learned(
    ev: Evidence,
    model: Linear,
    policy: Policy,
    category: Category,
    urgency: Urgency,
    reasons: list[Reason],
) -> tuple[Any, Any, list[Reason]]:
    """The learned model overrules the rules' category when it is sure of another; its
    reason quotes the words that weighed most (see linear.py)."""
    if any(r.code in policy.stands for r in reasons):
        return category, urgency, reasons
    if not any(ch.isalpha() for ch in ev.text):  # emoji alone: the rules read them all
        return category, urgency, reasons
    found = model.guess(ev.text)
    if found is None or found.category == category or found.probability < policy.overrule:
        return category, urgency, reasons
    learned: Category = found.category  # type: ignore[assignment]
    if urgency == "urgent" and urgency_of(ev, learned) != "urgent":
        return category, urgency, reasons  # a message for today is not made to wait
    urgency = urgency_of(ev, learned)
    return (
        learned,
        urgency,
        [
            Reason(f"like_{learned}", model.explain(ev.text, found)),
            *reasons_of(ev, learned, urgency),
        ],
    )
