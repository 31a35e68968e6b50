"""Counting text the way each network counts it."""

from __future__ import annotations

import regex

from palabre.channels.base import Capabilities

# Mastodon counts every http(s) URL as 23 characters whatever its length, and a remote
# mention @user@domain as its @user part only.
URL_RE = regex.compile(r"(?<![\w/])https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", regex.IGNORECASE)
REMOTE_MENTION_RE = regex.compile(
    r"(?<![\w@])(@\w+(?:[.\-]\w+)*)@[\w\-]+(?:\.[\w\-]+)+", regex.UNICODE
)
GRAPHEME_RE = regex.compile(r"\X")


def graphemes(text: str) -> int:
    return len(GRAPHEME_RE.findall(text))


def mastodon_length(text: str, url_length: int = 23) -> int:
    text = URL_RE.sub("x" * url_length, text)
    text = REMOTE_MENTION_RE.sub(lambda m: m.group(1), text)
    return graphemes(text)


def count(text: str, caps: Capabilities) -> int:
    if caps.counting == "mastodon":
        return mastodon_length(text, caps.url_length)
    return graphemes(text)
