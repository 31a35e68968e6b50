"""Triage of incoming messages: a category, an urgency, an importance flag and the
reasons, in French and English, from transparent rules (see docs/triage.md).

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
from palabre.inbox.triage.model import CONFIDENT, guess
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
    if not reasons and learned:
        category, urgency, reasons = _learned(ev, category, urgency)
    elif not reasons:
        reasons = [Reason("nothing")]
    if truncated:
        reasons.append(Reason("truncated"))
    return Triage(category, urgency, important_of(ev, category), tuple(reasons), language)


def _learned(ev: Evidence, category: Category, urgency: Urgency) -> tuple[Any, Any, list[Reason]]:
    """No cue found: the learned fallback may recognise the message (see model.py)."""
    found = guess(ev.text, ev.toks)
    if found is None or found.category == "other" or found.probability < CONFIDENT:
        return category, urgency, [Reason("nothing")]
    if not found.words:
        return category, urgency, [Reason("nothing")]
    learned: Category = found.category  # type: ignore[assignment]
    urgency = urgency_of(ev, learned)
    reasons = [Reason(f"like_{learned}", found.words), *reasons_of(ev, learned, urgency)]
    return learned, urgency, reasons
