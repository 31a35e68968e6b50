"""Fetching sources: the worker's handler, whose steps "refresh now" (``refresh``) shares.

A check is: fetch (conditional GET, outside any transaction), read the body, then in ONE
transaction store what is new and the source's health. A failure at any step — the
network, the server, a body that is not a feed — writes only the health (the last error
in plain words) and backs off; nothing else changes. The next check follows the source's
own rhythm: the items of the last 7 days spread over the week (Miniflux's "entry
frequency"), between 15 minutes and 24 hours; agendas every 3 hours.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text

from palabre.core.db import Database
from palabre.core.fetch import Fetcher, FetchError, FetchResult, Limits, fetcher_for
from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy
from palabre.sources import agenda_ingest, ingest, parsing
from palabre.sources.dedupe_index import PrintIndex
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.models import Source, SourceItem, SourceKind
from palabre.sources.parsed import Broken, SourceFormatError
from palabre.stator import HandlerContext, TransientError
from palabre.team import audit
from palabre.team.models import Workspace

log = logging.getLogger(__name__)

MIN_INTERVAL = timedelta(minutes=15)
MAX_INTERVAL = timedelta(hours=24)
AGENDA_INTERVAL = timedelta(hours=3)
RATE_WINDOW = timedelta(days=7)
IDLE_WAIT = timedelta(hours=24)  # paused: resuming makes the row due at once
FETCH_THREADS = 16
ANALYZE_AFTER = 2_000  # items stored in a worker cycle (PostgreSQL: see below)
ACCEPT = {
    SourceKind.feed: "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    SourceKind.agenda: "text/calendar, */*;q=0.5",
}
WEB_PAGE = N_(
    "This address now serves a web page, not a feed. The page offers feeds: choose the one "
    "to use below."
)
WEB_PAGE_NO_FEED = N_(
    "This address now serves a web page, not a feed, and the page does not say where its "
    "feed is. Ask the site for the address of its feed."
)
BROKEN_EVENTS = N_(
    "Events that could not be read (%(count)s): %(names)s. Palabre keeps what it knew of "
    "them (their reminders stay as they were) until the agenda is mended."
)


@dataclass
class Checked:
    """What one check of a source gave."""

    error: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    retry_after: float | None = None
    interval: timedelta = MAX_INTERVAL
    not_modified: bool = False
    result: ingest.Ingested | None = None


@dataclass(frozen=True)
class Target:
    """The little a fetch needs, read once (the handler runs outside transactions)."""

    id: int
    kind: str
    url: str | None
    etag: str | None
    last_modified: str | None
    paused: bool
    tz: str = "UTC"  # the workspace's: agendas' floating and all-day times

    @classmethod
    def of(cls, s: Source, tz: str) -> Target:
        return cls(s.id, s.kind, s.url, s.etag, s.last_modified, s.paused, tz)


def _targets(session: Any, ids: list[int]) -> list[Target]:
    rows = session.execute(
        select(Source, Workspace.timezone)
        .join(Workspace, Workspace.id == Source.workspace_id)
        .where(Source.id.in_(ids))
    )
    return [Target.of(source, tz) for source, tz in rows]


Fetched = FetchResult | FetchError


def fetch(fetcher: Fetcher, target: Target) -> Fetched:
    assert target.url is not None
    try:
        return fetcher.get(
            target.url,
            etag=target.etag,
            last_modified=target.last_modified,
            accept=ACCEPT.get(target.kind, "*/*"),
        )
    except FetchError as exc:
        return exc


# -- the worker ----------------------------------------------------------------------------


def fetch_batch(rows: list[Any], ctx: HandlerContext) -> None:
    """Load the batch's sources and fetch them in parallel (per-host caps apply)."""
    ids = [r.source_id for r in rows]
    with ctx.db.transaction(write=False) as session:
        targets = _targets(session, ids)
    for t in targets:
        ctx.cache[("source", t.id)] = t
    due = [t for t in targets if t.url and not t.paused]
    if not due:
        return
    fetcher = _fetcher(ctx)
    with ThreadPoolExecutor(min(FETCH_THREADS, len(due))) as pool:
        for target, fetched in zip(due, pool.map(lambda t: fetch(fetcher, t), due), strict=True):
            ctx.cache[("fetched", target.id)] = fetched


