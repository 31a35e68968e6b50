"""Every change to sources: adding one (from an address or a file), renaming, pausing,
weighting, removing, and reading them.

Who may: members, managers and owners manage sources (they are the team's own reading;
nothing is published by adding one — automations, which publish, are a manager's
business); removing a source, which automations may rely on, is for managers and owners.
Contributors and viewers read sources and their items.

Adding from an address asks the network first (``probe_url``, outside any transaction),
then ``create_source`` stores the source and what the first fetch brought in one
transaction: only the newest item is new, the older ones are backlog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.core.errors import FieldErrors, Invalid, NotFound
from palabre.core.fetch import FetchError, FetchResult, Limits, fetcher_for
from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy
from palabre.sources import parsing, refresh, worker
from palabre.sources.dedupe import canonical_url
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.models import Source, SourceKind
from palabre.sources.parsed import FeedLink, SourceFormatError
from palabre.team import audit
from palabre.team.models import Role, User, Workspace
from palabre.team.services import require

MANAGE = Role.member
REMOVE = Role.manager
KINDS = (SourceKind.feed, SourceKind.agenda)
MAX_FILE = 5 * 1024 * 1024
ALREADY_THERE = N_("This source is already in the workspace, as « %(name)s ».")


class FeedsFound(Invalid):
    """The address is a web page that offers feeds: the person picks one (422)."""

    def __init__(self, feeds: list[FeedLink]) -> None:
        super().__init__(
            {"url": (N_("This is a web page. Choose one of the feeds it offers."), {})}
        )
        self.feeds = feeds
        self.extra = {"feeds": [{"url": f.url, "title": f.title, "type": f.type} for f in feeds]}


@dataclass
class Probe:
    """A source read once, ready to be stored."""

    kind: str
    parsed: Any  # ParsedFeed or list[Occurrence]
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    file_name: str | None = None
    title: str | None = None


# -- reading ---------------------------------------------------------------------------------


def list_sources(session: Session, workspace_id: int) -> list[Source]:
    return list(
        session.scalars(
            select(Source).where(Source.workspace_id == workspace_id).order_by(Source.name)
        )
    )


def get_source(session: Session, workspace_id: int, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None or source.workspace_id != workspace_id:
        raise NotFound("This source does not exist.")
    return source


def fetch_row(session: Session, source_id: int) -> SourceFetch | None:
    return session.scalar(select(SourceFetch).where(SourceFetch.source_id == source_id))


def fetch_rows(session: Session, sources: list[Source]) -> dict[int, SourceFetch]:
    """The fetching rows of many sources at once (a list page), by source id."""
    ids = [s.id for s in sources]
    if not ids:
        return {}
    rows = session.scalars(select(SourceFetch).where(SourceFetch.source_id.in_(ids)))
    return {row.source_id: row for row in rows}


# -- probing (network, outside transactions) ----------------------------------------------


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise Invalid({"kind": (N_("Choose a feed or an agenda."), {})})


def probe_url(
    net: NetPolicy,
    kind: str,
    url: str,
    tz: str = "UTC",
    now: datetime | None = None,
    limits: Limits | None = None,
) -> Probe:
    """Fetch and read ``url`` as ``kind``; ``Invalid`` (or ``FeedsFound``) in plain words.
    ``limits``: the fetcher's caps (``Runtime.fetch_limits``), the defaults if not given."""
    check_kind(kind)
    url = (url or "").strip()
    if not url:
        raise Invalid({"url": (N_("Enter the address of the feed or agenda."), {})})
    if "://" not in url:
        url = f"https://{url}"
    target = worker.Target(0, kind, url, None, None, False, tz)
    fetched = worker.fetch(fetcher_for(net, limits), target)
    if isinstance(fetched, FetchError):
        raise Invalid({"url": (fetched.message, fetched.params)})
    if kind == SourceKind.feed and parsing.looks_like_html(fetched.body):
        _offer_feeds(fetched)
    parsed = _read(kind, fetched, now or utcnow(), tz)
    return Probe(
        kind,
        parsed,
        url=fetched.permanent_redirect or url,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        title=_title(parsed),
    )


