"""POST /api/v1/triage and Settings › "Try a message": every role may see how a message
would be triaged, in their language; bad input gets a clear message; nothing is stored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.models import Base
from tests import factories as f
from tests.integration.api_support import make_team

URL = "/api/v1/triage"


def table_counts(rt: Runtime) -> dict[str, int]:
    with rt.db.transaction(write=False) as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
            if t.name not in ("api_tokens",)  # a token's "last used" may be noted
        }


@pytest.mark.parametrize("role", f.ROLES)
def test_every_role_may_triage_and_nothing_is_stored(
    rt: Runtime, client: TestClient, role: str
) -> None:
    team = make_team(rt)
    before = table_counts(rt)
    resp = client.post(
        URL, json={"text": "Vous êtes ouverts aujourd'hui ?"}, headers=team.auth(role)
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["category"], body["urgency"], body["important"]) == ("question", "urgent", False)
    assert body["lang"] == "fr" and body["truncated"] is False
    assert body["reasons"] == [
        {
            "code": "question_today",
            "text": "asks a question about today: aujourd'hui",  # the team reads English
            "words": ["aujourd'hui"],
        }
    ]
    assert table_counts(rt) == before  # no row anywhere, not even in the audit log


def test_reasons_come_in_the_callers_language(rt: Runtime, client: TestClient) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        french = f.token(s, f.user(s, ws, "viewer", language="fr"))
    resp = client.post(
        URL, json={"text": "Great, another 2-hour queue, love it"}, headers=f.bearer(french)
    )
    body = resp.json()
    assert body["category"] == "complaint" and body["lang"] == "en"
    assert body["reasons"][0]["code"] == "sarcasm"
    assert body["reasons"][0]["text"].startswith("semble ironique : ")


def test_the_language_may_be_given(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    body = client.post(URL, json={"text": "ok", "lang": "en"}, headers=team.auth("member")).json()
    assert body["lang"] == "en"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"text": ""}, "text", "Write the message to triage: the text is empty."),
        ({"text": "   \n "}, "text", "Write the message to triage: the text is empty."),
        (
            {"text": "<p> </p><script>x()</script>"},
            "text",
            "This message has no text once its HTML tags are removed.",
        ),
        (
            {"text": "x" * 100_001},
            "text",
            "This message is too long: at most 100,000 characters are accepted "
            "(the first 5,000 are read).",
        ),
        (
            {"text": "Bonjour", "lang": "de"},
            "lang",
            "Unknown language: choose fr or en, or leave it out.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    rt: Runtime, client: TestClient, payload: dict, field: str, message: str
) -> None:
    team = make_team(rt)
    resp = client.post(URL, json=payload, headers=team.auth("viewer"))
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["error"] == "invalid"
    assert body["errors"] == {field: message}


def test_missing_text_and_broken_json(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    missing = client.post(URL, json={"lang": "fr"}, headers=team.auth("viewer"))
    assert missing.status_code == 422 and "text" in missing.json()["errors"]
    broken = client.post(
        URL,
        content=b'{"text": ',
        headers={**team.auth("viewer"), "Content-Type": "application/json"},
    )
    assert broken.status_code == 400


@pytest.mark.parametrize(
    ("text", "category", "truncated"),
    [
        ("Un enfant est tombé dans l'escalier ! " + "x" * 10_000, "incident", True),
        ("😍😍😍", "praise", False),
        ("مرحبا، هل المتحف مفتوح اليوم؟", "question", False),
        ('<p>Votre site est <a href="https://x.example">en panne</a></p>', "incident", False),
    ],
)
def test_long_emoji_rtl_and_html_messages(
    rt: Runtime, client: TestClient, text: str, category: str, truncated: bool
) -> None:
    team = make_team(rt)
    resp = client.post(URL, json={"text": text}, headers=team.auth("contributor"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["category"], body["truncated"]) == (category, truncated)
    assert all("<" not in w for r in body["reasons"] for w in r["words"])


def test_without_a_token_401(rt: Runtime, client: TestClient) -> None:
    resp = client.post(URL, json={"text": "Bonjour"})
    assert resp.status_code == 401


# -- Settings › Try a message ------------------------------------------------------------
def _signed_in(rt: Runtime, client: TestClient, role: str, lang: str = "en") -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        me = f.user(s, ws, role, language=lang)
    f.sign_in(client, me.email)
    client.cookies.set(LANG_COOKIE, lang)


@pytest.mark.parametrize("role", f.ROLES)
def test_the_page_works_for_every_role(rt: Runtime, client: TestClient, role: str) -> None:
    _signed_in(rt, client, role)
    settings = client.get("/settings")
    assert 'href="http://testserver/settings/triage"' in settings.text
    page = client.get("/settings/triage")
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.text and 'hx-post="http://testserver/settings/triage"' in (
        page.text
    )
    resp = client.post(
        "/settings/triage",
        data={"text": "Une dame est tombée", "lang": "", "csrf_token": f.csrf_of(client)},
    )
    assert resp.status_code == 200
    assert 'data-category="incident"' in resp.text
    assert 'data-urgency="urgent"' in resp.text and 'data-important="yes"' in resp.text
    assert "reports an incident: est tombée" in resp.text  # the words as typed
    assert "<html" in resp.text  # a whole page without HTMX


def test_htmx_gets_the_fragment_in_french(rt: Runtime, client: TestClient) -> None:
    _signed_in(rt, client, "viewer", lang="fr")
    token = f.csrf_of(client)
    resp = client.post(
        "/settings/triage",
        data={"text": "Super, encore fermé un dimanche 👏"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert resp.status_code == 200
    assert "<html" not in resp.text and 'id="triage-try"' in resp.text
    assert "Réclamation" in resp.text and "semble ironique : Super, 👏, fermé, encore" in resp.text
    assert "Super, encore fermé un dimanche 👏</textarea>" in resp.text


def test_the_page_escapes_what_was_typed(rt: Runtime, client: TestClient) -> None:
    _signed_in(rt, client, "member")
    resp = client.post(
        "/settings/triage",
        data={"text": '<img src=x onerror="alert(1)"> déçu', "csrf_token": f.csrf_of(client)},
    )
    assert resp.status_code == 200
    assert "<img src=x" not in resp.text
    assert "&lt;img src=x" in resp.text


def test_an_empty_message_is_shown_beside_the_field(rt: Runtime, client: TestClient) -> None:
    _signed_in(rt, client, "contributor")
    token = f.csrf_of(client)
    page = client.post("/settings/triage", data={"text": " ", "csrf_token": token})
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.text
    assert "Write the message to triage: the text is empty." in page.text
    fragment = client.post(
        "/settings/triage",
        data={"text": ""},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert fragment.status_code == 200  # htmx swaps only 2xx answers
    assert "Write the message to triage: the text is empty." in fragment.text


def test_the_form_without_csrf_is_refused(rt: Runtime, client: TestClient) -> None:
    _signed_in(rt, client, "owner")
    resp = client.post("/settings/triage", data={"text": "Bonjour"})
    assert resp.status_code == 403
    assert "data-category" not in resp.text


def test_signed_out_people_are_sent_to_sign_in(client: TestClient) -> None:
    resp = client.get("/settings/triage", follow_redirects=False)
    assert resp.status_code == 303 and "/signin" in resp.headers["location"]
