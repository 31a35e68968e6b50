"""Recognising the same news twice: by canonical link and by near-duplicate text.

``canonical_url`` removes what does not identify the page (tracking parameters, fragments,
default ports, letter case where it does not matter), so the same article shared with two
campaigns' parameters gives one link. ``fingerprint`` is a 64-bit SimHash of the words: two
texts that differ by a few words (punctuation, a changed date, a "read more" line) have
fingerprints a few bits apart, different news about thirty. ``0`` means "no words to
compare" and is never a near-duplicate of anything.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "matomo_", "hsa_", "_hs", "oly_", "vero_")
TRACKING_PARAMS = {
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "ttclid", "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid", "mkt_tok", "_ga", "_gl",
    "_kx", "ref", "ref_src", "ref_url", "referrer", "xtor", "xts", "s_cid", "cmpid",
    "spm", "scid", "wickedid", "rb_clickid", "ncid", "sr_share", "fb_action_ids",
    "fb_action_types", "fb_source", "action_object_map", "trk", "trkcampaign",
    "sc_campaign", "sc_channel", "sc_content", "sc_medium", "sc_outcome", "sc_geo",
    "sc_country", "soc_src", "soc_trk", "ito", "at_medium", "at_campaign", "at_platform",
    "at_creation", "at_variant", "at_send_date", "at_link", "at_format", "at_emailtype",
    "at_recipient_id", "at_recipient_list",
}  # fmt: skip
DEFAULT_PORTS = {"http": 80, "https": 443}
PERCENT_RE = re.compile(r"%[0-9a-fA-F]{2}")
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
WORD_RE = re.compile(r"\w+")
URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
MASK = (1 << 64) - 1
TRAILER_RE = re.compile(
    r"(lire la suite|voir la suite|en savoir plus|read more|continue reading"
    r"|the post .{0,200}? appeared first on|(cet |l.)article .{0,200}? est apparu en premier sur"
    r").*$",
    re.IGNORECASE | re.MULTILINE,
)
DATE_WORDS = frozenset(
    """janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    janv fevr avr juil sept oct nov dec lundi mardi mercredi jeudi vendredi samedi dimanche
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep monday tuesday wednesday thursday friday saturday sunday
    mon tue wed thu fri sat sun""".split()  # noqa: SIM905
)


def canonical_url(url: str) -> str:
    """The link that identifies the page: 'HTTPS://Musee.example:443/actu/?utm_source=x&b=2&a=1#top'
    → 'https://musee.example/actu?a=1&b=2'. Idempotent; anything that is not an http(s)
    URL comes back trimmed and otherwise unchanged."""
    url = url.strip()
    split = _split_web(url)
    if split is None:
        return url
    parts, scheme, netloc = split
    path = _normalise_escapes(parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = _clean_query(parts.query)
    return urlunsplit(SplitResult(scheme, netloc, path, query, ""))


def address_key(url: str) -> str:
    """One address however it is written, for "is this the same address?": scheme and host
    in lower case, the default port dropped, an empty path written "/", the fragment (never
    sent) dropped; path and query kept as they are — unlike ``canonical_url``, which also
    drops tracking parameters and trailing slashes to recognise the same *news*, a server
    may answer ``/feed`` and ``/feed/`` or ``?a=1&b=2`` and ``?b=2&a=1`` differently."""
    url = url.strip()
    split = _split_web(url)
    if split is None:
        return url
    parts, scheme, netloc = split
    return urlunsplit(SplitResult(scheme, netloc, parts.path or "/", parts.query, ""))


def _split_web(url: str) -> tuple[SplitResult, str, str] | None:
    """An http(s) URL's parts, its scheme in lower case and its host (lower case, no final
    dot) with its port unless it is the scheme's default; None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None:
        netloc = f"{parts.netloc.rpartition('@')[0]}@{netloc}"
    return parts, scheme, netloc


def _clean_query(query: str) -> str:
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        key = unquote(pair.split("=", 1)[0]).strip().lower()
        if key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES):
            continue
        kept.append(_normalise_escapes(pair))
    return "&".join(sorted(kept))


def _normalise_escapes(text: str) -> str:
    """'%7e' → '~' (an unreserved character needs no escape), '%2f' → '%2F'."""
    if "%" not in text:
        return text

    def fix(m: re.Match[str]) -> str:
        char = chr(int(m.group(0)[1:], 16))
        return char if char in UNRESERVED else m.group(0).upper()

    return PERCENT_RE.sub(fix, text)


def words(text: str) -> list[str]:
    """Lower-case words without accents: what the news says, not how it was typed, when it
    was posted, or which campaign link and "read more" line came with it (digits, day and
    month names, links and such trailers are left out)."""
    text = URL_RE.sub(" ", TRAILER_RE.sub(" ", text))
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return [
        w for w in WORD_RE.findall(text) if len(w) > 1 and not w.isdigit() and w not in DATE_WORDS
    ]


def fingerprint(text: str) -> int:
    """A 64-bit SimHash of ``text``'s words and pairs of neighbouring words (longer ones
    weigh more), signed to fit a BIGINT column; 0 when there is nothing to compare."""
    tokens = words(text)
    if not tokens:
        return 0
    features = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    # Count, for each of the 64 bits, the weight of the feature hashes that have it set:
    # each hash's bytes are spread into 32-bit lanes of one big integer per byte position.
    sums = [0] * 8
    total = 0
    for feature in features:
        weight = min(len(feature), 12)
        total += weight
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        for position, byte in enumerate(digest):
            sums[position] += SPREAD[byte] * weight
    half = total / 2
    value = 0
    for position, lanes in enumerate(sums):
        for bit in range(8):
            if (lanes >> (32 * bit)) & 0xFFFFFFFF > half:
                value |= 1 << (position * 8 + bit)
    return value - (1 << 64) if value >= 1 << 63 else value


SPREAD = [sum(((byte >> bit) & 1) << (32 * bit) for bit in range(8)) for byte in range(256)]


def distance(a: int, b: int) -> int:
    """How many of the 64 bits differ."""
    return ((a ^ b) & MASK).bit_count()


def is_near_duplicate(a: int, b: int, *, max_distance: int = 3) -> bool:
    """Whether two fingerprints are the same news (a few bits apart); never for 0."""
    if a == 0 or b == 0:
        return False
    return distance(a, b) <= max_distance
