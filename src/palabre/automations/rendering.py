"""Templates: sandboxed Jinja, and texts that always fit the target network.

A template sees ``title``, ``link``, ``summary``, ``hashtags`` (and ``event`` for the
agenda). The summary is shortened first, then the title, until the text fits the network's
limit as that network counts it (a URL counts 23 on Mastodon; graphemes on Bluesky); a
template whose own words are too long is cut at the end. A mistake in a template (unknown
variable, syntax) is a :class:`TemplateProblem` with a plain message, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import regex
from jinja2 import Template, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from palabre.automations.sandbox import (
    MAX_SIZE,
    MAX_TEMPLATE,
    TooBig,
    TooLong,
    compile_bounded,
    render_bounded,
)
from palabre.channels import text as textcount
from palabre.channels.base import Capabilities
from palabre.core.i18n import N_

ELLIPSIS = "…"
MAX_HASHTAGS = 5
WORD_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+")
GRAPHEME_RE = regex.compile(r"\X")


class TemplateProblem(Exception):
    """A template that cannot be used. ``message`` is an English msgid with ``params``."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@lru_cache(maxsize=256)
def compile_template(source: str) -> Template:
    try:
        return compile_bounded(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            N_("The template has a mistake on line %(line)s: %(detail)s"),
            line=exc.lineno,
            detail=exc.message or "",
        ) from exc
    except Exception as exc:  # anything at all: a clear message, never a crash
        raise _problem(exc, {}) from exc


def _problem(exc: Exception, variables: Mapping[str, Any]) -> TemplateProblem:
    if isinstance(exc, TooLong):
        return TemplateProblem(
            N_("The template is too long (more than %(size)s characters)."), size=MAX_TEMPLATE
        )
    if isinstance(exc, TooBig):
        return TemplateProblem(
            N_("The template makes something too big (more than %(size)s characters)."),
            size=MAX_SIZE,
        )
    if isinstance(exc, SecurityError):
        return TemplateProblem(N_("The template tries something that is not allowed."))
    if isinstance(exc, UndefinedError):
        message = str(exc.message or "")
        name = message.split("'")[1] if "'" in message else message
        return TemplateProblem(
            N_("Unknown variable in the template: %(name)s. Available: %(names)s."),
            name=name,
            names=", ".join(sorted(variables)),
        )
    detail = str(exc)[:200]
    return TemplateProblem(N_("The template cannot be filled in: %(detail)s"), detail=detail)


def render(source: str, variables: Mapping[str, Any]) -> str:
    """The template filled in, tidied (no runs of blank lines, no trailing spaces)."""
    template = compile_template(source)
    try:
        text = render_bounded(template, dict(variables))
    except Exception as exc:  # anything at all: a clear message, never a crash
        raise _problem(exc, variables) from exc
    return tidy(text)


def tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    joined = "\n".join(lines)
    return regex.sub(r"\n{3,}", "\n\n", joined).strip()


def hashtag(category: str) -> str | None:
    """'Art contemporain' → '#ArtContemporain'; accents kept; digits alone: none."""
    words = WORD_RE.findall(category)
    if not words or all(w.isdigit() for w in words):
        return None
    if len(words) == 1:
        return "#" + words[0]
    return "#" + "".join(w[:1].upper() + w[1:] for w in words)


def hashtags(categories: list[str]) -> str:
    seen: dict[str, str] = {}
    for category in categories:
        tag = hashtag(category)
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return " ".join(list(seen.values())[:MAX_HASHTAGS])


def shorten(text: str, graphemes: int) -> str:
    """At most ``graphemes`` grapheme clusters, cut at a word when one is near, with '…'."""
    return _shorten(text, GRAPHEME_RE.findall(text), graphemes)


def _shorten(text: str, clusters: list[str], graphemes: int) -> str:
    if len(clusters) <= graphemes:
        return text
    if graphemes <= 1:
        return ""
    cut = "".join(clusters[: graphemes - 1])
    space = cut.rfind(" ")
    if space >= len(cut) * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def hard_cut(text: str, caps: Capabilities) -> str:
    """Cut the end until the text fits (the last resort: the template's own words)."""
    clusters = GRAPHEME_RE.findall(text)
    while clusters and textcount.count("".join(clusters) + ELLIPSIS, caps) > caps.text_limit:
        over = textcount.count("".join(clusters) + ELLIPSIS, caps) - caps.text_limit
        del clusters[-max(1, over) :]
    return ("".join(clusters).rstrip() + ELLIPSIS) if clusters else ""


def fit(source: str, variables: Mapping[str, Any], caps: Capabilities) -> str:
    """Render, shortening the summary, then the title, until the text fits ``caps``."""
    values = dict(variables)
    text = render(source, values)
    if textcount.count(text, caps) <= caps.text_limit:
        return text
    for field in ("summary", "title"):
        full = str(values.get(field) or "")
        if not full:
            continue
        clusters = GRAPHEME_RE.findall(full)  # split once, shortened many times
        best = _longest_fitting(
            lambda n, f=field, s=full, c=clusters: render(source, {**values, f: _shorten(s, c, n)}),  # type: ignore[misc]
            len(clusters),
            caps,
        )
        if best is not None:
            return best
        values[field] = ""
    text = render(source, values)
    return text if textcount.count(text, caps) <= caps.text_limit else hard_cut(text, caps)


def _longest_fitting(make: Callable[[int], str], size: int, caps: Capabilities) -> str | None:
    """The text made with the longest shortening that fits (binary search), or None."""
    lo, hi, best = 0, size, None
    while lo <= hi:
        mid = (lo + hi) // 2
        text = make(mid)
        if textcount.count(text, caps) <= caps.text_limit:
            best, lo = text, mid + 1
        else:
            hi = mid - 1
    if best is not None and len(best) == 0:
        return None
    return best
