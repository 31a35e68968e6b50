"""The inbox without the mouse, and two people on one conversation. Two visitors write
to the museum on Mastodon; a manager walks the inbox with the keyboard only (j/k, Enter,
a, r, Ctrl+Enter, Escape, u, c) and the reply reaches the visitor's thread; then two
people open the same conversation and each sees the other there. Real `palabre serve`
(in-process worker), the local Mastodon API server, headless Chromium."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_contributor_to_preview import seed, sign_in
from tests.e2e.test_inbox_proposal import connect_mastodon, wait_for
from tests.fakes.mastodon_server import MastodonServer

pytestmark = pytest.mark.e2e


def _two_mentions(server: Server, mastodon_server: MastodonServer) -> dict[str, Any]:
    """The museum's Mastodon channel with two visitors' mentions in the inbox."""
    mastodon_server.reset_controls()
    seed(server)
    org = mastodon_server.create_account("museeclavier", "Musée de Valcourt")
    texts = {"camille": "Le musée est-il ouvert le 1er mai ?", "noe": "Les chiens sont admis ?"}
    sent = {}
    for name, text in texts.items():
        visitor = mastodon_server.create_account(name, name.title())
        sent[name] = mastodon_server.mention(str(visitor["id"]), str(org["id"]), text)
    auth = connect_mastodon(server, mastodon_server, org)

    def listed() -> list[dict[str, Any]]:
        found = httpx.get(f"{server.url}/api/v1/conversations", headers=auth).json()
        return found["conversations"] if len(found["conversations"]) == 2 else []

    return {"org": org, "sent": sent, "auth": auth, "list": wait_for(listed, "both mentions")}


def _conversation(server: Server, auth: dict[str, str], cid: int) -> dict[str, Any]:
    got: dict[str, Any] = httpx.get(f"{server.url}/api/v1/conversations/{cid}", headers=auth).json()
    return got


def test_a_manager_walks_the_inbox_and_answers_without_the_mouse(
    server: Server, browser: Any, mastodon_server: MastodonServer
) -> None:
    scene = _two_mentions(server, mastodon_server)
    first, second = (c["id"] for c in scene["list"])
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server, "hugo@example.org")
    page.goto(f"{server.url}/inbox")
    help_text = page.locator(".shortcuts").inner_text()
    assert all(key in help_text for key in ("j", "k", "Enter"))
    rows = page.locator("[data-conv-list] [data-row]")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert "selected" in (rows.nth(1).get_attribute("class") or "")
    page.keyboard.press("k")
    assert "selected" in (rows.nth(0).get_attribute("class") or "")
    assert "selected" not in (rows.nth(1).get_attribute("class") or "")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/inbox/{first}$"))

    # j / k: the next conversation in the list's order, and back.
    page.keyboard.press("j")
    page.wait_for_url(re.compile(rf".*/inbox/{second}$"))
    page.keyboard.press("k")
    page.wait_for_url(re.compile(rf".*/inbox/{first}$"))
    help_text = page.locator(".shortcuts").inner_text()
    for key in ("j", "k", "r", "Ctrl", "Enter", "a", "c", "u"):
        assert key in help_text, key

    # a: assign to me.
    page.keyboard.press("a")
    page.wait_for_url(re.compile(r".*done=assigned.*"))
    assert "Hugo" in page.locator(".page-head").inner_text()
    assert _conversation(server, scene["auth"], first)["assignee"]["name"] == "Hugo"

    # r: into the reply box; Escape leaves it (a letter typed then is no shortcut); r again,
    # type, Ctrl+Enter sends.
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "reply-text"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") != "reply-text"
    page.keyboard.press("r")
    page.keyboard.press("End")
    page.keyboard.type("Oui, de 10 h à 18 h !")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r".*done=replied.*"))
    question = scene["sent"]["camille"]

    def answered() -> list[dict[str, Any]]:
        return [
            s
            for s in mastodon_server.statuses_of(str(scene["org"]["id"]))
            if s["in_reply_to_id"] == question["id"]
        ]

    replies = wait_for(answered, "the reply on Camille's thread")
    assert len(replies) == 1 and "de 10 h à 18 h" in replies[0]["content"]

    # c: close; u: back to the inbox, where only the other one is left to handle.
    page.keyboard.press("c")
    page.wait_for_url(re.compile(r".*done=status.*"))
    assert _conversation(server, scene["auth"], first)["status"] == "closed"
    page.keyboard.press("u")
    page.wait_for_url(re.compile(r".*/inbox$"))
    assert page.locator("[data-conv-list] [data-row]").count() == 1
    assert "chiens" in page.locator("[data-conv-list]").inner_text()
    context.close()


def test_two_people_on_one_conversation_see_each_other(
    server: Server, browser: Any, mastodon_server: MastodonServer
) -> None:
    scene = _two_mentions(server, mastodon_server)
    cid = scene["list"][0]["id"]
    hugo = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    lucas = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    first, second = hugo.new_page(), lucas.new_page()
    sign_in(first, server, "hugo@example.org")
    sign_in(second, server, "lucas@example.org")
    first.goto(f"{server.url}/inbox/{cid}")
    assert first.locator("#presence .flash").count() == 0  # alone so far
    second.goto(f"{server.url}/inbox/{cid}")
    assert "Hugo" in second.locator("#presence .flash").inner_text()
    # Hugo's page asks who is there (every second in these tests, 20 s by default).
    first.wait_for_selector("#presence .flash", timeout=10_000)
    assert "Lucas" in first.locator("#presence .flash").inner_text()
    # Lucas moves on to the other conversation, where nobody else is.
    second.goto(f"{server.url}/inbox/{scene['list'][1]['id']}")
    assert second.locator("#presence .flash").count() == 0
    hugo.close()
    lucas.close()
