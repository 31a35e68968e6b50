"""Storing what a feed brought as ``SourceItem`` rows — idempotently, inside the caller's
transaction (agendas: ``sources.agenda_ingest``).

Feed entries are stored once per source and guid (``INSERT … ON CONFLICT DO NOTHING``,
SQLite and PostgreSQL alike). A new entry whose canonical link, or whose text (a simhash
close enough), the workspace already has is stored with ``duplicate_of_id`` pointing to
the first one: replaying a feed, a feed re-numbering all its ids, or the same news from
two feeds never makes new news. On a source's first fetch only the newest entries (the
source's ``first_fetch_keep``) are new; the others are ``backlog`` and never posted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from palabre.sources import parsing
from palabre.sources.models import Source, SourceItem
from palabre.sources.parsed import FeedEntry, ParsedFeed

NEAR_WINDOW = timedelta(days=30)  # near-duplicate texts are looked for among recent items
NEAR_LIMIT = 5000
CHUNK = 500


@dataclass
class Ingested:
    new: int = 0  # new items (not duplicates, not backlog) / new occurrences
    duplicates: int = 0
    backlog: int = 0
    known: int = 0  # already stored
    changed: int = 0  # occurrences
    removed: int = 0  # occurrences

    @property
    def stored(self) -> int:
        return self.new + self.duplicates + self.backlog


# -- feeds -------------------------------------------------------------------------------


def guid_of(entry: FeedEntry) -> str:
    guid = entry.guid.strip() or (entry.link or "") or entry.title
    return guid if len(guid) <= 1000 else "sha256:" + hashlib.sha256(guid.encode()).hexdigest()


def ingest_feed(
    session: Session, source: Source, feed: ParsedFeed, now: datetime, *, first: bool
) -> Ingested:
    conn = session.connection()
    entries = _unique(feed.entries)
    known = _known_guids(conn, source.id, list(entries))
    fresh = [(g, e) for g, e in entries.items() if g not in known]
    result = Ingested(known=len(known))
    keep = _newest(fresh, source.first_fetch_keep) if first else None
    index = _DedupeIndex.load(conn, source.workspace_id, fresh, now)
    base = feed.link or source.url
    for guid, entry in fresh:
        html = parsing.sanitize(entry.summary_html, entry.base_url or base)
        text = parsing.to_text(entry.summary_html)
        link = url_or_none(entry.link)
        canon = url_or_none(parsing.canonical(link))
        print_ = parsing.fingerprint_of(f"{entry.title}\n{text}")
        original = index.find(canon, print_)
        backlog = keep is not None and guid not in keep
        values: dict[str, Any] = {
            "workspace_id": source.workspace_id,
            "source_id": source.id,
            "guid": guid,
            "title": entry.title[:1000],
            "link": link,
            "canonical_link": canon,
            "summary_html": html,
            "summary_text": text,
            "categories": list(entry.categories),
            "author": cut(entry.author, 300),
            "image_url": url_or_none(entry.image_url),
            "published_at": entry.published or entry.updated,
            "first_seen_at": now,
            "fingerprint": print_,
            "duplicate_of_id": original,
            "backlog": backlog,
        }
        item_id = _insert_once(conn, values)
        if item_id is None:  # stored meanwhile by another fetch of the same source
            result.known += 1
            continue
        index.add(item_id if original is None else original, canon, print_)
        if original is not None:
            result.duplicates += 1
        elif backlog:
            result.backlog += 1
        else:
            result.new += 1
    source.items_seen = (source.items_seen or 0) + result.stored
    return result


def _unique(entries: list[FeedEntry]) -> dict[str, FeedEntry]:
    found: dict[str, FeedEntry] = {}
    for entry in entries:
        found.setdefault(guid_of(entry), entry)
    return found


def _known_guids(conn: Connection, source_id: int, guids: list[str]) -> set[str]:
    known: set[str] = set()
    for i in range(0, len(guids), CHUNK):
        part = guids[i : i + CHUNK]
        rows = conn.execute(
            select(SourceItem.guid).where(
                SourceItem.source_id == source_id, SourceItem.guid.in_(part)
            )
        )
        known.update(r[0] for r in rows)
    return known


def _newest(fresh: list[tuple[str, FeedEntry]], keep: int) -> set[str]:
    """The guids of the ``keep`` newest entries (undated ones count as the oldest; among
    equals, a feed lists its newest first)."""

    def when(entry: FeedEntry) -> float:
        date = entry.published or entry.updated
        return date.timestamp() if date else float("-inf")

    order = sorted(range(len(fresh)), key=lambda i: (when(fresh[i][1]), -i), reverse=True)
    return {fresh[i][0] for i in order[: max(keep, 0)]}


def _insert_once(conn: Connection, values: dict[str, Any]) -> int | None:
    table: Any = SourceItem.__table__
    dialect = conn.dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table).values(**values)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(**values)
    else:  # pragma: no cover - Palabre runs on SQLite and PostgreSQL only
        stmt = insert(table).values(**values)
    stmt = stmt.on_conflict_do_nothing(index_elements=["source_id", "guid"])
    return conn.execute(stmt.returning(table.c.id)).scalar()


def cut(value: str | None, size: int) -> str | None:
    return value[:size] if value else None


def url_or_none(value: str | None) -> str | None:
    """An address too long to store is dropped, never cut (a cut address leads nowhere)."""
    return value if value and len(value) <= 2000 else None


class _DedupeIndex:
    """What the workspace already has: canonical links and recent fingerprints."""

    def __init__(self) -> None:
        self.links: dict[str, int] = {}
        self.prints: list[tuple[int, int]] = []  # (fingerprint, original id)

    @classmethod
    def load(
        cls, conn: Connection, workspace_id: int, fresh: list[tuple[str, FeedEntry]], now: datetime
    ) -> _DedupeIndex:
        index = cls()
        if not fresh:
            return index
        links = [c for c in (parsing.canonical(e.link) for _, e in fresh) if c]
        root = SourceItem.duplicate_of_id
        for i in range(0, len(links), CHUNK):
            rows = conn.execute(
                select(SourceItem.id, root, SourceItem.canonical_link)
                .where(
                    SourceItem.workspace_id == workspace_id,
                    SourceItem.canonical_link.in_(links[i : i + CHUNK]),
                )
                .order_by(SourceItem.id)
            )
            for item_id, dup_of, link in rows:
                if link:
                    index.links.setdefault(link, dup_of or item_id)
        recent = conn.execute(
            select(SourceItem.id, root, SourceItem.fingerprint)
            .where(
                SourceItem.workspace_id == workspace_id,
                SourceItem.fingerprint.is_not(None),
                SourceItem.first_seen_at >= now - NEAR_WINDOW,
            )
            .order_by(SourceItem.id.desc())
            .limit(NEAR_LIMIT)
        )
        index.prints = [(fp, dup_of or item_id) for item_id, dup_of, fp in recent if fp is not None]
        return index

    def find(self, link: str | None, fingerprint: int | None) -> int | None:
        if link and link in self.links:
            return self.links[link]
        if fingerprint is not None:
            for other, original in self.prints:
                if parsing.near(fingerprint, other):
                    return original
        return None

    def add(self, original: int, link: str | None, fingerprint: int | None) -> None:
        if link:
            self.links.setdefault(link, original)
        if fingerprint is not None:
            self.prints.insert(0, (fingerprint, original))
