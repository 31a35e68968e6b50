"""Which items an automation keeps: keywords (accent- and case-insensitive, whole words),
categories, age. Pure functions, so the dry run and the worker agree."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache

import regex

from palabre.automations.settings import Filters
from palabre.sources.models import SourceItem


def fold(text: str) -> str:
    """Lower case, accents removed: 'Été' and 'ete' are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=512)
def _word_re(word: str) -> regex.Pattern[str]:
    return regex.compile(r"(?<![\p{L}\p{N}])" + regex.escape(fold(word)) + r"(?![\p{L}\p{N}])")


def has_word(text: str, word: str) -> bool:
    word = word.strip()
    return bool(word) and _word_re(word).search(fold(text)) is not None


def count_word(text: str, word: str) -> int:
    word = word.strip()
    return len(_word_re(word).findall(fold(text))) if word else 0


def item_text(item: SourceItem) -> str:
    return f"{item.title}\n{item.summary_text}"


def item_time(item: SourceItem) -> datetime:
    return item.published_at or item.first_seen_at


def passes(item: SourceItem, rules: Filters, now: datetime) -> bool:
    """Keep the item? Age, excluded words, included words (any), categories (any)."""
    if item_time(item) < now - timedelta(days=rules.max_age_days):
        return False
    text = item_text(item)
    if any(has_word(text, w) for w in rules.exclude):
        return False
    if rules.include and not any(has_word(text, w) for w in rules.include):
        return False
    return not rules.categories or _any_category(item.categories or [], rules.categories)


def _any_category(have: Iterable[str], wanted: list[str]) -> bool:
    folded = {fold(c).strip() for c in have}
    return any(fold(w).strip() in folded for w in wanted)
