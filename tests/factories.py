"""Test data as plain functions."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from itertools import count
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from palabre.channels.models import Channel
from palabre.core.runtime import Runtime
from palabre.core.security import hash_password
from palabre.publishing import services as publishing
from palabre.publishing.models import Post
from palabre.publishing.validation import Draft
from palabre.team import access
from palabre.team import services as team
from palabre.team.models import User, Workspace

PASSWORD = "correct horse battery"
ROLES = ["owner", "manager", "member", "contributor", "viewer"]
_seq = count(1)


@lru_cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def workspace(session: Session, name: str = "Musée test", tz: str = "Europe/Paris") -> Workspace:
    return team.create_workspace(session, name=name, timezone=tz)


def user(
    session: Session,
    ws: Workspace,
    role: str = "manager",
    email: str | None = None,
    language: str | None = "en",
) -> User:
    """A person, with the hash computed once per test run (argon2 is slow on purpose).

    Test people read English so assertions name the English messages; tests of the French
    interface pass ``language=None`` (the workspace's French default) or ``"fr"``.
    """
    u = User(
        workspace_id=ws.id,
        email=email or f"{role}{next(_seq)}@example.org",
        name=f"{role.title()} {next(_seq)}",
        role=role,
        password_hash=password_hash(),
        language=language,
    )
    session.add(u)
    session.flush()
    return u


def preview_channel(
    rt: Runtime,
    session: Session,
    ws: Workspace,
    actor: User,
    name: str = "Aperçu",
    imitates: str = "mastodon",
    **settings: Any,
) -> Channel:
    from palabre.channels import services as channels

    return channels.create_channel(
        session,
        ws,
        kind="preview",
        name=name,
        settings={"imitates": imitates, **settings},
        actor=actor,
        box=rt.box,
    )


def post(
    session: Session,
    ws: Workspace,
    author: User,
    channels: list[Channel],
    text: str = "Bonjour !",
    when: datetime | None = None,
    intent: str = "auto",
    **kw: Any,
) -> Post:
    draft = Draft(text=text, channel_ids=[c.id for c in channels], scheduled_at=when, **kw)
    return publishing.create_post(session, ws, draft, author=author, intent=intent)


def token(session: Session, u: User) -> str:
    return access.create_api_token(session, u, name="test")


def bearer(tok: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok}"}


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/signin")
    assert page.status_code == 200
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    resp = client.post(
        "/signin",
        data={"email": email, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    return client


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, read from a page as a browser would."""
    page = client.get(path)
    return page.text.split('"X-CSRF-Token": "', 1)[1].split('"', 1)[0]


# ---- Sources and what ingestion stores (as the fetching worker would have)


def source(
    session: Session, ws: Workspace, kind: str = "feed", name: str = "Site du musée", **kw: Any
) -> Any:
    from palabre.sources.models import Source

    row = Source(
        workspace_id=ws.id, kind=kind, name=name, url=f"https://musee.example/{kind}", **kw
    )
    session.add(row)
    session.flush()
    return row


def source_item(session: Session, src: Any, title: str = "Nuit des musées", **kw: Any) -> Any:
    from palabre.sources.models import SourceItem

    n = next(_seq)
    link = kw.pop("link", f"https://musee.example/news/{n}")
    kw.setdefault("first_seen_at", kw.get("published_at") or datetime.now(UTC))
    row = SourceItem(
        workspace_id=src.workspace_id,
        source_id=src.id,
        guid=kw.pop("guid", f"guid-{n}"),
        title=title,
        link=link,
        canonical_link=kw.pop("canonical_link", link),
        summary_text=kw.pop("summary_text", "Le musée ouvre ses portes toute la nuit."),
        categories=kw.pop("categories", ["Événements"]),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def occurrence(
    session: Session, src: Any, starts_at: datetime, title: str = "Visite guidée", **kw: Any
) -> Any:
    from palabre.sources.models import AgendaOccurrence

    n = next(_seq)
    row = AgendaOccurrence(
        workspace_id=src.workspace_id,
        source_id=src.id,
        uid=kw.pop("uid", f"event-{n}@musee.example"),
        occurrence_key=kw.pop("occurrence_key", starts_at.isoformat()),
        starts_at=starts_at,
        title=title,
        location=kw.pop("location", "Grande galerie"),
        url=kw.pop("url", f"https://musee.example/agenda/{n}"),
        content_hash=kw.pop("content_hash", f"hash-{n}"),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def notification(
    session: Session, channel: Channel, kind: str = "follow", handle: str | None = None, **kw: Any
) -> Any:
    from palabre.inbox.models import Notification

    n = next(_seq)
    row = Notification(
        workspace_id=channel.workspace_id,
        channel_id=channel.id,
        remote_id=f"n-{n}",
        kind=kind,
        created_at=kw.pop("created_at", datetime.now(UTC)),
        author_id=kw.pop("author_id", f"acct-{n}"),
        author_handle=handle or f"visiteur{n}@social.example",
        author_name=kw.pop("author_name", f"Visiteur {n}"),
        text=kw.pop("text", ""),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def automation(
    session: Session,
    ws: Workspace,
    actor: User,
    kind: str = "news",
    sources: list[Any] | None = None,
    channels: list[Channel] | None = None,
    mode: str = "suggest",
    **settings: Any,
) -> Any:
    from palabre.automations import services as automations

    return automations.create_automation(
        session,
        ws,
        kind=kind,
        name=f"{kind} {next(_seq)}",
        source_ids=[s.id for s in sources or []],
        channel_ids=[c.id for c in channels or []],
        mode=mode,
        settings=settings,
        actor=actor,
    )
