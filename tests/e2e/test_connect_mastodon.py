"""A manager connects the museum's Mastodon account through the server (OAuth) in a real
Chromium, the worker publishes a post there; the token is revoked, the manager sees the
banner, reconnects through the server, and the waiting post goes out — once."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_contributor_to_preview import PASSWORD, palabre, sign_in
from tests.fakes.mastodon_server import MastodonServer

pytestmark = pytest.mark.e2e


def wait_for(check: Any, what: str, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    pytest.fail(f"not within {timeout} s: {what}")


def test_connect_through_the_server_publish_then_reconnect_after_a_revoked_token(
    server: Server, browser: Any, mastodon_server: MastodonServer
) -> None:
    mastodon_server.reset_controls()
    org = mastodon_server.create_account("museevalcourt", "Musée de Valcourt")
    mastodon_server.signed_in = str(org["id"])
    palabre(server, "init", "--workspace", "Musée de Valcourt")
    palabre(
        server, "user", "create", "--email", "hugo@example.org", "--role", "manager",
        "--name", "Hugo", stdin=PASSWORD + "\n",
    )  # fmt: skip
    api = {"Authorization": "Bearer " + palabre(server, "token", "create", "--email",
                                                 "hugo@example.org").strip()}  # fmt: skip

    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    sign_in(page, server, "hugo@example.org")
    page.goto(f"{server.url}/channels/new?kind=mastodon")
    page.fill("#c-name", "Mastodon du musée")
    page.fill("#c-server", mastodon_server.base_url)
    page.click("#connect-form button[type=submit]")
    # On the server: its own page asks to authorise Palabre.
    page.wait_for_url(re.compile(re.escape(mastodon_server.base_url) + r"/oauth/authorize.*"))
    assert "Palabre" in page.content()
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(server.url) + r"/channels/\d+.*"))
    assert "Le canal a été ajouté" in page.content()
    assert "museevalcourt" in page.content()  # the connected account
    channel_id = int(re.search(r"/channels/(\d+)", page.url).group(1))  # type: ignore[union-attr]

    # The worker publishes a post there.
    r = httpx.post(
        f"{server.url}/api/v1/posts",
        headers=api,
        json={"text": "Nocturne vendredi 🌙", "channels": [channel_id]},
    )
    assert r.status_code == 201, r.text
    first = r.json()["id"]
    delivered = wait_for(
        lambda: (
            (p := httpx.get(f"{server.url}/api/v1/posts/{first}", headers=api).json())["state"]
            == "published"
            and p
        ),
        "the first post published",
    )
    assert delivered["deliveries"][0]["remote_url"].startswith(mastodon_server.base_url)
    assert [s["content"] for s in mastodon_server.statuses_of(str(org["id"]))] == [
        "<p>Nocturne vendredi 🌙</p>"
    ]

    # The token is revoked on the server: the next post waits, the manager is told.
    for token in list(mastodon_server.tokens):
        mastodon_server.revoke_token(token)
    r = httpx.post(
        f"{server.url}/api/v1/posts",
        headers=api,
        json={"text": "Atelier dimanche", "channels": [channel_id]},
    )
    second = r.json()["id"]
    page.goto(f"{server.url}/")
    wait_for(
        lambda: (page.reload(), page.locator("#reconnect-alert").count())[1],
        "the banner asking to reconnect",
    )
    post = httpx.get(f"{server.url}/api/v1/posts/{second}", headers=api).json()
    assert post["state"] == "scheduled" and post["deliveries"][0]["state"] == "scheduled"

    page.click("#reconnect-alert a")
    page.click("#reconnect form:has(input[name=via]) button[type=submit]")
    page.wait_for_url(re.compile(re.escape(mastodon_server.base_url) + r"/oauth/authorize.*"))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(server.url) + rf"/channels/{channel_id}.*"))
    assert "Le canal est reconnecté" in page.content()
    wait_for(
        lambda: (
            httpx.get(f"{server.url}/api/v1/posts/{second}", headers=api).json()["state"]
            == "published"
        ),
        "the waiting post published after reconnection",
    )
    texts = [s["content"] for s in mastodon_server.statuses_of(str(org["id"]))]
    assert sorted(texts) == ["<p>Atelier dimanche</p>", "<p>Nocturne vendredi 🌙</p>"]
    context.close()
