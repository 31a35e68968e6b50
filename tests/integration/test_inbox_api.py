"""The inbox in the REST API: lists by priority with keyset pages and filters, a
conversation's detail, replies (sent once, or proposed by volunteers), assignment,
status, notes with mentions, triage corrections; and who may call each route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from palabre.channels.preview.models import PreviewRecord
from palabre.core.runtime import Runtime
from palabre.team.models import Notice
from tests import factories as f
from tests.inbox_support import conversations, incoming, run, store
from tests.integration.api_support import Team, make_team

EVERYONE = set(f.ROLES)
WRITERS = EVERYONE - {"viewer"}
PUBLISHERS = {"owner", "manager", "member"}
MANAGERS = {"owner", "manager"}


def _conv(rt: Runtime, team: Team, text: str = "Vous ouvrez dimanche ?") -> int:
    store(rt, team.workspace_id, team.channel_ids[0], incoming(text))
    return conversations(rt)[-1][0].id


def _proposal(rt: Runtime, client: TestClient, team: Team) -> tuple[int, int]:
    cid = _conv(rt, team)
    resp = client.post(
        f"/api/v1/conversations/{cid}/reply",
        json={"text": "Oui !"},
        headers=team.auth("contributor"),
    )
    assert resp.status_code == 201, resp.text
    return cid, resp.json()["id"]


def _message(rt: Runtime, cid: int) -> int:
    return next(m for c, msgs in conversations(rt) if c.id == cid for m in msgs).id


Call = Callable[[TestClient, Runtime, Team, str], httpx.Response]


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    allowed: set[str]
    ok: int
    call: Call

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _post(suffix: str, body: dict[str, object] | None = None) -> Call:
    def call(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
        cid = _conv(rt, t)
        return c.post(f"/api/v1/conversations/{cid}{suffix}", json=body, headers=t.auth(role))

    return call


def _triage(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
    cid = _conv(rt, t)
    body = {"category": "question", "urgency": "urgent", "important": True}
    return c.post(
        f"/api/v1/conversations/{cid}/messages/{_message(rt, cid)}/triage",
        json=body,
        headers=t.auth(role),
    )


def _review(decision: str, body: dict[str, object] | None) -> Call:
    def call(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
        cid, mid = _proposal(rt, c, t)
        return c.post(
            f"/api/v1/conversations/{cid}/messages/{mid}/{decision}",
            json=body,
            headers=t.auth(role),
        )

    return call


def _retry(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
    cid = _conv(rt, t)
    sent = c.post(
        f"/api/v1/conversations/{cid}/reply", json={"text": "Oui"}, headers=t.auth("manager")
    )
    mid = sent.json()["id"]
    from palabre.inbox.conversation_models import Message, MessageSend

    with rt.db.transaction() as s:  # the network refused it for good
        s.execute(MessageSend.__table__.update().values(state="failed", next_attempt_at=None))
        s.execute(Message.__table__.update().where(Message.id == mid).values(state="failed"))
    return c.post(f"/api/v1/conversations/{cid}/messages/{mid}/retry", headers=t.auth(role))


def _get(suffix: str = "") -> Call:
    def call(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
        cid = _conv(rt, t)
        path = (
            f"/api/v1/conversations/{cid}" if suffix == "{id}" else "/api/v1/conversations" + suffix
        )
        return c.get(path, headers=t.auth(role))

    return call


CASES = [
    Case("GET", "/api/v1/conversations", EVERYONE, 200, _get()),
    Case("GET", "/api/v1/conversations/counts", EVERYONE, 200, _get("/counts")),
    Case("GET", "/api/v1/conversations/{id}", EVERYONE, 200, _get("{id}")),
    Case(
        "POST",
        "/api/v1/conversations/{id}/reply",
        WRITERS,
        201,
        _post("/reply", {"text": "Oui, de 10 h à 18 h."}),
    ),
    Case(
        "POST",
        "/api/v1/conversations/{id}/assign",
        PUBLISHERS,
        200,
        _post("/assign", {"round_robin": True}),
    ),
    Case("POST", "/api/v1/conversations/{id}/close", PUBLISHERS, 200, _post("/close")),
    Case("POST", "/api/v1/conversations/{id}/reopen", PUBLISHERS, 200, _post("/reopen")),
    Case("POST", "/api/v1/conversations/{id}/waiting", PUBLISHERS, 200, _post("/waiting")),
    Case(
        "POST",
        "/api/v1/conversations/{id}/notes",
        WRITERS,
        201,
        _post("/notes", {"text": "À voir lundi"}),
    ),
    Case("POST", "/api/v1/conversations/{id}/messages/{mid}/triage", WRITERS, 200, _triage),
    Case(
        "POST",
        "/api/v1/conversations/{id}/messages/{mid}/approve",
        MANAGERS,
        200,
        _review("approve", None),
    ),
    Case(
        "POST",
        "/api/v1/conversations/{id}/messages/{mid}/reject",
        MANAGERS,
        200,
        _review("reject", {"comment": "Trop sec"}),
    ),
    Case("POST", "/api/v1/conversations/{id}/messages/{mid}/retry", PUBLISHERS, 200, _retry),
]


@pytest.mark.parametrize("role", f.ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_role_matrix(rt: Runtime, client: TestClient, case: Case, role: str) -> None:
    team = make_team(rt)
    resp = case.call(client, rt, team, role)
    if role in case.allowed:
        assert resp.status_code == case.ok, resp.text
    else:
        assert resp.status_code == 403, resp.text
        assert resp.json()["error"] == "forbidden"


def test_every_inbox_route_is_in_the_matrix_and_documented(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    short = {"{conversation_id}": "{id}", "{message_id}": "{mid}"}

    def name(path: str) -> str:
        for long, brief in short.items():
            path = path.replace(long, brief)
        return path

    routes = {
        f"{method.upper()} {name(path)}"
        for path, ops in spec["paths"].items()
        for method in ops
        if "/conversations" in path
    }
    assert routes == {c.id for c in CASES}
    for path, ops in spec["paths"].items():
        if "/conversations" in path:
            for op in ops.values():
                assert op["summary"] and op["description"] and "401" in op["responses"]


def test_list_by_priority_with_keyset_pages_filters_and_search(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    store(
        rt,
        ws,
        ch,
        *[incoming(f"Merci pour la visite numéro {i}", post_id=f"t{i}") for i in range(7)],
    )
    store(
        rt, ws, ch, incoming("URGENT : une fuite d'eau inonde la salle, venez vite", post_id="u1")
    )
    auth = team.auth("viewer")
    first = client.get("/api/v1/conversations?limit=3", headers=auth).json()
    assert first["conversations"][0]["triage"]["urgency"] == "urgent"
    seen = [c["id"] for c in first["conversations"]]
    after = first["next_cursor"]
    while after:
        page = client.get(f"/api/v1/conversations?limit=3&after={after}", headers=auth).json()
        seen += [c["id"] for c in page["conversations"]]
        after = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 8
    found = client.get("/api/v1/conversations?q=FUITE", headers=auth).json()["conversations"]
    assert [c["snippet"][:6] for c in found] == ["URGENT"]
    assert client.get("/api/v1/conversations?q=%25_", headers=auth).json()["conversations"] == []
    cat = client.get("/api/v1/conversations?category=praise", headers=auth).json()["conversations"]
    assert all(c["triage"]["category"] == "praise" for c in cat)
    assert client.get("/api/v1/conversations?status=bogus", headers=auth).status_code == 422
    counts = client.get("/api/v1/conversations/counts", headers=auth).json()
    assert counts["to_handle"] == 8 and counts["by_status"]["new"] == 8


def test_a_reply_goes_out_once_threaded_and_the_second_person_is_told(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    cid = _conv(rt, team, "Le musée est-il ouvert lundi ?")
    detail = client.get(f"/api/v1/conversations/{cid}", headers=team.auth("member")).json()
    seen = detail["messages"][-1]["id"]
    assert detail["messages"][0]["triage"]["reasons"]  # the reasons, in words
    body = {"text": "Non, fermé le lundi.", "seen_message_id": seen}
    ok = client.post(f"/api/v1/conversations/{cid}/reply", json=body, headers=team.auth("member"))
    assert ok.status_code == 201 and ok.json()["state"] == "sending"
    late = client.post(
        f"/api/v1/conversations/{cid}/reply",
        json={"text": "Fermé le lundi !", "seen_message_id": seen},
        headers=team.auth("manager"),
    )
    assert late.status_code == 409 and "already replied" in late.json()["message"]
    run(rt)
    run(rt, 5)
    with rt.db.transaction(write=False) as s:
        records = s.scalars(select(PreviewRecord)).all()
    assert (
        len(records) == 1
        and records[0].details["reply_to"] == detail["messages"][0]["remote_url"].rsplit("/", 1)[1]
    )
    after = client.get(f"/api/v1/conversations/{cid}", headers=team.auth("member")).json()
    assert after["status"] == "waiting" and after["messages"][-1]["state"] == "sent"
    assert after["first_response_at"] is not None


def test_reply_text_is_checked_by_the_networks_rule(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    cid = _conv(rt, team)
    for text, field in (("   ", "text"), ("x" * 501, "text")):
        resp = client.post(
            f"/api/v1/conversations/{cid}/reply", json={"text": text}, headers=team.auth("member")
        )
        assert resp.status_code == 422 and field in resp.json()["errors"], resp.text
    # A URL counts 23 on Mastodon: 480 characters of text and a long link fit.
    text = "x" * 470 + " https://example.org/" + "y" * 200
    resp = client.post(
        f"/api/v1/conversations/{cid}/reply", json={"text": text}, headers=team.auth("member")
    )
    assert resp.status_code == 201, resp.text


def test_a_volunteers_proposal_is_approved_edited_and_sent(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    cid, mid = _proposal(rt, client, team)
    with rt.db.transaction(write=False) as s:
        told = s.scalars(select(Notice).where(Notice.kind == "inbox.proposal")).all()
    assert {n.user_id for n in told} == {team.user_ids["owner"], team.user_ids["manager"]}
    resp = client.post(
        f"/api/v1/conversations/{cid}/messages/{mid}/approve",
        json={"text": "Oui, bien sûr !"},
        headers=team.auth("manager"),
    )
    assert resp.status_code == 200
    run(rt)
    with rt.db.transaction(write=False) as s:
        assert [r.text for r in s.scalars(select(PreviewRecord))] == ["Oui, bien sûr !"]
        assert s.scalar(select(Notice).where(Notice.kind == "inbox.proposal_reviewed")) is not None
    again = client.post(
        f"/api/v1/conversations/{cid}/messages/{mid}/approve", headers=team.auth("manager")
    )
    assert again.status_code == 409


def test_notes_notify_the_teammates_mentioned_and_corrections_are_kept(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    cid = _conv(rt, team)
    with rt.db.transaction(write=False) as s:
        from palabre.team.models import User

        member = s.get(User, team.user_ids["member"])
        assert member is not None
        handle = member.email.split("@")[0]
    resp = client.post(
        f"/api/v1/conversations/{cid}/notes",
        json={"text": f"@{handle} tu peux regarder ?"},
        headers=team.auth("contributor"),
    )
    assert resp.status_code == 201 and resp.json()["mentions"] == [team.user_ids["member"]]
    with rt.db.transaction(write=False) as s:
        notice = s.scalar(select(Notice).where(Notice.kind == "inbox.mention"))
    assert notice is not None and notice.user_id == team.user_ids["member"]
    assert notice.link == f"/inbox/{cid}"
    mid = _message(rt, cid)
    body = {"category": "complaint", "urgency": "urgent", "important": True}
    resp = client.post(
        f"/api/v1/conversations/{cid}/messages/{mid}/triage", json=body, headers=team.auth("member")
    )
    detail = resp.json()
    assert detail["triage"]["category"] == "complaint" and detail["priority"] == 4
    assert detail["messages"][0]["triage"]["corrected"]
    assert detail["messages"][0]["corrections"][0]["new"]["urgency"] == "urgent"
    bad = client.post(
        f"/api/v1/conversations/{cid}/messages/{mid}/triage",
        json={"category": "rant", "urgency": "urgent", "important": False},
        headers=team.auth("member"),
    )
    assert bad.status_code == 422 and "category" in bad.json()["errors"]


def test_assignment_moves_the_badges_and_contributors_take_only_for_themselves(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    cid = _conv(rt, team)
    uid = team.user_ids["contributor"]
    own = client.post(
        f"/api/v1/conversations/{cid}/assign",
        json={"assignee_id": uid},
        headers=team.auth("contributor"),
    )
    assert (
        own.status_code == 200
        and own.json()["assignee"]["id"] == uid
        and own.json()["status"] == "open"
    )
    other = client.post(
        f"/api/v1/conversations/{cid}/assign",
        json={"assignee_id": team.user_ids["member"]},
        headers=team.auth("contributor"),
    )
    assert other.status_code == 403
    mine = client.get("/api/v1/conversations/counts", headers=team.auth("contributor")).json()
    assert mine["mine"] == 1 and mine["to_handle"] == 1
    viewer = client.post(
        f"/api/v1/conversations/{cid}/assign",
        json={"assignee_id": team.user_ids["viewer"]},
        headers=team.auth("manager"),
    )
    assert viewer.status_code == 409
    listed = client.get(
        "/api/v1/conversations?assignee=me", headers=team.auth("contributor")
    ).json()
    assert [c["id"] for c in listed["conversations"]] == [cid]


def test_a_pending_proposal_is_named_before_a_manager_answers_over_it(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    cid, _mid = _proposal(rt, client, team)
    resp = client.post(
        f"/api/v1/conversations/{cid}/reply", json={"text": "Oui"}, headers=team.auth("manager")
    )
    assert resp.status_code == 409 and "proposed a reply" in resp.json()["message"]
    forced = client.post(
        f"/api/v1/conversations/{cid}/reply",
        json={"text": "Oui", "force": True},
        headers=team.auth("manager"),
    )
    assert forced.status_code == 201