def _title(parsed: Any) -> str | None:
    """How the document names itself: a feed's title, an agenda's X-WR-CALNAME."""
    return getattr(parsed, "title", None) or getattr(parsed, "name", None)


def _offer_feeds(fetched: FetchResult) -> None:
    feeds = parsing.discover_feeds(fetched.body, url=fetched.url, content_type=fetched.content_type)
    if feeds:
        raise FeedsFound(feeds)
    raise Invalid({"url": (N_("This is a web page, and it does not say where its feed is."), {})})


def _read(kind: str, fetched: FetchResult, now: datetime, tz: str) -> Any:
    try:
        return worker.read(kind, fetched, now, tz)
    except SourceFormatError as exc:
        raise Invalid({"url": (exc.message, exc.params)}) from None


def probe_file(
    kind: str,
    content: bytes,
    file_name: str | None,
    tz: str = "UTC",
    now: datetime | None = None,
) -> Probe:
    check_kind(kind)
    if not content:
        raise Invalid({"file": (N_("The file is empty."), {})})
    if len(content) > MAX_FILE:
        raise Invalid({"file": (N_("The file is larger than %(size)s."), {"size": "5 MB"})})
    fake = FetchResult(url="", status=200, headers=_no_headers(), body=content)
    try:
        parsed = worker.read(kind, fake, now or utcnow(), tz)
    except SourceFormatError as exc:
        raise Invalid({"file": (exc.message, exc.params)}) from None
    name = (file_name or "").rsplit("/", 1)[-1][:300] or None
    return Probe(kind, parsed, file_name=name, title=_title(parsed))


def _no_headers() -> Any:
    import httpx

    return httpx.Headers()


# -- changes -------------------------------------------------------------------------------


def create_source(
    session: Session,
    workspace: Workspace,
    *,
    probe: Probe,
    name: str | None,
    actor: User,
    first_fetch_keep: int = 1,
    now: datetime | None = None,
) -> Source:
    require(actor, MANAGE)
    now = now or utcnow()
    errors = FieldErrors()
    name = _name(errors, name, probe)
    same = source_at(session, workspace.id, probe.url) if probe.url else None
    if same is not None:
        errors.add("url", ALREADY_THERE, name=same.name)
    if not 0 <= first_fetch_keep <= 50:
        errors.add("first_fetch_keep", N_("Enter a number between 0 and 50."))
    errors.raise_if_any()
    source = Source(
        workspace_id=workspace.id,
        kind=probe.kind,
        name=name,
        url=probe.url,
        file_name=probe.file_name,
        created_by_id=actor.id,
        first_fetch_keep=first_fetch_keep,
        weight=1.0,
        paused=False,
        items_seen=0,
        etag=(probe.etag or "")[:500] or None,
        last_modified=(probe.last_modified or "")[:100] or None,
    )
    session.add(source)
    session.flush()
    result = worker.store(session, source, probe.parsed, now)
    source.last_success_at = now
    if probe.url:
        interval = worker.next_interval(session, source, now)
        session.add(
            SourceFetch(
                source_id=source.id,
                state="polling",
                next_attempt_at=now + interval,
                interval_seconds=int(interval.total_seconds()),
                attempts=0,
            )
        )
    _audit(
        session,
        source,
        actor,
        "source.created",
        kind=source.kind,
        url=source.url,
        file=source.file_name,
        items=result.stored,
    )
    session.flush()
    return source


def source_at(
    session: Session, workspace_id: int, url: str, other_than: int | None = None
) -> Source | None:
    """The workspace's source at this address, compared canonically: letter case of the
    host, default port, trailing slash and tracking parameters (``utm_*``…) aside."""
    wanted = canonical_url(url)
    rows = session.execute(
        select(Source.id, Source.url).where(
            Source.workspace_id == workspace_id, Source.url.is_not(None)
        )
    )
    for source_id, address in rows:
        if source_id != other_than and address and canonical_url(address) == wanted:
            return session.get(Source, source_id)
    return None


def _name(errors: FieldErrors, name: str | None, probe: Probe) -> str:
    name = " ".join((name or "").split())
    if not name:
        host = urlsplit(probe.url).hostname if probe.url else None
        name = (" ".join((probe.title or "").split()) or probe.file_name or host or "")[:200]
    return checked_name(errors, name)


