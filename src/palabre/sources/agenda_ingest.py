"""Storing an agenda's occurrences (``AgendaOccurrence``) and keeping them up to date,
inside the caller's transaction.

Each occurrence is known by its event's UID and its key (the original start, what
RECURRENCE-ID names). A changed occurrence (title, times, place, status...) is updated in
place with ``changed_at``; a cancelled one keeps its row with ``status="cancelled"``; one
the agenda no longer has gets ``removed_at``. A single event moved to another time keeps
its row (its key follows its start, so it is matched by its UID alone). Occurrences that
started before the window are left as they are, and so are those of an event the agenda
still has but that could not be read (``unreadable``): a damaged event is not a removed
one — removing it would cancel its reminders and draft a correction. When an unreadable
event's UID cannot be read either, nothing is marked removed at this check.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.sources import parsing
from palabre.sources.ingest import Ingested, cut, url_or_none
from palabre.sources.models import AgendaOccurrence, Source
from palabre.sources.parsed import Broken, Occurrence

Key = tuple[str, str]


def content_hash(o: Occurrence) -> str:
    """What a reminder shows: a change of any of it is a change of the occurrence."""
    shown = [
        o.title,
        o.starts_at.isoformat(),
        o.ends_at.isoformat() if o.ends_at else None,
        o.all_day,
        o.location,
        o.status,
        o.url,
        o.description,
    ]
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()


def ingest_agenda(
    session: Session,
    source: Source,
    occurrences: list[Occurrence],
    now: datetime,
    unreadable: Sequence[Broken] = (),
) -> Ingested:
    start, _ = parsing.agenda_window(now)
    rows = session.scalars(select(AgendaOccurrence).where(AgendaOccurrence.source_id == source.id))
    existing: dict[Key, AgendaOccurrence] = {(o.uid, o.occurrence_key): o for o in rows}
    parsed = _unique(occurrences)
    _follow_moved_single_events(existing, parsed, start)
    result = Ingested()
    for key, occ in parsed.items():
        row = existing.get(key)
        digest = content_hash(occ)
        if row is None:
            session.add(AgendaOccurrence(**_values(source, occ, digest, now)))
            result.new += 1
        elif row.content_hash != digest or row.removed_at is not None:
            for name, value in _values(source, occ, digest, now).items():
                if name != "first_seen_at":
                    setattr(row, name, value)
            row.removed_at = None
            result.changed += 1
        else:
            result.known += 1
    kept = {b.uid[:1000] for b in unreadable if b.uid}
    if any(b.uid is None for b in unreadable):
        existing = {}  # which event could not be read is unknown: remove nothing
    for key, row in existing.items():
        if key in parsed or row.uid in kept:
            continue
        if row.removed_at is None and row.starts_at >= start:
            row.removed_at = now
            row.changed_at = now
            result.removed += 1
    source.items_seen = (source.items_seen or 0) + result.new
    session.flush()
    return result


def _unique(occurrences: list[Occurrence]) -> dict[Key, Occurrence]:
    found: dict[Key, Occurrence] = {}
    for occ in occurrences:
        found.setdefault((occ.uid[:1000], occ.key[:100]), occ)
    return found


def _follow_moved_single_events(
    existing: dict[Key, AgendaOccurrence], parsed: dict[Key, Occurrence], start: datetime
) -> None:
    """A UID with one occurrence before and after, under another key, is the same event
    moved: its row takes the new key, so the move is a change, not a removal."""
    new_per_uid = Counter(uid for uid, _ in parsed)
    live = [
        (key, row)
        for key, row in existing.items()
        if row.removed_at is None and row.starts_at >= start and key not in parsed
    ]
    old_per_uid = Counter(uid for (uid, _), _ in live)
    for (uid, old_key), row in live:
        if new_per_uid[uid] != 1 or old_per_uid[uid] != 1:
            continue
        new_key = next(k for k in parsed if k[0] == uid)
        if new_key in existing:
            continue
        row.occurrence_key = new_key[1]
        existing[new_key] = existing.pop((uid, old_key))


def _values(source: Source, occ: Occurrence, digest: str, now: datetime) -> dict[str, Any]:
    return {
        "workspace_id": source.workspace_id,
        "source_id": source.id,
        "uid": occ.uid[:1000],
        "occurrence_key": occ.key[:100],
        "starts_at": occ.starts_at,
        "ends_at": occ.ends_at,
        "all_day": occ.all_day,
        "timezone": cut(occ.timezone, 64),
        "title": occ.title[:1000],
        "description": occ.description,
        "location": cut(occ.location, 1000),
        "url": url_or_none(occ.url),
        "status": occ.status,
        "content_hash": digest,
        "first_seen_at": now,
        "changed_at": now,
    }
