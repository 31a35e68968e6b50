"""Translations (Babel catalogues, French first) and locale-aware formatting."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is written; it is translated later, where
    it is shown (``_()`` in a template, ``tr.gettext`` in a view)."""
    return message


LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"


@lru_cache
def translations(lang: str) -> NullTranslations:
    """Compiled from the .po file at first use, so a plain pip install needs no build."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def pick_language(*candidates: str | None, accept: str | None = None) -> str:
    for lang in candidates:
        if lang in LANGUAGES:
            return lang
    if accept:
        for part in accept.split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


class Translator:
    """What templates and views use: ``_``, ``ngettext`` and formatting for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._t = translations(lang)
        self.locale = Locale.parse(lang)

    def gettext(self, message: str, **params: Any) -> str:
        text = self._t.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        text = self._t.ngettext(singular, plural, n)
        return text % dict(params, num=n)

    def datetime(self, value: dt.datetime | None, tz: str, fmt: str = "medium") -> str:
        if value is None:
            return ""
        return format_datetime(value, fmt, tzinfo=_zone(tz), locale=self.locale)

    def pattern(self, value: dt.datetime | None, tz: str, pattern: str) -> str:
        if value is None:
            return ""
        return format_datetime(value, pattern, tzinfo=_zone(tz), locale=self.locale)


@lru_cache
def translator_for(lang: str) -> Translator:
    """One translator per language per process: it holds no per-request state."""
    return Translator(lang)


def _zone(tz: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz)
