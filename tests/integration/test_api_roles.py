"""Every API route for every role: exactly who may, and 403 (or 401) for everyone else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient

from palabre.core.runtime import Runtime
from tests import factories as f
from tests.integration.api_support import PNG, Team, fail_deliveries, make_post, make_team
from tests.integration.test_automations_api import SPEC_ROUTES as AUTOMATION_ROUTES
from tests.sources_support import entries, owned_source, rss

EVERYONE = set(f.ROLES)
WRITERS = EVERYONE - {"viewer"}
PUBLISHERS = {"owner", "manager", "member"}
MANAGERS = {"owner", "manager"}


@dataclass(frozen=True)
class Case:
    """A route, who may call it, its success status and how to call it on a fresh team."""

    method: str
    path: str
    allowed: set[str]
    ok: int
    call: Callable[[TestClient, Runtime, Team, str], httpx.Response]

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _own_draft(rt: Runtime, team: Team, role: str) -> int:
    """A draft by the caller (a viewer cannot write: a manager's draft then)."""
    return make_post(rt, team, role if role != "viewer" else "manager", "draft")


def _proposal(rt: Runtime, team: Team) -> int:
    return make_post(rt, team, "contributor", "submit")


def _get(path: str) -> Callable[[TestClient, Runtime, Team, str], httpx.Response]:
    return lambda c, rt, t, role: c.get(path.format(ch=t.channel_ids[0]), headers=t.auth(role))


def _source(rt: Runtime, team: Team, *, fetched: bool = False) -> int:
    """A source the owner added (from a file, or fetched from a local feed server)."""
    return owned_source(rt, team.workspace_id, team.user_ids["owner"], fetched=fetched)


CASES = [
    Case("GET", "/api/v1/me", EVERYONE, 200, _get("/api/v1/me")),
    Case("GET", "/api/v1/channels", EVERYONE, 200, _get("/api/v1/channels")),
    Case(
        "POST",
        "/api/v1/channels",
        MANAGERS,
        201,
        lambda c, rt, t, role: c.post(
            "/api/v1/channels", json={"kind": "preview", "name": "Nouveau"}, headers=t.auth(role)
        ),
    ),
    Case("GET", "/api/v1/channels/{id}", EVERYONE, 200, _get("/api/v1/channels/{ch}")),
    Case(
        "POST",
        "/api/v1/posts",
        WRITERS,
        201,
        lambda c, rt, t, role: c.post(
            "/api/v1/posts",
            json={"text": "Salut", "channels": t.channel_ids},
            headers=t.auth(role),
        ),
    ),
    Case("GET", "/api/v1/posts", EVERYONE, 200, _get("/api/v1/posts")),
    Case(
        "GET",
        "/api/v1/posts/{id}",
        EVERYONE,
        200,
        lambda c, rt, t, role: c.get(f"/api/v1/posts/{_proposal(rt, t)}", headers=t.auth(role)),
    ),
    Case(
        "PATCH",
        "/api/v1/posts/{id}",
        WRITERS,
        200,
        lambda c, rt, t, role: c.patch(
            f"/api/v1/posts/{_own_draft(rt, t, role)}",
            json={"text": "Modifié", "version": 1},
            headers=t.auth(role),
        ),
    ),
    Case(
        "POST",
        "/api/v1/posts/{id}/submit",
        WRITERS,
        200,
        lambda c, rt, t, role: c.post(
            f"/api/v1/posts/{_own_draft(rt, t, role)}/submit", headers=t.auth(role)
        ),
    ),
    Case(
        "POST",
        "/api/v1/posts/{id}/approve",
        MANAGERS,
        200,
        lambda c, rt, t, role: c.post(
            f"/api/v1/posts/{_proposal(rt, t)}/approve", json={}, headers=t.auth(role)
        ),
    ),
    Case(
        "POST",
        "/api/v1/posts/{id}/reject",
        MANAGERS,
        200,
        lambda c, rt, t, role: c.post(
            f"/api/v1/posts/{_proposal(rt, t)}/reject",
            json={"comment": "Pas cette semaine"},
            headers=t.auth(role),
        ),
    ),
    Case(
        "POST",
        "/api/v1/posts/{id}/cancel",
        WRITERS,
        200,
        lambda c, rt, t, role: c.post(
            f"/api/v1/posts/{_own_draft(rt, t, role)}/cancel", headers=t.auth(role)
        ),
    ),
    Case(
        "POST",
        "/api/v1/posts/{id}/images",
        WRITERS,
        201,
        lambda c, rt, t, role: c.post(
            f"/api/v1/posts/{_own_draft(rt, t, role)}/images",
            files={"file": ("a.png", PNG, "image/png")},
            data={"alt_text": "Un tableau"},
            headers=t.auth(role),
        ),
    ),
    Case(
        "POST",
        "/api/v1/triage",
        EVERYONE,  # reads nothing of the workspace, stores nothing
        200,
        lambda c, rt, t, role: c.post(
            "/api/v1/triage", json={"text": "Ouvert ce soir ?"}, headers=t.auth(role)
        ),
    ),
    Case(
        "POST",
        "/api/v1/deliveries/{id}/retry",
        PUBLISHERS,
        200,
        lambda c, rt, t, role: c.post(
            f"/api/v1/deliveries/{fail_deliveries(rt, make_post(rt, t, 'manager', 'schedule'))[0]}"
            "/retry",
            headers=t.auth(role),
        ),
    ),
    Case("GET", "/api/v1/sources", EVERYONE, 200, _get("/api/v1/sources")),
    Case(
        "POST",
        "/api/v1/sources",
        PUBLISHERS,
        201,
        lambda c, rt, t, role: c.post(
            "/api/v1/sources",
            json={"kind": "feed", "content": rss(entries(1)), "name": "Actus"},
            headers=t.auth(role),
        ),
    ),
    Case(
        "GET",
        "/api/v1/sources/{id}",
        EVERYONE,
        200,
        lambda c, rt, t, role: c.get(f"/api/v1/sources/{_source(rt, t)}", headers=t.auth(role)),
    ),
    Case(
        "PATCH",
        "/api/v1/sources/{id}",
        PUBLISHERS,
        200,
        lambda c, rt, t, role: c.patch(
            f"/api/v1/sources/{_source(rt, t)}", json={"name": "Autre"}, headers=t.auth(role)
        ),
    ),
    Case(
        "DELETE",
        "/api/v1/sources/{id}",
        MANAGERS,
        204,
        lambda c, rt, t, role: c.delete(f"/api/v1/sources/{_source(rt, t)}", headers=t.auth(role)),
    ),
    Case(
        "POST",
        "/api/v1/sources/{id}/refresh",
        PUBLISHERS,
        200,
        lambda c, rt, t, role: c.post(
            f"/api/v1/sources/{_source(rt, t, fetched=True)}/refresh", headers=t.auth(role)
        ),
    ),
    Case(
        "POST",
        "/api/v1/sources/{id}/use-feed",
        PUBLISHERS,
        422,  # allowed, but this source's address offers no feed to choose
        lambda c, rt, t, role: c.post(
            f"/api/v1/sources/{_source(rt, t, fetched=True)}/use-feed",
            json={"url": "http://127.0.0.1/feed.xml"},
            headers=t.auth(role),
        ),
    ),
    Case(
        "GET",
        "/api/v1/sources/{id}/items",
        EVERYONE,
        200,
        lambda c, rt, t, role: c.get(
            f"/api/v1/sources/{_source(rt, t)}/items", headers=t.auth(role)
        ),
    ),
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


def test_every_api_route_is_in_the_matrix(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    routes = {
        f"{method.upper()} {path.replace('{post_id}', '{id}')}"
        for path, ops in spec["paths"].items()
        for method in ops
    }
    routes = {
        r.replace("{channel_id}", "{id}")
        .replace("{delivery_id}", "{id}")
        .replace("{source_id}", "{id}")
        for r in routes
    }
    # The inbox's routes have their own matrix (test_inbox_api.py).
    routes = {r for r in routes if "/conversations" not in r}
    # Response times and saved replies too (test_inbox_sla.py, test_saved_replies.py).
    routes = {r for r in routes if "/inbox/sla" not in r and "/saved-replies" not in r}
    # Automations and suggestions have their own matrix (test_automations_api.py).
    elsewhere = {r.replace("{channel_id}", "{id}") for r in AUTOMATION_ROUTES}
    assert routes - elsewhere == {c.id for c in CASES}
    assert elsewhere <= routes


def _concrete(path: str) -> str:
    return path.replace("{id}", "1")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer plb_not-a-real-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
    ],
    ids=["none", "unknown", "basic", "empty"],
)
def test_without_a_valid_token_every_route_says_401(
    rt: Runtime, client: TestClient, case: Case, headers: dict[str, str]
) -> None:
    make_team(rt)
    resp = client.request(
        case.method, _concrete(case.path), headers={**headers, "Accept-Language": "en"}
    )
    assert resp.status_code == 401, resp.text
    assert resp.json()["error"] == "unauthorized"
    assert resp.json()["message"] in {
        "Send a personal API token: 'Authorization: Bearer <token>'.",
        "This API token is unknown or was revoked.",
    }


def test_a_deactivated_persons_token_stops_working(rt: Runtime, client: TestClient) -> None:
    from palabre.team.models import User

    team = make_team(rt)
    assert client.get("/api/v1/me", headers=team.auth("member")).status_code == 200
    with rt.db.transaction() as s:
        user = s.get(User, team.user_ids["member"])
        assert user is not None
        user.active = False
    assert client.get("/api/v1/me", headers=team.auth("member")).status_code == 401


# Someone else's post: only managers and owners may touch it.
OTHERS = [
    ("PATCH", "", {"json": {"text": "Pas à moi", "version": 1}}),
    ("POST", "/submit", {}),
    ("POST", "/cancel", {}),
    (
        "POST",
        "/images",
        {"files": {"file": ("a.png", PNG, "image/png")}, "data": {"alt_text": "x"}},
    ),
]


@pytest.mark.parametrize("role", ["owner", "manager", "member", "contributor"])
@pytest.mark.parametrize(("method", "suffix", "kw"), OTHERS, ids=[o[0] + o[1] for o in OTHERS])
def test_only_managers_change_someone_elses_draft(
    rt: Runtime, client: TestClient, role: str, method: str, suffix: str, kw: dict[str, object]
) -> None:
    team = make_team(rt)
    # The other author: a second contributor's draft (for the contributor) or the member's.
    with rt.db.transaction() as s:
        from palabre.team.models import Workspace

        ws = s.get(Workspace, team.workspace_id)
        other = f.user(s, ws, "contributor")
        team.user_ids["other"] = other.id
    pid = make_post(rt, team, "other", "draft")
    resp = client.request(method, f"/api/v1/posts/{pid}{suffix}", headers=team.auth(role), **kw)  # type: ignore[arg-type]
    if role in MANAGERS:
        assert resp.status_code == (201 if suffix == "/images" else 200), resp.text
    else:
        assert resp.status_code == 403, resp.text
        assert resp.json()["message"] == "You can only edit your own posts."


def test_a_contributor_cannot_edit_or_schedule_once_approved(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    pid = make_post(rt, team, "contributor", "submit")
    auth = team.auth("contributor")
    version = client.get(f"/api/v1/posts/{pid}", headers=auth).json()["version"]
    r = client.patch(
        f"/api/v1/posts/{pid}", json={"text": "Encore", "version": version}, headers=auth
    )
    assert r.status_code == 200, r.text  # still awaiting approval: own post, editable
    assert r.json()["text"] == "Encore" and r.json()["version"] == version + 1
    assert client.post(f"/api/v1/posts/{pid}/approve", headers=auth).status_code == 403
    r = client.post(f"/api/v1/posts/{pid}/approve", headers=team.auth("manager"))
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    r = client.patch(
        f"/api/v1/posts/{pid}", json={"text": "Trop tard", "version": version}, headers=auth
    )
    assert r.status_code == 403
    assert "manager" in r.json()["message"]
    files = {"file": ("a.png", PNG, "image/png")}
    r = client.post(
        f"/api/v1/posts/{pid}/images", files=files, data={"alt_text": "x"}, headers=auth
    )
    assert r.status_code == 403
    # A contributor asking to draft is fine; `submit` too; there is no way to schedule.
    r = client.post(
        "/api/v1/posts",
        json={"text": "x", "channels": team.channel_ids, "submit": True},
        headers=auth,
    )
    assert r.status_code == 201 and r.json()["state"] == "awaiting_approval"
