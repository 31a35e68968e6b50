"""Finding an item's near-duplicate among many fingerprints without comparing to each.

Two 64-bit fingerprints at most ``MAX_DISTANCE`` bits apart agree on at least one of
``MAX_DISTANCE + 1`` bands of bits (pigeonhole): only the fingerprints sharing a band are
compared (``dedupe.is_near_duplicate``). The workspace's recent fingerprints are read
once per worker cycle and then only the rows added since (``refresh``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy import Connection, select

from palabre.sources import parsing
from palabre.sources.models import SourceItem

T = TypeVar("T")
MAX_DISTANCE = 3  # dedupe.is_near_duplicate's default
BANDS = MAX_DISTANCE + 1
BAND_BITS = 64 // BANDS
MASK64 = (1 << 64) - 1
WINDOW = timedelta(days=30)  # near-duplicate texts are looked for among recent items


class PrintIndex(Generic[T]):
    def __init__(self) -> None:
        self._bands: list[dict[int, list[tuple[int, T]]]] = [
            defaultdict(list) for _ in range(BANDS)
        ]
        self.max_id = 0  # rows read so far (refresh reads only newer ones)
        self.stored: set[int] = set()  # rows put by the caller itself (refresh skips them)

    @staticmethod
    def _parts(fingerprint: int) -> list[int]:
        value = fingerprint & MASK64
        mask = (1 << BAND_BITS) - 1
        return [(value >> (i * BAND_BITS)) & mask for i in range(BANDS)]

    def put(self, fingerprint: int | None, value: T, item_id: int | None = None) -> None:
        """Index ``value`` under ``fingerprint``; ``item_id``: the stored row it comes from,
        so that ``refresh`` does not index that row a second time."""
        if item_id is not None:
            self.stored.add(item_id)
        if not fingerprint:
            return
        for band, part in zip(self._bands, self._parts(fingerprint), strict=True):
            band[part].append((fingerprint, value))

    def find(self, fingerprint: int | None) -> T | None:
        if not fingerprint:
            return None
        for band, part in zip(self._bands, self._parts(fingerprint), strict=True):
            for other, value in band.get(part, ()):
                if parsing.near(fingerprint, other):
                    return value
        return None


def refresh(index: PrintIndex[int], conn: Connection, workspace_id: int, now: datetime) -> None:
    """Add the workspace's recent fingerprints stored since the last refresh; each points
    to the item that first brought the news."""
    rows = conn.execute(
        select(SourceItem.id, SourceItem.duplicate_of_id, SourceItem.fingerprint)
        .where(
            SourceItem.workspace_id == workspace_id,
            SourceItem.id > index.max_id,
            SourceItem.fingerprint.is_not(None),
            SourceItem.first_seen_at >= now - WINDOW,
        )
        .order_by(SourceItem.id)
    )
    for item_id, original, fingerprint in rows:
        if item_id not in index.stored:
            index.put(fingerprint, original or item_id)
        index.max_id = max(index.max_id, item_id)
