"""Test data as plain functions."""

from __future__ import annotations

from datetime import datetime
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