def handle_polling(row: Any, ctx: HandlerContext) -> str | None:
    target = ctx.cache.get(("source", row.source_id)) or target_of(ctx.db, row.source_id)
    if target is None:
        return "stopped"
    if target.paused or not target.url:
        row.next_attempt_at = ctx.now + IDLE_WAIT
        return None
    fetched = ctx.cache.pop(("fetched", target.id), None) or fetch(_fetcher(ctx), target)
    checked = apply(ctx.db, target, fetched, ctx.now, ctx.cache)
    row.last_checked_at = ctx.now
    if checked.error is not None:
        plain = checked.error % checked.params if checked.params else checked.error
        raise TransientError(plain, checked.retry_after)
    checked_fine(row, checked.interval, ctx.now)
    return None


def checked_fine(row: SourceFetch, interval: timedelta, now: datetime) -> None:
    """A check worked: the next one follows the source's rhythm; no error, no wait."""
    row.interval_seconds = int(interval.total_seconds())
    row.next_attempt_at = now + interval
    row.last_error = None
    row.wait_until = None


def _fetcher(ctx: HandlerContext) -> Fetcher:
    """The worker's guarded fetcher: ``services["fetcher"]`` if given (its own limits),
    else the process's fetcher for the administrator's network policy and caps
    (``services["fetch_limits"]``: PALABRE_FETCH_PER_HOST)."""
    given = ctx.services.get("fetcher")
    if isinstance(given, Fetcher):
        return given
    net = ctx.services.get("net")
    limits = ctx.services.get("fetch_limits")
    return fetcher_for(
        net if isinstance(net, NetPolicy) else NetPolicy(),
        limits if isinstance(limits, Limits) else None,
    )


def target_of(db: Database, source_id: int) -> Target | None:
    with db.transaction(write=False) as session:
        found = _targets(session, [source_id])
    return found[0] if found else None


# -- one check, shared with "refresh now" --------------------------------------------------


def apply(
    db: Database,
    target: Target,
    fetched: Fetched,
    now: datetime,
    cache: dict[Any, Any] | None = None,
) -> Checked:
    """Store what a fetch brought and the source's health, in one transaction. ``cache``
    (the worker cycle's) keeps each workspace's fingerprints from source to source."""
    if isinstance(fetched, FetchError):
        return _failed(db, target.id, now, fetched.message, fetched.params, fetched.retry_after)
    if fetched.not_modified:
        return _unchanged(db, target, now, fetched.permanent_redirect)
    try:
        parsed = read(target.kind, fetched, now, target.tz)
    except SourceFormatError as exc:
        if exc.message != WEB_PAGE:
            return _failed(db, target.id, now, exc.message, exc.params, None)
        offered = offered_feeds(fetched)
        message = WEB_PAGE if offered else WEB_PAGE_NO_FEED
        return _failed(db, target.id, now, message, {}, None, offered)
    with db.transaction() as session:
        source = session.get(Source, target.id, with_for_update=not db.is_sqlite)
        if source is None:
            return Checked()
        prints = (
            None
            if cache is None
            else cache.setdefault(("prints", source.workspace_id), PrintIndex())
        )
        result = store(session, source, parsed, now, prints)
        source.etag = (fetched.etag or "")[:500] or None
        source.last_modified = (fetched.last_modified or "")[:100] or None
        _healthy(source, now)
        _follow_move(session, source, fetched.permanent_redirect)
        interval = next_interval(session, source, now)
    log.info("source %s: %s new, %s known", target.id, result.new, result.known)
    if cache is not None:
        _keep_statistics_fresh(db, cache, result.stored)
    return Checked(interval=interval, result=result)


def _keep_statistics_fresh(db: Database, cache: dict[Any, Any], stored: int) -> None:
    """After many new items in one worker cycle, refresh PostgreSQL's statistics of the
    items' table. A new workspace adding hundreds of feeds fills it in seconds, long before
    autovacuum looks; planned on the statistics of an empty table, the link and fingerprint
    lookups walked the whole table for each source (20,000 items: 10 ms a source)."""
    if db.is_sqlite or not stored:
        return
    total = cache.get("stored_since_analyze", 0) + stored
    if total >= ANALYZE_AFTER:
        with db.write_engine.connect() as conn:
            conn.execute(text("ANALYZE source_items"))
            conn.commit()
        total = 0
    cache["stored_since_analyze"] = total


def read(kind: str, fetched: FetchResult, now: datetime, tz: str) -> Any:
    """The parsed body (a ``ParsedFeed`` or a list of occurrences); ``SourceFormatError``."""
    if kind == SourceKind.feed:
        if parsing.looks_like_html(fetched.body):
            raise SourceFormatError(WEB_PAGE)
        return parsing.parse_feed(fetched.body, content_type=fetched.content_type, url=fetched.url)
    return parsing.parse_agenda(fetched.body, now, tz)


