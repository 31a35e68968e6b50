"""Bytes → clean UTF-8 the parsers can trust: encodings sorted out, DOCTYPEs disarmed.

Encodings, in the order they are believed: a byte-order mark, the HTTP charset, the XML
declaration, then UTF-8. A declared single-byte Latin encoding over bytes that are valid,
non-ASCII UTF-8 is a common server mistake: UTF-8 wins. ISO-8859-1 is read as
Windows-1252 (curly quotes and € sit in its 0x80–0x9F range, as browsers do). Whatever
happens, decoding ends with *some* text: the last resort (Latin-1) cannot fail.

Safety: a DOCTYPE is removed before any parser sees the document. Simple internal entities
(``<!ENTITY copy "©">``) are kept by substituting their text; anything else — entities
built from other entities (billion laughs), external entities (``SYSTEM``), parameter
entities — is dropped, so its references stay unexpanded text.
"""

from __future__ import annotations

import codecs
import html.entities
import re

from palabre.core.i18n import N_
from palabre.sources.parsed import SourceFormatError

EMPTY = N_("This file is empty.")
UNSAFE = N_(
    "The feed declares XML entities in a way Palabre refuses for safety "
    "(external or nested entities)."
)

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
LATIN = {"latin-1", "iso8859-1", "cp1252", "iso8859-15", "ascii"}
DECLARED_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:\-]+)[\"']")
CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:\-]+)", re.IGNORECASE)
DOCTYPE_RE = re.compile(rb"<!DOCTYPE\s[^\[>]*(?:\[(.*?)\]\s*)?>", re.DOTALL | re.IGNORECASE)
SAFE_ENTITY_RE = re.compile(
    rb"<!ENTITY\s+([A-Za-z_][\w.\-]*)\s+"
    rb"(?:\"((?:[^&\"%<]|&#\w+;)*)\"|'((?:[^&'%<]|&#\w+;)*)')\s*>"
)
# C1 control characters (U+0080–U+009F) in a feed are Windows-1252 read as Latin-1 somewhere
# upstream: "\x92" was an apostrophe. Written as what they meant, as feedparser does.
C1_TO_CP1252 = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
C1_UTF8_RE = re.compile(rb"\xc2[\x80-\x9f]")
ENTITY_REF_RE = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")
BARE_AMPERSAND_RE = re.compile(rb"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def check_not_empty(body: bytes) -> None:
    if not body or not body.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise SourceFormatError(EMPTY)


def to_utf8(body: bytes, content_type: str | None = None) -> tuple[bytes, str]:
    """The body as UTF-8 bytes, and the encoding it was read as."""
    for bom, encoding in BOMS:
        if body.startswith(bom):
            text = body[len(bom) :].decode(encoding, errors="replace")
            return _utf8(text, encoding, body[len(bom) :])
    if body.startswith((b"<\x00?\x00", b"<\x00\x00\x00")):
        return _utf8(body.decode("utf-16-le", errors="replace"), "utf-16-le", body)
    if body.startswith((b"\x00<\x00?", b"\x00\x00\x00<")):
        return _utf8(body.decode("utf-16-be", errors="replace"), "utf-16-be", body)
    for encoding in _candidates(body, content_type):
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            if encoding == "utf-8" and _mostly_utf8(body):
                text = body.decode("utf-8", errors="replace")
                return text.translate(C1_TO_CP1252).encode("utf-8"), "utf-8"
            continue
        return _utf8(text, encoding, body)
    return _utf8(body.decode("latin-1"), "latin-1", body)


def _candidates(body: bytes, content_type: str | None) -> list[str]:
    names: list[str] = []
    if content_type:
        m = CHARSET_RE.search(content_type)
        if m:
            names.append(m.group(1))
    m2 = DECLARED_RE.match(body[:512])
    if m2:
        names.append(m2.group(1).decode("ascii"))
    found: list[str] = []
    for name in names:
        encoding = _normalise(name)
        if encoding and encoding not in found:
            found.append(encoding)
    if found and found[0] in LATIN and _is_utf8_text(body):
        found.insert(0, "utf-8")
    return [*found, "utf-8", "cp1252"]


def _normalise(name: str) -> str | None:
    try:
        encoding = codecs.lookup(name).name
    except LookupError:
        return None
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        return None  # declared but without a BOM or the NULs to prove it: not trusted
    return encoding


def _is_utf8_text(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(body: bytes) -> bool:
    """UTF-8 with a few damaged bytes (a truncated character, a stray Latin-1 byte): more
    well-formed multi-byte characters than broken bytes. Reading it as Windows-1252 would
    garble every accented letter to fix a handful of bytes."""
    text = body.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    accented = sum(1 for c in text if ord(c) > 127) - broken
    return accented >= broken > 0 or (accented > 0 and not broken)


def _utf8(text: str, encoding: str, original: bytes) -> tuple[bytes, str]:
    if encoding == "utf-8" and not C1_UTF8_RE.search(original):
        return original, encoding
    return text.translate(C1_TO_CP1252).encode("utf-8", errors="replace"), encoding


def disarm_doctype(data: bytes) -> tuple[bytes, dict[bytes, bytes]]:
    """Remove the DOCTYPE; keep the plain-text entities it declared, drop everything else."""
    pos = _skip_prolog(data, 0)
    if not data.startswith(b"<!", pos) or data.startswith(b"<![CDATA[", pos):
        return data, {}
    m = DOCTYPE_RE.match(data, pos)
    if m is None:
        raise SourceFormatError(UNSAFE)
    entities: dict[bytes, bytes] = {}
    for em in SAFE_ENTITY_RE.finditer(m.group(1) or b""):
        entities[em.group(1)] = em.group(2) if em.group(2) is not None else em.group(3)
    data = data[: m.start()] + data[m.end() :]
    after = _skip_prolog(data, m.start())
    if data.startswith(b"<!", after) and not data.startswith(b"<![CDATA[", after):
        raise SourceFormatError(UNSAFE)  # a second DOCTYPE, or declarations outside one
    return data, entities


def _skip_prolog(data: bytes, pos: int) -> int:
    """The position of the first thing after whitespace, processing instructions and
    comments: the root element, or a DOCTYPE."""
    size = len(data)
    while pos < size:
        while pos < size and data[pos] in b" \t\r\n":
            pos += 1
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos)
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos)
        else:
            return pos
        if end < 0:
            return size
        pos = end + 2 if data[end] == ord("?") else end + 3
    return pos


def repair(data: bytes, entities: dict[bytes, bytes]) -> bytes:
    """The usual mistakes of hand-made feeds mended: a bare ``&`` (``?id=4&lang=fr``)
    escaped, HTML's named entities (``&eacute;``, which RSS 0.91 feeds took from their DTD)
    and the DOCTYPE's simple entities written as what they stand for."""
    return expand_entities(BARE_AMPERSAND_RE.sub(b"&amp;", data), entities)


def expand_entities(data: bytes, entities: dict[bytes, bytes]) -> bytes:

    def replace(m: re.Match[bytes]) -> bytes:
        name = m.group(1)
        if name in XML_ENTITIES:
            return m.group(0)
        if name in entities:
            return entities[name]
        codepoint = html.entities.name2codepoint.get(name.decode("ascii"))
        if codepoint is None:
            return m.group(0)
        return b"&#%d;" % codepoint

    return ENTITY_REF_RE.sub(replace, data)
