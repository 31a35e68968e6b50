"""Text that comes from outside (a feed's HTML, an agenda's description), made safe.

- ``sanitize_html``: what may be *shown* in Palabre's pages — a small allow-list (nh3).
- ``html_to_text``: what may go into a *post* — plain text, no markup, paragraphs kept.
- ``truncate_text``: shorten to a network's limit at a word boundary, with an ellipsis,
  counted the way the network counts (graphemes, Mastodon's URLs).

Images inside a feed's HTML are not kept by ``sanitize_html``: Palabre's pages load images
from Palabre only (Content-Security-Policy), and a remote image would tell the feed's
server who reads the review queue. An entry's picture is ``FeedEntry.image_url``.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable

import nh3
import regex
from lxml import etree
from lxml import html as lxml_html

from palabre.channels.text import graphemes

ALLOWED_TAGS = {"p", "br", "a", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener nofollow ugc"
# Removed with everything inside them (the other unknown tags keep their text).
DROPPED = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg"}
DROPPED |= {"math", "textarea", "select", "head", "title"}

BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "aside", "nav", "main",
    "blockquote", "pre", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "dl", "table", "hr", "address", "details", "form", "fieldset", "center",
}  # fmt: skip
LINES = {"br", "li", "dt", "dd", "tr", "summary", "caption"}
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
SPACES_RE = re.compile(r"[^\S\n]+")
WHITESPACE_RE = re.compile(r"\s+")
BLANK_LINES_RE = re.compile(r"\n{3,}")
TAG_RE = re.compile(r"<[^>]*>")
GRAPHEME_RE = regex.compile(r"\X")
TRAILING_PUNCTUATION = " \t\n,;:–—-([{«"


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """HTML from a feed, safe to show: paragraphs, line breaks, links, emphasis, lists and
    quotes; links resolved against ``base_url`` (dropped when relative without one), only
    http, https and mailto, opened with ``rel="noopener nofollow ugc"``."""
    if not html:
        return ""
    relative: object = ("rewrite_with_base", base_url) if base_url else "deny"
    return nh3.clean(
        CONTROL_RE.sub("", html),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=relative,  # type: ignore[arg-type]
    ).strip()


def html_to_text(html: str) -> str:
    """Plain text for a post: entities decoded, paragraphs as blank lines, line breaks and
    list items as new lines, every other run of whitespace as one space, no markup left."""
    if not html or not html.strip():
        return ""
    html = CONTROL_RE.sub("", html)
    if "<" not in html and "&" not in html:
        return WHITESPACE_RE.sub(" ", html).strip()
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return WHITESPACE_RE.sub(" ", htmllib.unescape(TAG_RE.sub(" ", html))).strip()
    pieces: list[str | int] = []
    _walk(root, pieces)
    text = "".join("\n" * p if isinstance(p, int) else p for p in pieces)
    lines = [line.strip() for line in SPACES_RE.sub(" ", text.replace("\xa0", " ")).split("\n")]
    return BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).replace("\u200b", "").strip()


def _walk(root: etree._Element, out: list[str | int]) -> None:
    """Depth first, without recursion (a hostile document may nest very deep). Text goes to
    ``out`` as strings with whitespace collapsed; breaks as the number of newlines they need
    (two breaks in a row need the larger of the two, not their sum)."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        if closing:
            _add(out, 2 if tag in BLOCKS else 1 if tag in LINES and tag != "br" else 0)
            if node is not root:
                _add(out, node.tail)
            continue
        if not tag or tag in DROPPED:  # comments, processing instructions, scripts
            _add(out, node.tail)
            continue
        if tag == "br" and out and isinstance(out[-1], int):
            out[-1] += 1  # <br><br> is a blank line
        else:
            _add(out, 2 if tag in BLOCKS else 1 if tag in LINES else 0)
        _add(out, node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))


def _add(out: list[str | int], piece: str | int | None) -> None:
    if not piece or (not out and isinstance(piece, int)):
        return
    last = out[-1] if out else 2
    if isinstance(piece, int):
        if isinstance(last, int):
            out[-1] = max(last, piece)
        else:
            out.append(piece)
    elif not (isinstance(last, int) and piece.isspace()):
        out.append(WHITESPACE_RE.sub(" ", piece))


def truncate_text(
    text: str,
    limit: int,
    counter: Callable[[str], int] = graphemes,
    *,
    ellipsis: str = "…",
) -> str:
    """``text`` if it fits in ``limit`` (as ``counter`` counts), else its longest beginning
    that ends at a word boundary and fits with ``ellipsis`` added. A single word longer than
    the limit is cut between two graphemes (never inside an emoji or an accented letter)."""
    if counter(text) <= limit:
        return text
    if counter(ellipsis) > limit:
        return ""
    clusters = GRAPHEME_RE.findall(text)
    ends = [i for i in range(1, len(clusters)) if clusters[i].isspace()]

    def fits(end: int) -> str | None:
        cut = "".join(clusters[:end]).rstrip(TRAILING_PUNCTUATION)
        candidate = cut + ellipsis
        return candidate if cut and counter(candidate) <= limit else None

    best = _last_fitting(ends, fits)
    if best is None:
        best = _last_fitting(list(range(1, len(clusters))), fits)
    return best if best is not None else ellipsis


def _last_fitting(ends: list[int], fits: Callable[[int], str | None]) -> str | None:
    """Binary search for the longest cut that fits (longer cuts never count less)."""
    lo, hi, best = 0, len(ends) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        candidate = fits(ends[mid])
        if candidate is not None:
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return best