def store(
    session: Any,
    source: Source,
    parsed: Any,
    now: datetime,
    prints: PrintIndex[int] | None = None,
) -> ingest.Ingested:
    if source.kind == SourceKind.feed:
        first = source.last_success_at is None
        result = ingest.ingest_feed(session, source, parsed, now, first=first, prints=prints)
        source.title = (parsed.title or "")[:500] or source.title
        source.notice = source.notice_params = None
        source.site_url = parsed.link if parsed.link and len(parsed.link) <= 2000 else None
        return result
    source.title = (parsed.name or "")[:500] or source.title
    _note_broken(source, parsed.broken)
    return agenda_ingest.ingest_agenda(session, source, parsed.occurrences, now, parsed.broken)


def _note_broken(source: Source, broken: list[Broken]) -> None:
    """The agenda's events that could not be read, named on the source's health."""
    if not broken:
        source.notice = source.notice_params = None
        return
    names = [b.title or b.uid or "?" for b in broken]
    shown = ", ".join(f"« {n} »" for n in names[:5]) + (", …" if len(names) > 5 else "")
    source.notice = BROKEN_EVENTS
    source.notice_params = {"count": str(len(broken)), "names": shown}


def _follow_move(session: Any, source: Source, moved_to: str | None) -> None:
    """The server said the source moved for good (301/308): use its new address from now
    on — unless it is the same address written differently (``HTTP://Musee.example:80/feed``
    for ``http://musee.example/feed``), or the workspace already has a source there,
    however written — and say so in the audit log."""
    if not moved_to or len(moved_to) > 2000 or parsing.same_address(moved_to, source.url):
        return
    others = session.scalars(
        select(Source.url).where(
            Source.workspace_id == source.workspace_id,
            Source.id != source.id,
            Source.url.is_not(None),
        )
    )
    if any(parsing.same_address(moved_to, url) for url in others):
        return
    audit.record(
        session,
        workspace_id=source.workspace_id,
        actor=None,
        action="source.moved",
        object_type="source",
        object_id=source.id,
        old=source.url,
        new=moved_to,
    )
    source.url = moved_to


def offered_feeds(fetched: FetchResult) -> list[dict[str, str | None]]:
    """The feeds a web page advertises (``<link rel="alternate">``), to choose from."""
    found = parsing.discover_feeds(fetched.body, url=fetched.url, content_type=fetched.content_type)
    return [{"url": f.url, "title": f.title, "type": f.type} for f in found if len(f.url) <= 2000]


def _healthy(source: Source, now: datetime) -> None:
    source.last_success_at = now
    source.offered_feeds = None
    source.last_error = None
    source.last_error_params = None
    source.last_error_at = None


def _unchanged(db: Database, target: Target, now: datetime, moved_to: str | None) -> Checked:
    with db.transaction() as session:
        source = session.get(Source, target.id)
        if source is None:
            return Checked()
        _healthy(source, now)
        _follow_move(session, source, moved_to)
        interval = next_interval(session, source, now)
    return Checked(interval=interval, not_modified=True)


def _failed(
    db: Database,
    source_id: int,
    now: datetime,
    message: str,
    params: dict[str, str],
    retry_after: float | None,
    offered: list[dict[str, str | None]] | None = None,
) -> Checked:
    with db.transaction() as session:
        source = session.get(Source, source_id)
        if source is not None:
            source.last_error = message[:1000]
            source.last_error_params = dict(params) or None
            source.last_error_at = now
            source.offered_feeds = offered or None
        if retry_after:
            row = session.scalar(select(SourceFetch).where(SourceFetch.source_id == source_id))
            if row is not None:
                row.wait_until = now + timedelta(seconds=retry_after)
    log.info("source %s: %s", source_id, message % params if params else message)
    return Checked(error=message, params=params, retry_after=retry_after)


def next_interval(session: Any, source: Source, now: datetime) -> timedelta:
    """From how often the source published over the last week, within 15 min – 24 h."""
    if source.kind == SourceKind.agenda:
        return AGENDA_INTERVAL
    when = func.coalesce(SourceItem.published_at, SourceItem.first_seen_at)
    count = session.scalar(
        select(func.count())
        .select_from(SourceItem)
        .where(SourceItem.source_id == source.id, when >= now - RATE_WINDOW)
    )
    if not count:
        return MAX_INTERVAL
    return min(max(RATE_WINDOW / count, MIN_INTERVAL), MAX_INTERVAL)
