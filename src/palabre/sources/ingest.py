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
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from palabre.sources import parsing
from palabre.sources.dedupe_index import PrintIndex, refresh
from palabre.sources.models import Source, SourceItem
from palabre.sources.parsed import FeedEntry, ParsedFeed

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
    session: Session,
    source: Source,
    feed: ParsedFeed,
    now: datetime,
    *,
    first: bool,
    prints: PrintIndex[int] | None = None,
) -> Ingested:
    """Store the feed's new entries. ``prints``: the workspace's fingerprints, kept by the
    caller across the sources of a worker cycle (read here otherwise)."""
    conn = session.connection()
    entries = _unique(feed.entries)
    known = _known_guids(conn, source.id, list(entries))
    fresh = [(g, e) for g, e in entries.items() if g not in known]
    result = Ingested(known=len(known))
    if not fresh:
        return result
    keep = _newest(fresh, source.first_fetch_keep) if first else None
    rows = [_item(source, feed, guid, entry, now, keep) for guid, entry in fresh]
    links = _known_links(conn, source.workspace_id, [r["canonical_link"] for r in rows])
    if prints is None:
        prints = PrintIndex()
    refresh(prints, conn, source.workspace_id, now)
    originals, twins = _sort_out(rows, links, prints)
    ids = _insert_many(conn, originals)
    for row, twin in twins:  # the same news twice in this very feed
        row["duplicate_of_id"] = ids.get(twin)
    ids.update(_insert_many(conn, [row for row, _ in twins]))
    for row in (*originals, *(r for r, _ in twins)):
        if row["guid"] not in ids:  # stored meanwhile by another fetch of the same source
            result.known += 1
            continue
        item_id = ids[row["guid"]]
        prints.put(row["fingerprint"], row["duplicate_of_id"] or item_id, item_id)
        if row["duplicate_of_id"] is not None:
            result.duplicates += 1
        elif row["backlog"]:
            result.backlog += 1
        else:
            result.new += 1
    source.items_seen = (source.items_seen or 0) + result.stored
    return result


def _item(
    source: Source,
    feed: ParsedFeed,
    guid: str,
    entry: FeedEntry,
    now: datetime,
    keep: set[str] | None,
) -> dict[str, Any]:
    text = parsing.to_text(entry.summary_html)
    link = url_or_none(entry.link)
    return {
        "workspace_id": source.workspace_id,
        "source_id": source.id,
        "guid": guid,
        "title": entry.title[:1000],
        "link": link,
        "canonical_link": url_or_none(parsing.canonical(link)),
        "summary_html": parsing.sanitize(entry.summary_html, entry.base_url or feed.link),
        "summary_text": text,
        "categories": list(entry.categories),
        "author": cut(entry.author, 300),
        "image_url": url_or_none(entry.image_url),
        "published_at": entry.published or entry.updated,
        "first_seen_at": now,
        "fingerprint": parsing.fingerprint_of(f"{entry.title}\n{text}") or None,
        "duplicate_of_id": None,
        "backlog": keep is not None and guid not in keep,
    }


def _sort_out(
    rows: list[dict[str, Any]], links: dict[str, int], prints: PrintIndex[int]
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], str]]]:
    """Rows to insert first (news, or duplicates of stored items), and rows that repeat
    one of those (with the guid they repeat)."""
    originals: list[dict[str, Any]] = []
    twins: list[tuple[dict[str, Any], str]] = []
    mine: dict[str, str] = {}  # canonical link -> guid, in this feed
    my_prints: PrintIndex[str] = PrintIndex()
    for row in rows:
        link, fingerprint = row["canonical_link"], row["fingerprint"]
        row["duplicate_of_id"] = (links.get(link) if link else None) or prints.find(fingerprint)
        twin = None if row["duplicate_of_id"] else mine.get(link) or my_prints.find(fingerprint)
        if twin is not None:
            twins.append((row, twin))
            continue
        originals.append(row)
        if link:
            mine.setdefault(link, row["guid"])
        my_prints.put(fingerprint, row["guid"])
    return originals, twins


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


def _insert_many(conn: Connection, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert the rows that are not stored yet (``ON CONFLICT DO NOTHING``, one statement
    for many rows); the ids of those inserted, by guid."""
    if not rows:
        return {}
    table: Any = SourceItem.__table__
    dialect = conn.dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table)
    else:  # pragma: no cover - Palabre runs on SQLite and PostgreSQL only
        stmt = insert(table)
    stmt = stmt.on_conflict_do_nothing(index_elements=["source_id", "guid"])
    result = conn.execute(stmt.returning(table.c.id, table.c.guid), rows)
    return {guid: item_id for item_id, guid in result}


def cut(value: str | None, size: int) -> str | None:
    return value[:size] if value else None


def url_or_none(value: str | None) -> str | None:
    """An address too long to store is dropped, never cut (a cut address leads nowhere)."""
    return value if value and len(value) <= 2000 else None


def _known_links(conn: Connection, workspace_id: int, links: list[str | None]) -> dict[str, int]:
    """Canonical links the workspace already has -> the item that first brought each."""
    wanted = sorted({link for link in links if link})
    rows: list[Any] = []
    for i in range(0, len(wanted), CHUNK):
        # No ORDER BY in SQL: PostgreSQL would then walk the primary key over the whole
        # table rather than look the links up in their index (sorted here instead).
        rows += conn.execute(
            select(SourceItem.id, SourceItem.duplicate_of_id, SourceItem.canonical_link).where(
                SourceItem.workspace_id == workspace_id,
                SourceItem.canonical_link.in_(wanted[i : i + CHUNK]),
            )
        ).all()
    found: dict[str, int] = {}
    for item_id, original, link in sorted(rows):
        if link:
            found.setdefault(link, original or item_id)
    return found
