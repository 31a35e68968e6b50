"""Triage of incoming messages: a category, an urgency, an importance flag and the
reasons, in French and English, from transparent rules (see docs/triage.md).

>>> triage("Super, encore fermé un dimanche 👏").category
'complaint'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from palabre.inbox.triage.alarms import narrated
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
from palabre.inbox.triage.model import POLICY, NaiveBayes, Policy, guess, load
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
    the learned fallback out (rules only), for measuring what each part does."""
    return judge(text, lang, load() if learned else None)


def judge(text: str, lang: str | None, model: NaiveBayes | None, policy: Policy = POLICY) -> Triage:
    """``triage`` with a given learned model (``None``: rules only) and a given policy
    for when the model may speak — for measuring by leaving a set out of training."""
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
    social = bool(ev.friends or ev.wishes)  # nothing for the fallback to recognise
    if model is not None and not social and policy.may_speak(category, reasons):
        category, urgency, reasons = _learned(ev, model, policy, category, urgency, reasons)
    if not reasons:
        reasons = [Reason("nothing")]
    if truncated:
        reasons.append(Reason("truncated"))
    return Triage(category, urgency, important_of(ev, category), tuple(reasons), language)


def _learned(
    ev: Evidence,
    model: NaiveBayes,
    policy: Policy,
    category: Category,
    urgency: Urgency,
    reasons: list[Reason],
) -> tuple[Any, Any, list[Reason]]:
    """The rules found nothing, or nothing decisive: the learned fallback may recognise
    the message (see model.py)."""
    found = guess(model, ev.text, ev.toks)
    if found is None or not policy.follows(found, category, reasons):
        return category, urgency, reasons
    if found.category == "incident" and (ev.told_past or narrated(ev.text)):
        return category, urgency, reasons  # "last Sunday the toilets were…", "j'étais…"
    learned: Category = found.category  # type: ignore[assignment]
    urgency = urgency_of(ev, learned)
    return (
        learned,
        urgency,
        [Reason(f"like_{learned}", found.words), *reasons_of(ev, learned, urgency)],
    )
