"""A user never sees a stack trace; the log has it."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from palabre.core.runtime import Runtime
from tests import factories as f


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    r = client.get("/nowhere")
    assert r.status_code == 404
    assert "<html" in r.text and "Traceback" not in r.text


def test_unknown_api_route_is_json(client: TestClient) -> None:
    r = client.get("/api/v1/nowhere")
    assert r.status_code == 404
    assert r.json()["error"] == "http_error"


def test_a_crash_shows_an_apology_and_logs_the_trace(
    rt: Runtime,
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        u = f.user(s, ws, "manager")
    f.sign_in(client, u.email)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database exploded: secret detail")

    monkeypatch.setattr("palabre.publishing.queries.counts", boom)
    with caplog.at_level(logging.ERROR):
        r = client.get("/")
    assert r.status_code == 500
    assert "Traceback" not in r.text and "secret detail" not in r.text
    assert "logged" in r.text or "journal" in r.text
    assert any("database exploded" in (rec.exc_text or str(rec.exc_info)) for rec in caplog.records)


def test_api_crash_is_json_without_details(
    rt: Runtime, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        u = f.user(s, ws, "manager")
        tok = f.token(s, u)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr("palabre.team.access.token_for", boom)
    r = client.get("/api/v1/channels", headers=f.bearer(tok))
    assert r.status_code == 500
    assert r.json()["error"] == "internal" and "secret detail" not in r.text


def test_a_wrong_method_gets_a_translated_message(client: TestClient) -> None:
    r = client.delete("/signin")
    assert r.status_code == 405
    assert "Method Not Allowed" not in r.text and "<html" in r.text


def test_pages_forbid_outside_and_inline_scripts(client: TestClient) -> None:
    csp = client.get("/signin").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe" not in csp


def test_api_docs_are_served_from_palabre_itself(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert "/openapi.json" in page.text
