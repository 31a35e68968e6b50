"""Helpers for sources tests: feeds written on the fly, a team, adding a source the way the
API does (probe, then store), the worker's runner for source fetches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import lru_cache
from html import escape
from itertools import count

from sqlalchemy import select

from palabre.core.runtime import Runtime
from palabre.sources import services
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.models import Source, SourceItem
from palabre.stator import StatorRunner
from palabre.team.models import User, Workspace
from tests import factories as f
from tests.fakes.feed_server import FeedServer

NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class Entry:
    guid: str
    title: str
    link: str | None = None
    summary: str = ""
    published: datetime | None = None


def entries(n: int, *, start: datetime = NOW, every: timedelta = timedelta(hours=6)) -> list[Entry]:
    """``n`` distinct news, the newest first (as feeds list them)."""
    return [
        Entry(
            guid=f"https://musee.example.org/actualites/{i}",
            title=f"Actualité numéro {i} : {WORDS[i % len(WORDS)]}",
            link=f"https://musee.example.org/actualites/{i}?utm_source=rss",
            summary=f"<p>{WORDS[(i * 7) % len(WORDS)]} — article {i} du musée, "
            f"{WORDS[(i * 3) % len(WORDS)]}.</p>",
            published=start - every * (n - 1 - i),
        )
        for i in reversed(range(n))
    ]


WORDS = [
    "la nuit des musées ouvre ses portes aux familles",
    "une exposition de photographies anciennes du port",
    "atelier de gravure pour les enfants pendant les vacances",
    "conférence sur les peintres impressionnistes de la région",
    "restauration du grand tableau de la salle des fêtes",
    "visite guidée nocturne à la lampe de poche",
    "concert de musique baroque dans le cloître",
    "nouvelle acquisition : un vase grec du cinquième siècle",
    "fermeture exceptionnelle pour inventaire annuel",
    "rencontre avec l'artiste en résidence cet automne",
    "journées européennes du patrimoine : le programme complet",
]


def rss(items: list[Entry], title: str = "Musée des Beaux-Arts — actualités") -> str:
    body = "".join(
        "<item>"
        f"<guid>{escape(e.guid)}</guid><title>{escape(e.title)}</title>"
        + (f"<link>{escape(e.link)}</link>" if e.link else "")
        + f"<description>{escape(e.summary)}</description>"
        + (f"<pubDate>{format_datetime(e.published, usegmt=True)}</pubDate>" if e.published else "")
        + "</item>"
        for e in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://musee.example.org/</link>"
        f"<description>Nouvelles</description>{body}</channel></rss>"
    )


@dataclass
class Team:
    ws: Workspace
    manager: User


def team(rt: Runtime) -> Team:
    with rt.db.transaction() as session:
        ws = f.workspace(session)
        manager = f.user(session, ws, "manager")
        session.expunge_all()
    return Team(ws, manager)


def add_source(
    rt: Runtime, t: Team, url: str, *, kind: str = "feed", keep: int = 1, now: datetime = NOW
) -> int:
    probe = services.probe_url(rt.net, kind, url, t.ws.timezone, now)
    with rt.db.transaction() as session:
        ws = session.get(Workspace, t.ws.id)
        actor = session.get(User, t.manager.id)
        assert ws is not None and actor is not None
        source = services.create_source(
            session, ws, probe=probe, name=None, actor=actor, first_fetch_keep=keep, now=now
        )
        return source.id


def runner(rt: Runtime) -> StatorRunner:
    return StatorRunner(rt.db, [SourceFetch], services=rt.worker_services())


def fetch_row(rt: Runtime, source_id: int) -> SourceFetch:
    with rt.db.transaction(write=False) as session:
        row = session.scalar(select(SourceFetch).where(SourceFetch.source_id == source_id))
        assert row is not None
        session.expunge(row)
        return row


def source(rt: Runtime, source_id: int) -> Source:
    with rt.db.transaction(write=False) as session:
        row = session.get(Source, source_id)
        assert row is not None
        session.expunge(row)
        return row


def items(rt: Runtime, source_id: int | None = None) -> list[SourceItem]:
    with rt.db.transaction(write=False) as session:
        query = select(SourceItem).order_by(SourceItem.id)
        if source_id is not None:
            query = query.where(SourceItem.source_id == source_id)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def fresh(rows: list[SourceItem]) -> list[SourceItem]:
    """The items that are news (what automations may post)."""
    return [i for i in rows if not i.backlog and i.duplicate_of_id is None]


@lru_cache(maxsize=1)
def shared_feed_server() -> FeedServer:
    """A feed server for tests whose signature has no fixture (the role matrices)."""
    return FeedServer().start()


def owned_source(rt: Runtime, workspace_id: int, owner_id: int, *, fetched: bool) -> int:
    """A source added by the owner: fetched from the shared server, or from a file."""
    if fetched:
        server = shared_feed_server()
        url = server.serve(f"/matrix/{next(_paths)}.xml", rss(entries(2)))
    with rt.db.transaction(write=False) as session:
        ws = session.get(Workspace, workspace_id)
        owner = session.get(User, owner_id)
        session.expunge_all()
    assert ws is not None and owner is not None
    if fetched:
        return add_source(rt, Team(ws, owner), url)
    probe = services.probe_file("feed", rss(entries(2)).encode(), "actus.xml", ws.timezone)
    with rt.db.transaction() as session:
        ws = session.get(Workspace, workspace_id)
        owner = session.get(User, owner_id)
        assert ws is not None and owner is not None
        return services.create_source(session, ws, probe=probe, name=None, actor=owner).id


_paths = count(1)
