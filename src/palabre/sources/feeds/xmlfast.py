"""The fast path: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 read with lxml.

The parser is hardened: no DTD loaded, no entity resolved, no network, no huge trees. A
document it cannot read raises ``NotWellFormed``; ``parse_feed`` then tries the robust
path (feedparser), which forgives what real feeds get wrong.
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import etree

from palabre.core.i18n import N_
from palabre.sources.feeds.entries import (
    RawEntry,
    author_name,
    build_entry,
    clean_title,
    is_image,
    join_base,
    make_feed,
)
from palabre.sources.parsed import FeedEntry, ParsedFeed, SourceFormatError

NOT_A_FEED = N_("This document is not a feed Palabre can read (RSS, Atom or JSON Feed).")

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM03 = "{http://purl.org/atom/ns#}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
RSS1 = "{http://purl.org/rss/1.0/}"
RSS090 = "{http://my.netscape.com/rdf/simple/0.9/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


class NotWellFormed(Exception):
    """lxml refused the document; ``undefined_entity`` when only entities were missing."""

    def __init__(self, message: str, *, undefined_entity: bool = False) -> None:
        super().__init__(message)
        self.undefined_entity = undefined_entity


ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # a scheme: an IRI, not a relative address


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
        recover=False,
    )


PARSER = _parser()


def parse_xml(data: bytes, url: str | None = None) -> ParsedFeed:
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        raise NotWellFormed(message, undefined_entity="Entity '" in message) from None
    tag = root.tag if isinstance(root.tag, str) else ""
    base = join_base(url, root.get(XML_BASE))
    if tag == "rss" or tag == "channel":
        return _rss(root, base)
    if tag == f"{RDF}RDF":
        return _rdf(root, base)
    if tag in (f"{ATOM}feed", f"{ATOM03}feed"):
        return _atom(root, base, ATOM03 if tag == f"{ATOM03}feed" else ATOM)
    if tag.rsplit("}", 1)[-1] in ("feed", "rss", "RDF"):
        raise NotWellFormed("a feed without its namespace")  # feedparser is more forgiving
    raise SourceFormatError(NOT_A_FEED)


# -- RSS 0.9x / 2.0 --------------------------------------------------------------------
def _rss(root: Any, base: str | None) -> ParsedFeed:
    channel = root if root.tag == "channel" else root.find("channel")
    if channel is None:
        raise SourceFormatError(NOT_A_FEED)
    base = join_base(base, channel.get(XML_BASE))
    title: str | None = None
    link = None
    items = []
    for el in channel:
        tag = el.tag
        if tag == "item":
            items.append(el)
        elif tag in ("rss", "channel"):
            raise NotWellFormed("a feed inside a feed")
        elif tag == "title" and title is None:
            title = el.text or ""
        elif tag == "link" and el.text:
            link = el.text
    if channel is not root:  # RSS 0.9x written with its items beside the channel
        items.extend(root.iterchildren("item"))
    entries = [_rss_item(item, base) for item in items]
    return _feed("rss", title or "", link, base, entries)


def _rss_item(item: Any, base: str | None) -> FeedEntry:
    raw = RawEntry(base=join_base(base, item.get(XML_BASE)))
    permalink = None
    for el in item:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        text = el.text
        if tag == "item":
            raise NotWellFormed("an item inside an item")
        if tag == "title":
            if raw.first(tag):
                raw.title = _text(el)
        elif tag == "link":
            if text and text.strip():
                raw.link = text.strip()
        elif tag == "description":
            if raw.first(tag):
                raw.summary_html = _text(el)
        elif tag == "guid":
            raw.guid = text
            if text and el.get("isPermaLink", "true").lower() != "false":
                permalink = text.strip()
        elif tag == "pubDate":
            raw.published = text
        elif tag == "category":
            if text:
                raw.categories.append(text)
        elif tag == "author":
            raw.author = text or raw.author
        elif tag == "enclosure":
            _image(raw, el.get("url"), el.get("type"))
        else:
            _common(raw, el, tag, text)
    if not raw.link and permalink and permalink.startswith(("http://", "https://")):
        raw.link = permalink
    return build_entry(raw)


def _common(raw: RawEntry, el: Any, tag: str, text: str | None) -> None:
    """Elements from the modules RSS and RDF feeds share (Dublin Core, content, media)."""
    if tag == f"{CONTENT}encoded":
        if raw.first(tag):
            raw.content_html = _text(el)
    elif tag == f"{DC}date":
        raw.published = raw.published or text
    elif tag in (f"{DCTERMS}modified", f"{ATOM}updated"):
        raw.updated = text
    elif tag == f"{DC}creator":
        raw.author = text or raw.author
    elif tag == f"{DC}subject":
        if text:
            raw.categories.append(text)
    elif tag.startswith(MEDIA):
        _media(raw, el, tag)
    elif tag == f"{ITUNES}image":
        _image(raw, el.get("href"), None, "image")
    elif tag == f"{ATOM}link" and el.get("rel", "alternate") == "alternate":
        raw.link = raw.link or el.get("href")


def _media(raw: RawEntry, el: Any, tag: str) -> None:
    if tag == f"{MEDIA}content":
        _image(raw, el.get("url"), el.get("type"), el.get("medium"))
    elif tag == f"{MEDIA}thumbnail":
        _image(raw, el.get("url"), None, "image")
    elif tag == f"{MEDIA}group":
        for child in el:
            if isinstance(child.tag, str) and child.tag.startswith(MEDIA):
                _media(raw, child, child.tag)


def _image(raw: RawEntry, url: str | None, mime: str | None, medium: str | None = None) -> None:
    if url and is_image(mime, url, medium):
        raw.images.append(url)


# -- RSS 1.0 / 0.90 (RDF) --------------------------------------------------------------
def _rdf(root: Any, base: str | None) -> ParsedFeed:
    title: str | None = None
    link = None
    entries = []
    for el in root:
        local = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if local == "channel":
            for child in el:
                if child.tag in (f"{RSS1}title", f"{RSS090}title") and title is None:
                    title = child.text or ""
                elif child.tag in (f"{RSS1}link", f"{RSS090}link"):
                    link = child.text
        elif local == "item":
            entries.append(_rdf_item(el, base))
    return _feed("rdf", title or "", link, base, entries)


def _rdf_item(item: Any, base: str | None) -> FeedEntry:
    raw = RawEntry(base=join_base(base, item.get(XML_BASE)), guid=item.get(f"{RDF}about"))
    for el in item:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        text = el.text
        local = tag.rsplit("}", 1)[-1]
        if tag.startswith((RSS1, RSS090)):
            if local == "item":
                raise NotWellFormed("an item inside an item")
            if local == "title":
                if raw.first(local):
                    raw.title = _text(el)
            elif local == "link":
                raw.link = (text or "").strip() or raw.link
            elif local == "description" and raw.first(local):
                raw.summary_html = _text(el)
        else:
            _common(raw, el, tag, text)
    return build_entry(raw)


# -- Atom 1.0 / 0.3 --------------------------------------------------------------------
def _atom(root: Any, base: str | None, ns: str) -> ParsedFeed:
    title: tuple[str, bool] | None = None
    author = None
    links = RawEntry()
    entries = []
    for el in root:
        tag = el.tag
        if tag == f"{ns}entry":
            entries.append(el)
        elif tag == f"{ns}feed":
            raise NotWellFormed("a feed inside a feed")
        elif tag == f"{ns}title" and title is None:
            title = _atom_text(el)
        elif tag == f"{ns}link":
            _atom_entry_link(links, el)
        elif tag == f"{ns}author":
            author = _atom_author(el, ns) or author
    items = [_atom_entry(e, base, ns, author) for e in entries]
    feed_link = join_base(base, links.link) if links.link else None
    title_text, title_html = title or ("", False)
    return make_feed(
        format="atom", title=_feed_title(title_text, title_html), link=feed_link, entries=items
    )


def _atom_entry(entry: Any, base: str | None, ns: str, author: str | None) -> FeedEntry:
    raw = RawEntry(base=join_base(base, entry.get(XML_BASE)))
    for el in entry:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        local = tag[len(ns) :] if tag.startswith(ns) else None
        if local is None:
            _common(raw, el, tag, el.text)
        elif local == "entry":
            raise NotWellFormed("an entry inside an entry")
        elif local == "id":
            if el.text and not ABSOLUTE.match(el.text.strip()) and _under_xml_base(entry):
                # Not an IRI: feedparser resolves it against the document's xml:base.
                raise NotWellFormed("an entry id that is a relative address")
            raw.guid = el.text
        elif local == "title":
            if raw.first(local):
                raw.title, raw.title_is_html = _atom_text(el)
        elif local == "link":
            _atom_entry_link(raw, el)
        elif local == "summary":
            if raw.first(local):
                raw.summary_html = _atom_html(el)
        elif local == "content":
            if raw.first(local):
                raw.content_html = _atom_html(el)
        elif local in ("published", "issued"):
            raw.published = el.text
        elif local in ("updated", "modified"):
            raw.updated = el.text
        elif local == "category":
            value = el.get("label") or el.get("term")
            if value:
                raw.categories.append(value)
        elif local == "author":
            raw.author = _atom_author(el, ns) or raw.author
    return build_entry(raw, default_author=author)


def _under_xml_base(el: Any) -> bool:
    while el is not None:
        if el.get(XML_BASE) is not None:
            return True
        el = el.getparent()
    return False


def _atom_entry_link(raw: RawEntry, el: Any) -> None:
    rel = el.get("rel", "alternate")
    href = el.get("href")
    if rel == "alternate" and href:
        mime = el.get("type")
        # The last HTML one (a link without type is HTML), else the first of any type.
        if not mime or "html" in mime:
            raw.link = href
            raw.seen.add("html link")
        elif "html link" not in raw.seen and raw.link is None:
            raw.link = href
    elif rel == "enclosure":
        _image(raw, href, el.get("type"))


def _atom_author(el: Any, ns: str) -> str | None:
    name = el.find(f"{ns}name")
    return author_name(name.text if name is not None else el.text)


def _atom_text(el: Any) -> tuple[str, bool]:
    """(text, is_html) of an Atom text construct."""
    kind = (el.get("type") or "text").lower()
    if kind in ("xhtml", "application/xhtml+xml"):
        return _xhtml(el), True
    if kind in ("html", "text/html") or el.get("mode") == "escaped":
        return _text(el), True
    return _text(el), False


def _atom_html(el: Any) -> str:
    text, is_html = _atom_text(el)
    return text if is_html else html.escape(text, quote=False)


def _xhtml(el: Any) -> str:
    """The inside of an xhtml text construct, as HTML without namespaces."""
    container = el
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) == 1 and children[0].tag in (f"{XHTML}div", "div"):
        container = children[0]
    parts = [html.escape(container.text or "", quote=False)]
    for child in container:
        parts.append(_plain_xml(child))
    return "".join(parts).strip()


def _plain_xml(el: Any) -> str:
    try:
        copy = etree.fromstring(etree.tostring(el, with_tail=False), PARSER)
    except etree.XMLSyntaxError as exc:  # lxml recovered a damaged tag it cannot write back
        raise NotWellFormed(str(exc)) from exc
    for node in copy.iter():
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.rsplit("}", 1)[1]
    etree.cleanup_namespaces(copy)
    tail = html.escape(el.tail or "", quote=False)
    return etree.tostring(copy, encoding="unicode", method="html") + tail


# -- shared ----------------------------------------------------------------------------
def _text(el: Any) -> str:
    if len(el):  # markup written unescaped inside a text element
        return "".join(el.itertext())
    return el.text or ""


def _feed(kind: str, title: str, link: str | None, base: str | None, entries: list) -> ParsedFeed:
    feed_link = join_base(base, link.strip()) if link and link.strip() else None
    return make_feed(format=kind, title=_feed_title(title), link=feed_link, entries=entries)


def _feed_title(title: str, is_html: bool = False) -> str:
    return clean_title(title, is_html)
