"""In a real browser: the Content-Security-Policy blocks nothing Palabre itself needs, and
the API documentation works without any outside server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def test_pages_and_api_docs_run_under_the_policy(server: Server, browser: Any) -> None:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None,
    )
    page.goto(f"{server.url}/signin")
    assert page.locator("#email").is_visible()
    page.goto(f"{server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Palabre" in page.locator(".swagger-ui .info .title").inner_text()
    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert not [u for u in outside if not u.startswith("data:")], outside
    context.close()
