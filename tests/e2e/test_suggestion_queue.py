"""The suggestion queue from the keyboard, on a phone-sized screen, in a real browser:
j/k move, e edits, Escape leaves the text, a approves, s skips — and the previews appear
in the automation editor as one types."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, insert

from palabre.sources.models import Source, SourceItem
from tests.e2e.conftest import Server
from tests.e2e.test_contributor_to_preview import PASSWORD, palabre, sign_in

pytestmark = pytest.mark.e2e


def seed(server: Server) -> tuple[str, int, int]:
    palabre(server, "init", "--workspace", "Musée de Valcourt")
    palabre(
        server, "user", "create", "--email", "hugo@example.org", "--role", "manager",
        "--name", "Hugo", stdin=PASSWORD + "\n",
    )  # fmt: skip
    token = palabre(server, "token", "create", "--email", "hugo@example.org").strip()
    auth = {"Authorization": f"Bearer {token}"}
    channel = httpx.post(
        f"{server.url}/api/v1/channels",
        headers=auth,
        json={"kind": "preview", "name": "Mastodon (aperçu)", "settings": {"imitates": "mastodon"}},
    ).json()["id"]
    # What fetching a feed would have stored (the sources' own pages are another branch).
    engine = create_engine(f"sqlite:///{server.data_dir / 'palabre.sqlite3'}")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        feed = conn.execute(
            insert(Source).values(
                workspace_id=1, kind="feed", name="Site du musée", weight=1.0, paused=False,
                created_at=now, items_seen=3,
            ).returning(Source.id)
        ).scalar_one()  # fmt: skip
        for n in range(3):
            conn.execute(
                insert(SourceItem).values(
                    workspace_id=1, source_id=feed, guid=f"g{n}", title=f"Exposition {n}",
                    link=f"https://musee.example/{n}", canonical_link=f"https://musee.example/{n}",
                    summary_html="", summary_text="Une belle exposition.", categories=["Art"],
                    published_at=now - timedelta(hours=n), first_seen_at=now, backlog=False,
                )
            )  # fmt: skip
    engine.dispose()
    made = httpx.post(
        f"{server.url}/api/v1/automations",
        headers=auth,
        json={"kind": "news", "sources": [feed], "channels": [channel], "enabled": True},
    )
    assert made.status_code == 201, made.text
    aid = made.json()["id"]
    assert httpx.post(f"{server.url}/api/v1/automations/{aid}/run", headers=auth).status_code == 200
    return token, aid, channel


def test_the_queue_from_the_keyboard_on_a_phone(server: Server, browser: Any) -> None:
    token, aid, channel = seed(server)
    blocked: list[str] = []
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    sign_in(page, server, "hugo@example.org")
    page.goto(f"{server.url}/suggestions")
    assert page.locator("[data-suggestion]").count() == 3
    assert page.locator("#keys kbd").count() >= 5  # the hints are visible
    cards = page.locator("[data-suggestion]")
    first_id = cards.nth(0).get_attribute("id")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == first_id
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.press("Control+a")
    page.keyboard.type("Exposition 0 : vernissage ce soir !")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == first_id
    page.keyboard.press("a")
    page.wait_for_url(re.compile(r".*done=approved.*"))
    assert page.locator("[data-suggestion]").count() == 2
    page.keyboard.press("j")
    page.keyboard.press("j")  # the second of the two left
    second_id = page.evaluate("document.activeElement.id")
    page.keyboard.press("s")
    page.wait_for_url(re.compile(r".*done=skipped.*"))
    assert page.locator(f"#{second_id}").count() == 0
    auth = {"Authorization": f"Bearer {token}"}
    rows = httpx.get(f"{server.url}/api/v1/suggestions?state=", headers=auth).json()["items"]
    states = {r["state"] for r in rows}
    assert states == {"approved", "skipped", "pending"}
    approved = next(r for r in rows if r["state"] == "approved")
    assert approved["texts"][str(channel)] == "Exposition 0 : vernissage ce soir !"

    # The editor's preview follows what one types (HTMX, no inline script).
    page.goto(f"{server.url}/automations/{aid}")
    page.wait_for_selector("#preview .post-text")
    page.fill("#template", "{{ title }} !! {{ link }}")
    page.locator("#preview", has_text="Exposition 0 !!").wait_for()
    page.fill("#template", "{{ titre }}")
    page.locator("#preview", has_text="titre").wait_for()
    assert "Variable inconnue" in page.locator("#preview").inner_text()
    context.close()
    assert not blocked, blocked
