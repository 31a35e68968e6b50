"""Bluesky rich text: where the links, mentions and hashtags of a text are, in UTF-8 bytes.

Pure functions. Bluesky's facets point into the text by byte offsets of its UTF-8 form
(``byteStart`` inclusive, ``byteEnd`` exclusive), so "été 🌞 #fête" has its tag at bytes
11–17, not characters 6–11. Detection follows the rules of Bluesky's own client: a link
starts with http(s):// after a space, an opening parenthesis or the start; trailing
punctuation is not part of it; a mention is ``@handle`` (a domain name); a hashtag is
``#word`` (not only digits, at most 64 graphemes, trailing punctuation left out).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex

from palabre.channels.text import graphemes

LINK_RE = regex.compile(r"(?:^|(?<=[\s(]))(https?://[^\s]+)", regex.IGNORECASE)
MENTION_RE = regex.compile(r"(?:^|(?<=[\s(]))@([a-zA-Z0-9][a-zA-Z0-9.-]*)")
HANDLE_RE = regex.compile(
    r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
)
_INVISIBLE = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
TAG_RE = regex.compile(
    rf"(?:^|(?<=\s))([#＃])((?!\ufe0f)[^\s{_INVISIBLE}]*[^\d\s\p{{P}}{_INVISIBLE}]+"
    rf"[^\s{_INVISIBLE}]*)"
)
TRAILING_PUNCT_RE = regex.compile(r"\p{P}+$")
LINK_TRAILING = ".,;:!?\"'»…"
MAX_TAG_GRAPHEMES = 64


@dataclass(frozen=True)
class Span:
    """A piece of text: character offsets ``start``/``end``, what it is and its value
    (a link's URI, a handle without @, a tag without #)."""

    start: int
    end: int
    kind: str  # "link" | "mention" | "tag"
    value: str


def byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def find_links(text: str) -> list[Span]:
    spans = []
    for m in LINK_RE.finditer(text):
        url = m.group(1)
        while url:
            if url[-1] in LINK_TRAILING or (url[-1] == ")" and url.count("(") < url.count(")")):
                url = url[:-1]
            else:
                break
        if "://" in url and len(url) > url.index("://") + 3:
            spans.append(Span(m.start(1), m.start(1) + len(url), "link", url))
    return spans


def find_mentions(text: str) -> list[Span]:
    spans = []
    for m in MENTION_RE.finditer(text):
        handle = m.group(1).rstrip(".-")
        if HANDLE_RE.match(handle):
            start = m.start()  # the "@"
            spans.append(Span(start, start + 1 + len(handle), "mention", handle))
    return spans


def find_tags(text: str) -> list[Span]:
    spans = []
    for m in TAG_RE.finditer(text):
        tag = TRAILING_PUNCT_RE.sub("", m.group(2))
        if not tag or tag.isdigit() or graphemes(tag) > MAX_TAG_GRAPHEMES:
            continue
        spans.append(Span(m.start(1), m.start(2) + len(tag), "tag", tag))
    return spans


def find_spans(text: str) -> list[Span]:
    """Links, mentions and tags, in order, none overlapping (links win, then mentions)."""
    kept: list[Span] = []
    for span in find_links(text) + find_mentions(text) + find_tags(text):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def build_facets(text: str, resolve: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """``app.bsky.richtext.facet`` objects for the text. ``resolve`` turns a handle into a
    DID, or None for an unknown handle (its mention then stays plain text)."""
    facets = []
    for span in find_spans(text):
        if span.kind == "link":
            feature = {"$type": "app.bsky.richtext.facet#link", "uri": span.value}
        elif span.kind == "tag":
            feature = {"$type": "app.bsky.richtext.facet#tag", "tag": span.value}
        else:
            did = resolve(span.value.lower())
            if did is None:
                continue
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
        index = {"byteStart": byte_offset(text, span.start), "byteEnd": byte_offset(text, span.end)}
        facets.append({"index": index, "features": [feature]})
    return facets
