"""From a message to the tokens the rules read: plain text, words and emoji, each with its
normalised form (lower case, no accents, elongations shortened) and where it was written,
so that every reason can quote the words exactly as the person typed them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Literal

from palabre.inbox.triage.lexicons import words

# Only the beginning of a very long message is read: what matters is said first, and the
# cost of a message stays bounded (a 10,000-character paste costs like a 5,000 one).
MAX_ANALYSED = 5000

# A bare domain is a link too ("bit.ly/promo", "colis-suivi-fr.com"): spam rarely
# writes "https://". Only common endings, so that "etc.fr" in prose stays words.
_DOMAIN = (
    r"(?<![\w@.])(?=[\w-]+\.[a-z])"  # a word with a dot: fails fast on every other word
    r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|fr|info|shop|store|"
    r"help|io|ly|ee|co|biz|xyz|me|eu|online|site|club|top|app|link|live|be|ch|uk)\b(?:/\S*)?"
)
_TOKEN = re.compile(
    r"https?://\S+|www\.\S+|(?i:" + _DOMAIN + ")"  # links, whole
    r"|n['’]t\b"  # English "n't" as its own token (→ "not")
    r"|\w+?(?=n['’]t\b)"  # the verb before it ("do" of "don't")
    r"|\w+"  # words
    r"|[?!.,;:]"  # sentence punctuation: ends a negation's scope, marks questions
    r"|[^\w\s]",  # emoji and other symbols, one by one
)
_IGNORED = frozenset("\ufe0f\u200d\u20e3'’\"«»()[]{}-_*/\\|~^`") | {
    chr(c)
    for c in range(0x1F3FB, 0x1F400)  # skin tones
}
# Question marks of other scripts (Arabic, full-width) read as "?".
_QUESTION_MARKS = {"؟": "?", "？": "?", "⸮": "?"}
_ELONGATED = re.compile(r"(\w)\1{2,}")
_TAG_HINT = re.compile(r"<[a-zA-Z/!]")
_FOLD = str.maketrans(
    {
        **dict(
            zip(
                "àáâãäåāăąçćčďèéêëēĕėęěìíîïĩīĭįðñńňòóôõöøōŏőùúûüũūŭůűųýÿŕřśšţťźżž",
                "aaaaaaaaacccdeeeeeeeeeiiiiiiiidnnnooooooooouuuuuuuuuuyyrrssttzzz",
                strict=True,
            )
        ),
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
    }
)


class _TextOnly(HTMLParser):
    """The text of an HTML fragment, without tags, scripts or styles (for reading only:
    nothing of it is ever displayed as HTML)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def plain_text(text: str) -> str:
    """The message as a person reads it: tags removed (Mastodon statuses are HTML),
    entities decoded, surrounding space trimmed."""
    if _TAG_HINT.search(text):
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    elif "&" in text:
        text = html.unescape(text)
    return text.strip()


def fold(word: str) -> str:
    """Lower case without accents: "Déçue" → "decue", "ŒUVRE" → "oeuvre"."""
    return word.casefold().translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Token:
    norm: str  # what the rules compare
    start: int  # where it was written in the analysed text
    end: int


def tokens(text: str, vocabulary: frozenset[str] = frozenset()) -> list[Token]:
    """Words, links, punctuation and emoji of ``text``. An elongated word ("trèèès",
    "Soooo") is shortened to the form the vocabulary knows, if any."""
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw in _IGNORED:
            continue
        out.append(Token(_norm(raw, vocabulary), m.start(), m.end()))
    return out


@lru_cache(maxsize=65_536)
def _norm(raw: str, vocabulary: frozenset[str]) -> str:
    """What the rules compare for a token as written (the same word recurs: kept)."""
    if len(raw) > 4 and (raw.startswith(("http://", "https://", "www.")) or "." in raw):
        return "<url>"
    if len(raw) == 3 and raw[1] in "'’":
        return "not"
    if raw[0].isalnum() or raw[0] == "_":
        norm = fold(raw)
        return _shorten(norm, vocabulary) if _ELONGATED.search(norm) else norm
    return _QUESTION_MARKS.get(raw, raw)


def _shorten(word: str, vocabulary: frozenset[str]) -> str:
    single = _ELONGATED.sub(r"\1", word)
    if single in vocabulary:
        return single
    double = _ELONGATED.sub(r"\1\1", word)
    return double if double in vocabulary else single


FR_WORDS = words(
    "le la les des un une est et je vous nous pour pas de du au aux ce cette c qu que qui "
    "sur dans avec il elle merci bonjour ou votre vos mon ma mes tres trop mais sont "
    "suis ai y encore plus rien jamais ici"
)
EN_WORDS = words(
    "the a an is are and i you we for not of to in on this that it with was were my your "
    "thanks thank hi hello at there do does can be have has just so very but no any"
)
_ACCENTED = re.compile(r"[éèêàçùûôîœ]", re.IGNORECASE)


def detect_language(text: str, toks: list[Token]) -> Literal["fr", "en"]:
    """French or English, from function words (a few dozen of each language are enough
    for the two languages Palabre reads; a library would add megabytes and guess among
    a hundred). French accents count for French; a tie goes to French."""
    fr = sum(1 for t in toks if t.norm in FR_WORDS)
    en = sum(1 for t in toks if t.norm in EN_WORDS)
    if _ACCENTED.search(text):
        fr += 1
    return "en" if en > fr else "fr"