def checked_name(errors: FieldErrors, name: str) -> str:
    """The name with its spaces tidied; a field error when empty or too long."""
    name = " ".join(name.split())
    if not name:
        errors.add("name", N_("Give the source a name."))
    elif len(name) > 200:
        errors.add("name", N_("Enter at most %(max_length)s characters."), max_length="200")
    return name


def update_source(
    session: Session,
    source: Source,
    *,
    actor: User,
    name: str | None = None,
    weight: float | None = None,
    paused: bool | None = None,
    first_fetch_keep: int | None = None,
) -> Source:
    require(actor, MANAGE)
    errors = FieldErrors()
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = checked_name(errors, name)
    if weight is not None:
        if not 0 <= weight <= 10:
            errors.add("weight", N_("Enter a number between 0 and 10."))
        changes["weight"] = float(weight)
    if first_fetch_keep is not None and not 0 <= first_fetch_keep <= 50:
        errors.add("first_fetch_keep", N_("Enter a number between 0 and 50."))
    errors.raise_if_any()
    if first_fetch_keep is not None:
        changes["first_fetch_keep"] = first_fetch_keep
    if paused is not None:
        changes["paused"] = paused
    changes = {k: v for k, v in changes.items() if getattr(source, k) != v}
    if not changes:
        return source
    for key, value in changes.items():
        setattr(source, key, value)
    if changes.get("paused") is False:
        _wake(session, source.id)
    paused_now = changes.get("paused")
    action = (
        "source.updated"
        if paused_now is None
        else "source.paused"
        if paused_now
        else "source.resumed"
    )
    _audit(session, source, actor, action, **{k: v for k, v in changes.items() if k != "paused"})
    session.flush()
    return source


def _wake(session: Session, source_id: int) -> None:
    row = fetch_row(session, source_id)
    if row is not None and row.state == "polling":
        row.next_attempt_at = utcnow()
        row.attempts = 0


def use_offered_feed(session: Session, source: Source, url: str, *, actor: User) -> Source:
    """The source's address now serves a web page: fetch, from now on, one of the feeds
    that page offers (``source.offered_feeds``), at once."""
    require(actor, MANAGE)
    offered = {f.get("url") for f in source.offered_feeds or []}
    if not url or url not in offered:
        raise Invalid({"url": (N_("Choose one of the feeds the page offers."), {})})
    same = source_at(session, source.workspace_id, url, other_than=source.id)
    if same is not None:
        raise Invalid({"url": (ALREADY_THERE, {"name": same.name})})
    _audit(session, source, actor, "source.feed_chosen", old=source.url, new=url)
    source.url = url
    source.etag = source.last_modified = None
    source.offered_feeds = None
    source.last_success_at = None  # its first fetch: older entries are backlog, no flood
    row = fetch_row(session, source.id)
    if row is not None:
        row.wait_until = None
    _wake(session, source.id)
    session.flush()
    return source


def delete_source(session: Session, source: Source, *, actor: User) -> None:
    require(actor, REMOVE)
    _audit(session, source, actor, "source.deleted", name=source.name, url=source.url)
    session.delete(source)
    session.flush()


def note_refresh(session: Session, source: Source, *, actor: User) -> None:
    """Who asked for a refresh (the check itself runs outside the transaction)."""
    require(actor, MANAGE)
    if not source.url:
        raise Invalid(
            {"url": (N_("This source comes from a file: there is nothing to fetch."), {})}
        )
    if source.paused:
        raise Invalid({"paused": (N_("This source is paused. Resume it first."), {})})
    tz = session.scalar(select(Workspace.timezone).where(Workspace.id == source.workspace_id))
    waiting = refresh.server_wait(session, source.id, utcnow(), tz or "UTC")
    if waiting is not None:
        raise Invalid({"url": (refresh.WAIT_ASKED, waiting)})
    _audit(session, source, actor, "source.refreshed")


def _audit(session: Session, source: Source, actor: User, action: str, **details: Any) -> None:
    audit.record(
        session,
        workspace_id=source.workspace_id,
        actor=actor,
        action=action,
        object_type="source",
        object_id=source.id,
        **details,
    )
