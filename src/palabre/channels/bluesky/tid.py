"""Record keys: a valid TID derived from an idempotency key, so a retry names the same record.

A TID (atproto spec) is 64 bits — top bit 0, 53 bits of microseconds since 1970, 10 bits
of clock id — written as 13 characters of base32-sortable. Posts (``app.bsky.feed.post``)
only accept TIDs as keys. Ours take their 56 bits from a hash of the key: a time between
2023-01-01 and early 2025 (in the past, as the spec expects) and the clock id.
"""

from __future__ import annotations

import hashlib

import regex

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
TID_RE = regex.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
BASE_MICROS = 1_672_531_200 * 1_000_000  # 2023-01-01T00:00:00Z
WINDOW_BITS = 46  # ~2.2 years of microseconds


def encode(value: int) -> str:
    chars = []
    for _ in range(13):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def tid_for(key: str) -> str:
    digest = int.from_bytes(hashlib.sha256(f"palabre:{key}".encode()).digest()[:8], "big")
    micros = BASE_MICROS + (digest >> 10) % (1 << WINDOW_BITS)
    clock_id = digest & 0x3FF
    return encode((micros << 10) | clock_id)


def is_tid(value: str) -> bool:
    return bool(TID_RE.match(value))
