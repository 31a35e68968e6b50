"""A manager adds the museum's news in a real browser, on a phone-sized screen, from the
address of its WEBSITE (a real local server): Palabre offers the feed the page advertises,
the manager chooses it, sees the source's health, checks it now when the site publishes,
and finds the news in the automation editor's live preview."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests import sources_support as s
from tests.e2e.conftest import Server
from tests.e2e.test_contributor_to_preview import PASSWORD, palabre, sign_in
from tests.fakes.feed_server import FeedServer

pytestmark = pytest.mark.e2e

HOME = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Musée des Beaux-Arts de Valcourt</title>
<link rel="alternate" type="application/rss+xml" title="Actualités du musée" href="/actualites.xml">
</head><body><h1>Bienvenue au musée</h1></body></html>"""


@pytest.fixture
def site() -> Iterator[FeedServer]:
    server = FeedServer().start()
    server.serve("/", HOME, "text/html; charset=utf-8")
    server.serve("/actualites.xml", s.rss(s.entries(3)))
    yield server
    server.stop()


def seed(server: Server) -> None:
    palabre(server, "init", "--workspace", "Musée de Valcourt")
    palabre(
        server, "user", "create", "--email", "hugo@example.org", "--role", "manager",
        "--name", "Hugo", stdin=PASSWORD + "\n",
    )  # fmt: skip


def health(page: Any) -> dict[str, str]:
    """The health card's terms and what they say, as the manager reads them."""
    terms = page.locator("#health dt").all_inner_texts()
    values = page.locator("#health dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


def test_a_manager_adds_the_feed_a_website_offers(
    server: Server, browser: Any, site: FeedServer
) -> None:
    seed(server)
    blocked: list[str] = []
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    sign_in(page, server, "hugo@example.org")

    # The website's address, not its feed's.
    page.goto(f"{server.url}/sources/new")
    page.fill("#s-url", site.url("/"))
    page.get_by_role("button", name="Ajouter la source").click()
    offered = page.locator("#feeds-found")
    offered.wait_for()
    assert "Cette page propose ces flux" in offered.inner_text()
    assert "Actualités du musée" in offered.inner_text()
    assert site.url("/actualites.xml") in offered.inner_text()
    page.get_by_role("button", name="Ajouter ce flux").click()
    page.wait_for_url(re.compile(r".*/sources/\d+.*"))
    assert "La source a été ajoutée." in page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Musée des Beaux-Arts — actualités"
    seen = health(page)
    assert seen["Adresse"] == site.url("/actualites.xml")
    assert seen["Éléments vus"] == "3"
    assert re.search(r"\d{2}:\d{2}", seen["Dernier succès"])  # a date and time, not "—"
    assert re.search(r"\d{2}:\d{2}", seen["Prochaine vérification"])
    assert "fonctionne" in page.locator("#health .badge").inner_text()
    assert "Actualité numéro 2" in page.locator("#items").inner_text()

    # The site publishes; the manager does not wait for the next check.
    newest = s.entries(4)
    site.serve("/actualites.xml", s.rss(newest))
    page.get_by_role("button", name="Vérifier maintenant").click()
    page.wait_for_url(re.compile(r".*done=refreshed.*"))
    assert "La source a été vérifiée." in page.locator("main").inner_text()
    assert health(page)["Éléments vus"] == "4"
    assert newest[0].title in page.locator("#items").inner_text()

    # The news relay's editor shows the new item in its live preview.
    page.goto(f"{server.url}/automations/new?kind=news")
    page.get_by_label("Musée des Beaux-Arts — actualités").check()
    page.locator("#preview", has_text=newest[0].title).wait_for()
    context.close()
    assert not blocked, blocked
