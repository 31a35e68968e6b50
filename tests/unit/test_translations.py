"""Palabre speaks French first: every message the code shows has a French translation that
formats without crashing, and pages come out in French unless the browser asks for English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from palabre.core.catalog import extract, po_path
from palabre.core.i18n import Translator, translations
from palabre.core.runtime import Runtime
from tests import factories as f

# %(name)s, %(n)d, %(ratio).1f… and the conversion, so "%(n)s" vs "%(n)d" counts as a change.
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
FIX = "Run `.venv/bin/python scripts/i18n.py`, then translate them in {po}."


@pytest.fixture(scope="module")
def code_messages() -> Catalog:
    return extract()


@pytest.fixture(scope="module")
def french() -> Catalog:
    with po_path("fr").open("rb") as fh:
        return read_po(fh, locale="fr")


def ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def strings(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return list(message.string)
    return [message.string or ""]


def placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


def where(message: Message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations[:2])


def test_every_message_of_the_code_has_a_french_translation(
    code_messages: Catalog, french: Catalog
) -> None:
    missing = []
    for message in code_messages:
        if not message.id:
            continue
        found = french.get(message.id, message.context)
        if (
            found is None
            or found.fuzzy
            or not all(s.strip() for s in strings(found))
            or len(strings(found)) < (2 if message.pluralizable else 1)
        ):
            missing.append(f"  {ids(message)[0]!r}  ({where(message)})")
    assert not missing, (
        f"{len(missing)} message(s) have no French translation (fuzzy ones count as missing):\n"
        + "\n".join(missing)
        + "\n"
        + FIX.format(po=po_path("fr"))
    )


def test_translations_keep_exactly_the_placeholders_of_the_english(french: Catalog) -> None:
    wrong = []
    for message in french:
        if not message.id:
            continue
        english = set().union(*(placeholders(i) for i in ids(message)))
        for form, text in enumerate(strings(message)):
            if not text:
                continue
            kept = placeholders(text)
            if message.pluralizable:
                # The singular form may say "un" instead of %(num)s, nothing else may change.
                ok = kept - {"%(num)s"} == english - {"%(num)s"}
            else:
                ok = kept == english
            if not ok:
                wrong.append(
                    f"  {ids(message)[0]!r} [{form}]: expects {sorted(english)}, has {sorted(kept)}"
                )
    assert not wrong, "Placeholders differ between English and French:\n" + "\n".join(wrong)


def test_every_translation_formats_with_the_parameters_of_its_message(french: Catalog) -> None:
    """A stray "%" in a translation would crash the page that shows it."""
    broken = []
    for message in french:
        if not message.id:
            continue
        names = {m.group(1) for i in ids(message) for m in PLACEHOLDER.finditer(i)}
        if not names and not message.pluralizable:
            continue  # shown as is: gettext only formats when given parameters
        params: dict[str, Any] = {name: 3 for name in names | {"num"}}
        for text in strings(message):
            try:
                text % params
            except (KeyError, TypeError, ValueError) as exc:
                broken.append(f"  {text!r}: {exc!r}")
    assert not broken, "These translations cannot be formatted:\n" + "\n".join(broken)


def test_the_catalogue_compiles_and_translates() -> None:
    translations.cache_clear()
    assert translations("fr").gettext("Sign in") == "Se connecter"
    fr = Translator("fr")
    assert fr.gettext("Sign in") == "Se connecter"
    assert fr.gettext("Week of %(day)s", day="29 mars 2026") == "Semaine du 29 mars 2026"
    assert Translator("en").gettext("Sign in") == "Sign in"


def test_french_plurals_count_zero_and_one_as_singular() -> None:
    fr = Translator("fr")
    assert fr.ngettext("%(num)s attempt", "%(num)s attempts", 0) == "0 tentative"
    assert fr.ngettext("%(num)s attempt", "%(num)s attempts", 1) == "1 tentative"
    assert fr.ngettext("%(num)s attempt", "%(num)s attempts", 2) == "2 tentatives"


def test_the_sign_in_page_is_in_french_by_default(client: TestClient) -> None:
    page = client.get("/signin")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Connexion à Palabre" in page.text
    assert "Mot de passe" in page.text
    assert "Se connecter" in page.text
    assert "Password" not in page.text


def test_the_sign_in_page_is_in_english_when_the_browser_asks(client: TestClient) -> None:
    page = client.get("/signin", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "Sign in to Palabre" in page.text
    assert "Password" in page.text
    assert "Mot de passe" not in page.text


def test_a_person_without_a_chosen_language_works_in_french(
    rt: Runtime, client: TestClient
) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        me = f.user(s, ws, "manager", language=None)  # the workspace's language: French
    f.sign_in(client, me.email)
    dashboard = client.get("/").text
    for french in ("Tableau de bord", "Rédiger une publication", "Journal d'activité"):
        assert french.replace("'", "&#39;") in dashboard
    assert "Dashboard" not in dashboard
    # A service's English error reaches the person in French.
    missing = client.get("/posts/999999")
    assert missing.status_code == 404
    assert "Cette publication n&#39;existe pas dans cet espace de travail." in missing.text
