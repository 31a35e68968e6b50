"""A volunteer proposes, a manager approves, the post is in the calendar and delivered.

Everything is real: the `palabre` command seeds the instance, `palabre serve` (with its
in-process worker) serves it, and headless Chromium clicks through the pages.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
PASSWORD = "un mot de passe solide"


def palabre(server: Server, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "palabre.cli", *args],
        env=server.env,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def seed(server: Server) -> tuple[int, int]:
    palabre(server, "init", "--workspace", "Musée de Valcourt")
    palabre(
        server,
        "user",
        "create",
        "--email",
        "lucas@example.org",
        "--role",
        "contributor",
        "--name",
        "Lucas",
        stdin=PASSWORD + "\n",
    )
    palabre(
        server,
        "user",
        "create",
        "--email",
        "hugo@example.org",
        "--role",
        "manager",
        "--name",
        "Hugo",
        stdin=PASSWORD + "\n",
    )
    token = palabre(server, "token", "create", "--email", "hugo@example.org").strip()
    ids = []
    for name, imitates in (("Mastodon (aperçu)", "mastodon"), ("Bluesky (aperçu)", "bluesky")):
        r = httpx.post(
            f"{server.url}/api/v1/channels",
            headers={"Authorization": f"Bearer {token}"},
            json={"kind": "preview", "name": name, "settings": {"imitates": imitates}},
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids[0], ids[1]


def sign_in(page: Any, server: Server, email: str) -> None:
    page.goto(f"{server.url}/signin")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form[action$='/signin'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def test_volunteer_proposal_is_approved_scheduled_and_delivered(
    server: Server, browser: Any
) -> None:
    masto_id, bsky_id = seed(server)
    text = "Nuit des musées samedi : entrée libre de 19 h à minuit 🌙 Été comme hiver, venez !"

    blocked: list[str] = []  # what the Content-Security-Policy refused, if anything

    def watch(page: Any) -> Any:
        page.on(
            "console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None
        )
        return page

    volunteer = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = watch(volunteer.new_page())
    sign_in(page, server, "lucas@example.org")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.goto(f"{server.url}/compose")
    page.fill("#text", text)
    page.check(f"input[name=channels][value='{masto_id}']")
    page.check(f"input[name=channels][value='{bsky_id}']")
    # A contributor cannot schedule: only "submit for approval" is offered.
    assert page.locator("button[name=action][value=schedule]").count() == 0
    page.click("button[name=action][value=submit]")
    page.wait_for_url(re.compile(r".*/posts/\d+.*"))
    post_id = int(re.search(r"/posts/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    assert "awaiting_approval" in page.content() or "approbation" in page.content().lower()
    volunteer.close()

    manager = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = watch(manager.new_page())
    sign_in(page, server, "hugo@example.org")
    page.goto(f"{server.url}/approvals")
    proposal = page.locator(f"#post-{post_id}")
    assert text[:40] in proposal.inner_text()
    proposal.locator("form[action$='/approve'] button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{server.url}/calendar?view=week")
    assert page.locator(f".cal-post a[href$='/posts/{post_id}']").count() >= 1

    # The in-process worker delivers it to both preview channels.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page.goto(f"{server.url}/posts/{post_id}")
        if page.locator(".state-published").count() and "Nuit des musées" in page.content():
            break
        time.sleep(0.5)
    content = page.content()
    assert "state-published" in content, "the post was not delivered within 30 s"
    for channel_id in (masto_id, bsky_id):
        page.goto(f"{server.url}/channels/{channel_id}")
        assert "Nuit des musées samedi" in page.content()
    manager.close()
    assert not blocked, blocked
