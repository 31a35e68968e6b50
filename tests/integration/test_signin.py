"""Signing in and out, throttling, CSRF, cookies."""

from __future__ import annotations

from fastapi.testclient import TestClient

from palabre.core.runtime import Runtime
from tests import factories as f


def test_sign_in_sets_a_protected_session_cookie_and_shows_dashboard(
    rt: Runtime, client: TestClient
) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        u = f.user(s, ws, "manager", email="hugo@example.org")
    page = client.get("/signin")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    resp = client.post(
        "/signin",
        data={"email": "HUGO@example.org ", "password": f.PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    cookie = resp.headers["set-cookie"]
    assert "palabre_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = client.get("/")
    assert home.status_code == 200 and u.name in home.text


def test_wrong_password_is_refused_and_throttled(rt: Runtime, client: TestClient) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        f.user(s, ws, "member", email="nadia@example.org")
    page = client.get("/signin")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    for _ in range(rt.settings.signin_max_failures):
        r = client.post(
            "/signin", data={"email": "nadia@example.org", "password": "nope", "csrf_token": csrf}
        )
        assert r.status_code == 401
    # Now even the right password must wait.
    r = client.post(
        "/signin", data={"email": "nadia@example.org", "password": f.PASSWORD, "csrf_token": csrf}
    )
    assert r.status_code == 429
    assert "nadia@example.org" in r.text  # what the user typed is kept


def test_sign_in_form_without_csrf_is_refused(rt: Runtime, client: TestClient) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        f.user(s, ws, "member", email="nadia@example.org")
    r = client.post("/signin", data={"email": "nadia@example.org", "password": f.PASSWORD})
    assert r.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_pages_redirect_to_sign_in_and_sign_out_ends_the_session(
    rt: Runtime, client: TestClient
) -> None:
    assert "/signin?next=" in client.get("/", follow_redirects=False).headers["location"]
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        u = f.user(s, ws, "viewer")
    f.sign_in(client, u.email)
    csrf = f.csrf_of(client)
    assert client.post("/signout", data={}, follow_redirects=False).status_code == 403  # no CSRF
    r = client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_interface_is_french_by_default_and_english_on_request(
    rt: Runtime, client: TestClient
) -> None:
    page = client.get("/signin")
    assert 'lang="fr"' in page.text
    english = client.get("/signin", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert 'lang="en"' in english.text
