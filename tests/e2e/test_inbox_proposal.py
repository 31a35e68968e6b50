"""A visitor writes to the museum on Mastodon; a volunteer proposes a reply from the
inbox with the keyboard, a manager edits and approves it, and it reaches the visitor's
thread once. Real `palabre serve` (in-process worker), the local Mastodon API server,
headless Chromium on a phone-sized screen."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_contributor_to_preview import palabre, seed, sign_in
from tests.fakes.mastodon_server import MastodonServer

pytestmark = pytest.mark.e2e


def wait_for(probe: Any, what: str, timeout: float = 40) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"not seen within {timeout:.0f} s: {what}")


def connect_mastodon(
    server: Server, mastodon_server: MastodonServer, org: dict[str, Any]
) -> dict[str, str]:
    """The museum's Mastodon account connected by Hugo (a manager); his API headers."""
    token = palabre(server, "token", "create", "--email", "hugo@example.org").strip()
    auth = {"Authorization": f"Bearer {token}"}
    created = httpx.post(
        f"{server.url}/api/v1/channels",
        headers=auth,
        json={
            "kind": "mastodon",
            "name": "Mastodon du musée",
            "settings": {
                "instance": mastodon_server.base_url,
                "access_token": mastodon_server.create_token(str(org["id"])),
            },
        },
    )
    assert created.status_code == 201, created.text
    return auth


def test_a_volunteers_proposal_is_approved_and_reaches_the_visitors_thread(
    server: Server, browser: Any, mastodon_server: MastodonServer
) -> None:
    mastodon_server.reset_controls()
    seed(server)
    org = mastodon_server.create_account("museeinbox", "Musée de Valcourt")
    visitor = mastodon_server.create_account("camille", "Camille")
    question = mastodon_server.mention(
        str(visitor["id"]), str(org["id"]), "Le musée est-il ouvert le 1er mai ?"
    )
    auth = connect_mastodon(server, mastodon_server, org)
    conv = wait_for(
        lambda: httpx.get(f"{server.url}/api/v1/conversations", headers=auth).json()[
            "conversations"
        ],
        "the mention in the inbox",
    )[0]

    volunteer = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = volunteer.new_page()
    sign_in(page, server, "lucas@example.org")
    page.goto(f"{server.url}/inbox")
    assert "1er mai" in page.content()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/inbox/{conv['id']}$"))
    page.keyboard.press("r")
    page.keyboard.press("End")
    page.keyboard.type("Oui, de 10 h à 18 h !")
    assert "/ 500" in page.locator("[data-reply-counter]").inner_text()
    page.click("form[data-reply] button[type=submit]")
    page.wait_for_url(re.compile(r".*done=proposed.*"))
    assert "proposée" in page.content()
    volunteer.close()

    manager = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = manager.new_page()
    sign_in(page, server, "hugo@example.org")
    page.goto(f"{server.url}/inbox/{conv['id']}")
    review = page.locator("form[action$='/review']").first
    review.locator("textarea[name=text]").fill("@camille Oui, le 1er mai de 10 h à 18 h !")
    review.locator("button[value=approve]").click()
    page.wait_for_url(re.compile(r".*done=approved.*"))
    manager.close()

    def answered() -> list[dict[str, Any]]:
        return [
            s
            for s in mastodon_server.statuses_of(str(org["id"]))
            if s["in_reply_to_id"] == question["id"]
        ]

    replies = wait_for(answered, "the reply on the visitor's thread")
    time.sleep(2)  # the worker keeps running: still one reply
    assert len(answered()) == 1 and "1er mai de 10 h" in replies[0]["content"]
