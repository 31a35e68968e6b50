"""Saved replies: managers prepare them, everyone reads them; a reply from one is refused
while a placeholder is empty, and the same text never goes to two people on one day."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from palabre.core.runtime import Runtime
from palabre.inbox.saved import fingerprint, placeholders
from tests import factories as f
from tests.inbox_support import conversations, incoming, store
from tests.integration.api_support import Team, make_team

MANAGERS = {"owner", "manager"}
TEXT = "Bonjour [prénom], le musée ouvre à [heure] dimanche. Belle visite !"


def _saved(client: TestClient, team: Team, text: str = TEXT, name: str = "Horaires") -> dict:
    resp = client.post(
        "/api/v1/saved-replies", json={"name": name, "text": text}, headers=team.auth("manager")
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


def _conv(rt: Runtime, team: Team, author: str = "ana@example.org") -> int:
    store(
        rt,
        team.workspace_id,
        team.channel_ids[0],
        incoming("Vous ouvrez dimanche ?", author=author),
    )
    return conversations(rt)[-1][0].id


def _reply(
    client: TestClient, team: Team, cid: int, text: str, sid: int | None, role: str = "member"
) -> httpx.Response:
    return client.post(
        f"/api/v1/conversations/{cid}/reply",
        json={"text": text, "saved_reply_id": sid},
        headers=team.auth(role),
    )


def test_placeholders_in_square_brackets() -> None:
    assert placeholders(TEXT) == ["prénom", "heure"]
    assert placeholders("[a] et [a] puis [ b ] [] [x\ny]") == ["a", "b"]


@given(st.text(max_size=200))
def test_case_and_spacing_do_not_make_a_text_personal(text: str) -> None:
    assert fingerprint(text) == fingerprint("  " + "\n".join(text.split()) + " ")
    assert fingerprint(text) == fingerprint(text.casefold())
    assert fingerprint(text) != fingerprint(text + " merci Ana")


def test_a_reply_with_an_empty_placeholder_is_refused_listing_them(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    s = _saved(client, team)
    assert s["placeholders"] == ["prénom", "heure"]
    cid = _conv(rt, team)
    resp = _reply(client, team, cid, TEXT.replace("[heure]", "10 h"), s["id"])
    assert resp.status_code == 422
    assert "[prénom]" in resp.text and "[heure]" not in resp.text
    # Pasted without saying where it came from: refused too.
    assert _reply(client, team, cid, TEXT, None).status_code == 422
    assert [len(ms) for _, ms in conversations(rt)] == [1]  # nothing sent
    done = TEXT.replace("[prénom]", "Ana").replace("[heure]", "10 h")
    assert _reply(client, team, cid, done, s["id"]).status_code == 201


def test_the_same_text_to_a_second_person_the_same_day_asks_for_a_personal_touch(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    s = _saved(client, team, "Merci pour votre message, nous regardons cela.", "Merci")
    first, second = _conv(rt, team), _conv(rt, team, "bob@example.org")
    assert _reply(client, team, first, s["text"], s["id"]).status_code == 201
    resp = _reply(client, team, second, "merci pour votre  message, nous regardons cela.", s["id"])
    assert resp.status_code == 422 and "personal touch" in resp.text
    # A volunteer's proposal is held to the same rule.
    assert _reply(client, team, second, s["text"], s["id"], "contributor").status_code == 422
    resp = _reply(
        client, team, second, "Merci Bob pour votre message, nous regardons cela.", s["id"]
    )
    assert resp.status_code == 201, resp.text
    listed = client.get("/api/v1/saved-replies", headers=team.auth("viewer")).json()
    assert listed[0]["uses"] == 2


def test_managers_edit_and_delete_with_clear_errors(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    s = _saved(client, team)
    dup = client.post(
        "/api/v1/saved-replies",
        json={"name": "Horaires", "text": "x"},
        headers=team.auth("manager"),
    )
    assert dup.status_code == 422 and "name" in dup.text
    url = f"/api/v1/saved-replies/{s['id']}"
    resp = client.patch(
        url, json={"text": "Bonjour [prénom] !", "version": 1}, headers=team.auth("owner")
    )
    assert resp.status_code == 200 and resp.json()["placeholders"] == ["prénom"]
    stale = client.patch(url, json={"text": "Bonjour", "version": 1}, headers=team.auth("owner"))
    assert stale.status_code == 409
    assert client.delete(url, headers=team.auth("manager")).status_code == 204
    assert client.get("/api/v1/saved-replies", headers=team.auth("member")).json() == []
    assert client.delete(url, headers=team.auth("manager")).status_code == 404


Call = Callable[[TestClient, Runtime, Team, str], httpx.Response]


def _patch(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
    sid = _saved(c, t)["id"]
    return c.patch(f"/api/v1/saved-replies/{sid}", json={"name": "Autre"}, headers=t.auth(role))


def _delete(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
    sid = _saved(c, t)["id"]
    return c.delete(f"/api/v1/saved-replies/{sid}", headers=t.auth(role))


def _sla_put(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
    body = c.get("/api/v1/inbox/sla", headers=t.auth("owner")).json()
    return c.put("/api/v1/inbox/sla", json=body, headers=t.auth(role))


CASES: dict[str, tuple[set[str], int, Call]] = {
    "GET /api/v1/saved-replies": (
        set(f.ROLES),
        200,
        lambda c, rt, t, r: c.get("/api/v1/saved-replies", headers=t.auth(r)),
    ),
    "POST /api/v1/saved-replies": (
        MANAGERS,
        201,
        lambda c, rt, t, r: c.post(
            "/api/v1/saved-replies", json={"name": "A", "text": "B"}, headers=t.auth(r)
        ),
    ),
    "PATCH /api/v1/saved-replies/{saved_reply_id}": (MANAGERS, 200, _patch),
    "DELETE /api/v1/saved-replies/{saved_reply_id}": (MANAGERS, 204, _delete),
    "GET /api/v1/inbox/sla": (
        set(f.ROLES),
        200,
        lambda c, rt, t, r: c.get("/api/v1/inbox/sla", headers=t.auth(r)),
    ),
    "PUT /api/v1/inbox/sla": (MANAGERS, 200, _sla_put),
}


@pytest.mark.parametrize("role", f.ROLES)
@pytest.mark.parametrize("route", list(CASES))
def test_role_matrix(rt: Runtime, client: TestClient, route: str, role: str) -> None:
    allowed, ok, call = CASES[route]
    resp = call(client, rt, make_team(rt), role)
    assert resp.status_code == (ok if role in allowed else 403), resp.text


def test_every_settings_route_is_in_the_matrix(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    routes = {
        f"{m.upper()} {p}"
        for p, ops in spec["paths"].items()
        for m in ops
        if "/saved-replies" in p or "/inbox/sla" in p
    }
    assert routes == set(CASES)
