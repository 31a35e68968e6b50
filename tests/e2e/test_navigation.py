"""The menu in a real browser, with the keyboard only: on a phone (375×740) the Menu
button opens every section as a vertical list; on a laptop (1280×800) each section's
button opens its pages. Escape closes and gives the focus back; nothing scrolls sideways;
the counts waiting show on the closed menus."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_contributor_to_preview import sign_in
from tests.e2e.test_suggestion_queue import seed

pytestmark = pytest.mark.e2e

FOCUSED_TEXT = "document.activeElement ? document.activeElement.innerText.trim() : ''"
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def tab_to(page: Any, test: str, most: int = 40) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on ``el``)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => !!el && ({test}))(document.activeElement)"):
            return
    raise AssertionError(f"never focused: {test}")


def start(server: Server, browser: Any, width: int, height: int) -> tuple[Any, Any, list[str]]:
    blocked: list[str] = []
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = context.new_page()
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    sign_in(page, server, "hugo@example.org")
    return context, page, blocked


def test_the_menu_on_a_phone_from_the_keyboard(server: Server, browser: Any) -> None:
    seed(server)  # a manager, and three suggestions waiting
    context, page, blocked = start(server, browser, 375, 740)
    nav, toggle = page.locator("#mainnav"), page.locator(".menu-toggle")
    assert not nav.is_visible()
    assert toggle.locator(".badge").inner_text() == "3"  # something waits behind it
    tab_to(page, "el.classList.contains('menu-toggle')")
    page.keyboard.press("Enter")
    assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    # Every section as a heading over its pages, one under the other; no section buttons.
    headings = [h.strip() for h in page.locator(".nav-heading").all_inner_texts()]
    assert headings == ["CONVERSATIONS", "PUBLIER", "AUTOMATISER", "ESPACE DE TRAVAIL"]
    assert page.locator(".nav-toggle:visible").count() == 0
    assert page.locator("#nav-publish a").all_inner_texts() == [
        "Rédiger", "Calendrier", "Validations", "Publications",
    ]  # fmt: skip
    assert page.evaluate(NO_SIDEWAYS)
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('#mainnav a, #mainnav button, .menu-toggle'))"
        ".filter(el => el.offsetParent).map(el => el.getBoundingClientRect().height)"
    )
    assert len(heights) >= 14 and min(heights) >= 44, heights
    lefts = page.evaluate(
        "Array.from(document.querySelectorAll('#mainnav a'))"
        ".map(a => a.getBoundingClientRect().left)"
    )
    assert max(lefts) - min(lefts) < 1  # a vertical list
    tab_to(page, "el.innerText.trim() === 'Calendrier'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/calendar$"))
    assert page.locator("#mainnav a[aria-current=page]").all_inner_texts() == ["Calendrier"]
    assert page.evaluate(NO_SIDEWAYS)
    # Escape closes the menu and the focus goes back to its button.
    tab_to(page, "el.classList.contains('menu-toggle')")
    page.keyboard.press("Enter")
    tab_to(page, "el.innerText.trim() === 'Sources'")
    page.keyboard.press("Escape")
    assert not nav.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")
    context.close()
    assert not blocked, blocked


def test_the_sections_on_a_laptop_from_the_keyboard(server: Server, browser: Any) -> None:
    seed(server)
    context, page, blocked = start(server, browser, 1280, 800)
    publish = page.locator("button[aria-controls=nav-publish]")
    conversations = page.locator("button[aria-controls=nav-conversations]")
    assert not page.locator(".menu-toggle").is_visible()
    assert not page.locator("#nav-publish").is_visible()
    assert page.locator(".nav-heading:visible").count() == 0
    # The suggestions waiting show on the closed Conversations menu.
    assert conversations.locator(".badge").inner_text() == "3"
    assert conversations.locator(".visually-hidden").inner_text().strip() == "3 en attente"
    assert page.evaluate(NO_SIDEWAYS)

    tab_to(page, "el.getAttribute('aria-controls') === 'nav-publish'")
    page.keyboard.press("Enter")
    assert publish.get_attribute("aria-expanded") == "true"
    assert page.locator("#nav-publish").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_TEXT) == "Rédiger"
    tab_to(page, "el.innerText.trim() === 'Validations'", most=5)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/approvals$"))
    assert page.locator("#mainnav a[aria-current=page]").all_inner_texts() == ["Validations"]
    assert publish.get_attribute("aria-current") == "true"
    assert not page.locator("#nav-publish").is_visible()  # closed on the new page

    # Space opens, Escape closes and leaves the focus on the section's button.
    tab_to(page, "el.getAttribute('aria-controls') === 'nav-publish'")
    page.keyboard.press(" ")
    assert page.locator("#nav-publish").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert not page.locator("#nav-publish").is_visible()
    assert publish.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "nav-publish"

    # One section open at a time; a click elsewhere closes it; tabbing out of it too.
    publish.click()
    conversations.click()
    assert page.locator("#nav-conversations").is_visible()
    assert not page.locator("#nav-publish").is_visible()
    box = page.locator("#nav-conversations").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    page.locator("main h1").click()
    assert not page.locator("#nav-conversations").is_visible()
    conversations.click()
    conversations.focus()
    tab_to(page, "el.getAttribute('aria-controls') === 'nav-publish'", most=5)
    assert not page.locator("#nav-conversations").is_visible()

    # Served again (from the page cache), the approvals page still marks itself.
    page.goto(f"{server.url}/calendar")
    assert page.locator("#mainnav a[aria-current=page]").all_inner_texts() == ["Calendrier"]
    page.goto(f"{server.url}/approvals")
    assert page.locator("#mainnav a[aria-current=page]").all_inner_texts() == ["Validations"]
    context.close()
    assert not blocked, blocked
