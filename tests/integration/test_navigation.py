"""The main menu as each role sees it: its sections and their pages (real links, readable
without the script), the counts waiting shown on a section's button, and the current page
marked — also on the calendar and approval pages served from the cache."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from lxml import html

from palabre.automations import runs
from palabre.core.db import utcnow
from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.inbox import counters
from palabre.inbox.conversation_models import Status
from palabre.team.models import User
from tests import factories as f
from tests.integration.test_page_cache_hits import statements

SECTIONS = {
    "conversations": ["Inbox", "Suggestions"],
    "publish": ["Compose", "Calendar", "Approvals", "Posts"],
    "automate": ["Sources", "Automations"],
    "workspace": ["Channels", "Team", "Audit log", "Settings"],
}
HIDDEN = {  # role -> entries it does not see (as before the menu had sections)
    "owner": set(),
    "manager": set(),
    "member": {"Audit log"},
    "contributor": {"Audit log"},
    "viewer": {"Compose", "Audit log"},
}


def nav(page: str) -> html.HtmlElement:
    found = html.fromstring(page).xpath('//nav[@id="mainnav"]')
    assert len(found) == 1
    return found[0]


def text(el: html.HtmlElement) -> str:
    """What the eye reads (the screen readers' sentences left out)."""
    copy = html.fromstring(html.tostring(el))
    for node in copy.xpath('.//*[contains(@class, "visually-hidden")]'):
        node.drop_tree()
    return " ".join(copy.text_content().split())


def entries(menu: html.HtmlElement) -> dict[str, list[str]]:
    return {
        s.get("id").removeprefix("nav-"): [text(a) for a in s.xpath(".//a")]
        for s in menu.xpath('.//ul[contains(@class, "nav-list")]')
    }


def scene(rt: Runtime, client: TestClient, role: str, lang: str = "en") -> dict[str, int]:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner", language=lang)
        me = owner if role == "owner" else f.user(s, ws, role, language=lang)
        channel = f.preview_channel(rt, s, ws, owner)
        f.post(s, ws, owner, [channel], text="Vernissage", when=utcnow() + timedelta(hours=2))
        ids = {"ws": ws.id, "owner": owner.id, "channel": channel}
        email = me.email
    f.sign_in(client, email)
    client.cookies.set(LANG_COOKIE, lang)
    return ids


@pytest.mark.parametrize("role", f.ROLES)
def test_each_role_sees_its_sections_and_only_the_pages_it_may_open(
    rt: Runtime, client: TestClient, role: str
) -> None:
    scene(rt, client, role)
    menu = nav(client.get("/").text)
    expected = {key: [e for e in pages if e not in HIDDEN[role]] for key, pages in SECTIONS.items()}
    assert entries(menu) == expected
    # Dashboard, Notices and the signed-in person are outside the sections, always shown.
    top = [text(a) for a in menu.xpath('./a[contains(@class, "nav-top")]')]
    assert top == ["Dashboard", "Notices"]
    assert menu.xpath('.//form//button[starts-with(normalize-space(), "Sign out (")]')
    # Every page is a real link (nothing needs the script to be reached); each section
    # has a heading naming its list and a button that controls it.
    for a in menu.xpath(".//a"):
        assert a.get("href", "").startswith("http://testserver/")
    for key in SECTIONS:
        (ul,) = menu.xpath(f'.//ul[@id="nav-{key}"]')
        (label,) = menu.xpath(f'.//*[@id="{ul.get("aria-labelledby")}"]')
        (button,) = menu.xpath(f'.//button[@aria-controls="nav-{key}"]')
        assert text(label) and text(button).startswith(text(label))
        assert button.get("aria-expanded") == "false" and button.get("type") == "button"
    hrefs = {a.get("href") for a in menu.xpath(".//a")}
    assert ("http://testserver/compose" in hrefs) is (role != "viewer")
    assert ("http://testserver/audit" in hrefs) is (role in {"owner", "manager"})


def test_the_menu_speaks_french(rt: Runtime, client: TestClient) -> None:
    scene(rt, client, "owner", lang="fr")
    menu = nav(client.get("/").text)
    buttons = [text(b) for b in menu.xpath(".//button[@aria-controls]")]
    assert buttons == ["Conversations", "Publier", "Automatiser", "Espace de travail"]
    assert entries(menu)["publish"] == ["Rédiger", "Calendrier", "Validations", "Publications"]
    assert menu.get("aria-label") == "Navigation principale"


def current(page: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The links marked current (label, aria-current) and the sections marked current."""
    menu = nav(page)
    links = [(text(a), a.get("aria-current")) for a in menu.xpath(".//a[@aria-current]")]
    sections = [
        b.get("aria-controls").removeprefix("nav-")
        for b in menu.xpath('.//button[@aria-current="true"]')
    ]
    assert sections == [
        s.xpath("./button")[0].get("aria-controls").removeprefix("nav-")
        for s in menu.xpath('.//div[contains(@class, "nav-section")][contains(@class, "current")]')
    ]
    return links, sections


@pytest.mark.parametrize(
    ("url", "links", "sections"),
    [
        ("/", [("Dashboard", "page")], []),
        ("/inbox", [("Inbox", "page")], ["conversations"]),
        ("/posts", [("Posts", "page")], ["publish"]),
        ("/channels/new", [("Channels", "true")], ["workspace"]),  # a page under Channels
        ("/settings/triage", [("Settings", "true")], ["workspace"]),
        ("/audit", [("Audit log", "page")], ["workspace"]),
        ("/notices", [("Notices", "page")], []),
    ],
)
def test_the_current_page_and_its_section_are_marked(
    rt: Runtime, client: TestClient, url: str, links: list[tuple[str, str]], sections: list[str]
) -> None:
    scene(rt, client, "owner")
    assert current(client.get(url).text) == (links, sections)


def test_cached_pages_mark_their_own_entry_each_time(rt: Runtime, client: TestClient) -> None:
    """The calendar and the approval queue are served from the cache with their layout:
    the menu of one must never come back on the other."""
    scene(rt, client, "manager")
    expected = {
        "/calendar": ([("Calendar", "page")], ["publish"]),
        "/calendar?view=month": ([("Calendar", "page")], ["publish"]),
        "/approvals": ([("Approvals", "page")], ["publish"]),
    }
    for url, marked in expected.items():  # rendered, then stored
        assert current(client.get(url).text) == marked, url
    for _ in range(2):
        for url, marked in expected.items():
            with statements(rt) as sent:
                page = client.get(url).text
            assert len(sent) == 1, (url, sent)  # served from the cache
            assert current(page) == marked, url
    assert current(client.get("/").text) == ([("Dashboard", "page")], [])


def test_counts_waiting_show_on_the_section_button_too(rt: Runtime, client: TestClient) -> None:
    ids = scene(rt, client, "manager")
    menu = nav(client.get("/approvals").text)
    assert not menu.xpath('.//span[@class="badge"]')  # nothing waiting: no badge at all
    with rt.db.transaction() as s:
        ws = s.get(f.Workspace, ids["ws"])
        owner = s.get(User, ids["owner"])
        feed = f.source(s, ws)
        for title in ("Nuit des musées", "Atelier poterie"):
            f.source_item(s, feed, title=title, published_at=utcnow())
        robot = f.automation(s, ws, owner, sources=[feed], channels=[ids["channel"]])
        runs.run_automation(s, robot, utcnow())
        counters.add(s.connection(), ids["ws"], None, str(Status.new), 3)
    for _ in range(2):  # the second from the cache: the badges are part of its key
        page = client.get("/approvals").text
        menu = nav(page)
        (button,) = menu.xpath('.//button[@aria-controls="nav-conversations"]')
        assert [b.text for b in button.xpath('.//span[@class="badge"]')] == ["3", "2"]
        spoken = [s.text.strip() for s in button.xpath('.//span[@class="visually-hidden"]')]
        assert spoken == ["3 to handle", "2 waiting"]
        assert text(button) == "Conversations 3 2"
        # The pages themselves keep their counts; other sections show none.
        assert text(menu.xpath('.//a[contains(@class, "inbox-link")]')[0]) == "Inbox 3"
        assert [text(a) for a in menu.xpath('.//ul[@id="nav-conversations"]/li/a')][1] == (
            "Suggestions 2"
        )
        for key in ("publish", "automate", "workspace"):
            assert not menu.xpath(f'.//button[@aria-controls="nav-{key}"]//span[@class="badge"]')
        # On a phone, the "Menu" button tells that something waits behind it.
        (toggle,) = html.fromstring(page).xpath('//button[@aria-controls="mainnav"]')
        assert text(toggle) == "Menu 5"


def test_the_menu_leaves_the_pages_own_macros_alone(rt: Runtime, client: TestClient) -> None:
    """base.html's names must not shadow a page's (posts.html imports its own ``badge``)."""
    scene(rt, client, "owner")
    for url in ("/posts", "/posts/1"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert html.fromstring(page.text).xpath('//main//span[contains(@class, "state-")]'), url
