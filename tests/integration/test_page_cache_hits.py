"""Cached calendar and approval pages served on the event loop
(``publishing.cached.cached_hit``): one query per page, the same page as the ordinary
path, and every change to who may see what — signing out, a role, a deactivated person,
an expired session — at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, select, text, update

from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.core.web import create_app
from palabre.team import notices
from palabre.team.models import User, UserSession
from tests import factories as f

PAGES = ("/calendar?view=week", "/calendar?view=month", "/approvals")


def scene(rt: Runtime) -> dict[str, Any]:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner")
        manager = f.user(s, ws, "manager")
        channel = f.preview_channel(rt, s, ws, owner)
        f.post(s, ws, owner, [channel], text="Vernissage", when=utcnow() + timedelta(hours=2))
        f.post(s, ws, owner, [channel], text="Atelier poterie", intent="submit")
        return {"ws": ws.id, "manager": manager.email, "manager_id": manager.id, "channel": channel}


@contextmanager
def statements(rt: Runtime) -> Iterator[list[str]]:
    """The SQL statements the app sends (both engines)."""
    sent: list[str] = []
    engines = {rt.db.read_engine, rt.db.write_engine}

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE")):
            sent.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", note)


def cached(client: TestClient, email: str) -> TestClient:
    """Signed in, with every page rendered once (so cached) and read again."""
    f.sign_in(client, email)
    for url in PAGES:
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    return client


def test_a_cached_page_costs_one_query_and_is_the_same_page(
    rt: Runtime, client: TestClient
) -> None:
    sc = scene(rt)
    f.sign_in(client, sc["manager"])
    for url in PAGES:
        first = client.get(url)  # rendered (and cached)
        with statements(rt) as sent:
            again = client.get(url)
        assert again.status_code == 200 and len(sent) == 1, sent
        assert again.content == first.content  # layout, content and CSRF token alike
        assert again.headers["content-type"] == first.headers["content-type"]
        assert "content-security-policy" in again.headers
    token = f.csrf_of(client, "/approvals")
    assert f'name="csrf_token" value="{token}"' in client.get("/approvals").text


def test_signing_out_ends_the_cached_pages_at_once(rt: Runtime, client: TestClient) -> None:
    sc = scene(rt)
    cookies = dict(cached(client, sc["manager"]).cookies)
    token = f.csrf_of(client)
    assert client.post("/signout", data={"csrf_token": token}).status_code == 200
    with TestClient(create_app(rt), cookies=cookies) as other:  # as another process would
        for c in (client, other):
            c.cookies.update(cookies)  # the old cookie, kept by an attacker
            for url in PAGES:
                resp = c.get(url, follow_redirects=False)
                assert resp.status_code == 303 and "/signin" in resp.headers["location"]


def test_a_deactivated_person_or_an_expired_session_is_shown_out(
    rt: Runtime, client: TestClient
) -> None:
    sc = scene(rt)
    cached(client, sc["manager"])
    with rt.db.transaction() as s:  # not through the ORM's flush: nothing is bumped
        s.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/approvals", follow_redirects=False).status_code == 303
    client.cookies.clear()
    f.sign_in(client, sc["manager"])
    client.get("/approvals")
    with rt.db.transaction() as s:
        s.execute(update(User).where(User.id == sc["manager_id"]).values(active=False))
    assert client.get("/approvals", follow_redirects=False).status_code == 303


def test_a_role_taken_away_shows_at_once(rt: Runtime, client: TestClient) -> None:
    sc = scene(rt)
    f.sign_in(client, sc["manager"])
    before = client.get("/approvals").text
    assert "Approve" in client.get("/approvals").text and "Audit log" in before
    with rt.db.transaction() as s:  # even with plain SQL, which bumps no data version
        s.execute(update(User).where(User.id == sc["manager_id"]).values(role="viewer"))
    page = client.get("/approvals").text
    assert "Atelier poterie" in page
    assert "Approve" not in page and "Audit log" not in page and "Compose" not in page
    week = client.get("/calendar?view=week").text
    assert 'draggable="true"' not in week


def test_the_header_follows_notices_banners_and_languages(rt: Runtime, client: TestClient) -> None:
    from palabre.channels import services as channels

    sc = scene(rt)
    f.sign_in(client, sc["manager"])
    assert 'class="badge"' not in client.get("/approvals").text
    assert 'class="badge"' not in client.get("/approvals").text  # cached
    with rt.db.transaction() as s:
        notices.tell_managers(s, sc["ws"], kind="test", message="Something happened.")
    assert 'class="badge"' in client.get("/approvals").text  # notices change no page
    with rt.db.transaction() as s:
        channels.record_error(s, sc["channel"].id, "401", needs_reconnect=True)
    assert 'id="reconnect-alert"' in client.get("/approvals").text
    client.cookies.set("palabre_lang", "en")
    assert "Calendar" in client.get("/calendar").text
    token = f.csrf_of(client)
    client.post("/language", data={"language": "fr", "csrf_token": token})
    assert "Calendrier" in client.get("/calendar").text
    assert "Calendrier" in client.get("/calendar").text  # cached in French too


def test_a_confirmation_after_a_redirect_is_shown_once(rt: Runtime, client: TestClient) -> None:
    sc = scene(rt)
    f.sign_in(client, sc["manager"])
    client.get("/approvals")
    assert "Approved: the post is scheduled." in client.get("/approvals?done=approved").text
    assert "Approved: the post is scheduled." not in client.get("/approvals").text
    with rt.db.transaction(write=False) as s:
        assert s.scalar(select(User.role).where(User.id == sc["manager_id"])) == "manager"


def test_a_cached_page_survives_the_database_dropping_its_connections(
    rt: Runtime, client: TestClient, database_url: str
) -> None:
    if rt.db.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite has no server to restart")
    sc = scene(rt)
    cached(client, sc["manager"])  # the session-checking connection is open
    admin = create_engine(database_url)
    with admin.begin() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()
    for url in (*PAGES, *PAGES):  # the first answered by the ordinary path, then cached again
        page = client.get(url, follow_redirects=False)
        assert page.status_code == 200 and "Atelier poterie" in client.get("/approvals").text


def test_the_suggestions_and_inbox_badges_follow_on_cached_pages(
    rt: Runtime, client: TestClient
) -> None:
    """Suggestions made by the worker and messages read from a network change no page's
    data, yet the menu's badges must show them at once."""
    from palabre.automations import runs
    from palabre.inbox import counters
    from palabre.inbox.conversation_models import Status

    sc = scene(rt)
    cached(client, sc["manager"])
    assert 'class="badge"' not in client.get("/approvals").text
    with rt.db.transaction() as s:
        ws = s.get(f.Workspace, sc["ws"])
        manager = s.get(User, sc["manager_id"])
        feed = f.source(s, ws)
        f.source_item(s, feed, title="Nuit des musées", published_at=utcnow())
        robot = f.automation(s, ws, manager, sources=[feed], channels=[sc["channel"]])
        runs.run_automation(s, robot, utcnow())
    page = client.get("/approvals").text
    assert "1 waiting" in page  # the Suggestions badge
    with rt.db.transaction() as s:
        counters.add(s.connection(), sc["ws"], None, str(Status.new), 2)
    for url in PAGES:
        assert "2 to handle" in client.get(url).text  # the Inbox badge
