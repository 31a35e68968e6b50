"""The automations and suggestions API: documented shapes, clear 422s, and who may do what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from palabre.automations import services as automations
from palabre.core.runtime import Runtime
from palabre.sources.models import Source
from palabre.team.models import User
from tests import factories as f
from tests.integration.api_support import Team, make_team
from tests.integration.automation_support import run_automations

EVERYONE = set(f.ROLES)
WRITERS = EVERYONE - {"viewer"}
PUBLISHERS = {"owner", "manager", "member"}
MANAGERS = {"owner", "manager"}


def _feed(rt: Runtime, team: Team, items: int = 2) -> int:
    with rt.db.transaction() as s:
        ws = s.get(User, team.user_ids["owner"]).workspace  # type: ignore[union-attr]
        feed = f.source(s, ws)
        for n in range(items):
            f.source_item(s, feed, f"Nouvelle {n}", published_at=datetime.now(UTC))
        return feed.id


def _automation(rt: Runtime, team: Team, feed: int, run: bool = True) -> int:
    with rt.db.transaction() as s:
        owner = s.get(User, team.user_ids["owner"])
        assert owner is not None
        row = automations.create_automation(
            s,
            owner.workspace,
            kind="news",
            name="Actualités",
            source_ids=[feed],
            channel_ids=team.channel_ids,
            actor=owner,
        )
        if run:
            automations.run_now(s, row, actor=owner)
        return row.id


def test_create_read_update_and_dry_run(client: TestClient, rt: Runtime) -> None:
    team = make_team(rt)
    feed = _feed(rt, team)
    body = {
        "kind": "news",
        "sources": [feed],
        "channels": team.channel_ids,
        "exclude": ["fermeture"],
        "max_age_days": 3,
    }
    made = client.post("/api/v1/automations", json=body, headers=team.auth("manager"))
    assert made.status_code == 201, made.text
    out = made.json()
    assert (
        out["mode"] == "suggest" and out["name"] == "Relais des actualités"
    )  # the workspace's language
    assert out["settings"]["exclude"] == ["fermeture"] and out["settings"]["max_age_days"] == 3
    aid = out["id"]
    patched = client.patch(
        f"/api/v1/automations/{aid}",
        json={"mode": "auto", "settings": {"include": ["exposition"]}},
        headers=team.auth("owner"),
    )
    assert patched.json()["mode"] == "auto"
    assert patched.json()["settings"]["include"] == ["exposition"]
    assert patched.json()["settings"]["exclude"] == ["fermeture"]
    dry = client.get(f"/api/v1/automations/{aid}/dry-run", headers=team.auth("viewer")).json()
    assert dry["skipped"] == 2 and dry["posts"] == []  # "exposition" is in no item
    client.patch(
        f"/api/v1/automations/{aid}", json={"settings": {"include": []}}, headers=team.auth("owner")
    )
    dry = client.get(f"/api/v1/automations/{aid}/dry-run", headers=team.auth("viewer")).json()
    assert len(dry["posts"]) == 2 and all(p["when"] for p in dry["posts"])
    assert "Nouvelle 0" in dry["posts"][0]["texts"][str(team.channel_ids[0])]


def _waiting(client: TestClient, team: Team, aid: int) -> int:
    got = client.get(f"/api/v1/suggestions?automation={aid}", headers=team.auth("viewer"))
    return int(got.json()["total"])


def test_a_new_automation_starts_switched_off_until_the_team_switches_it_on(
    client: TestClient, rt: Runtime
) -> None:
    team = make_team(rt)
    feed = _feed(rt, team)
    body = {"kind": "news", "sources": [feed], "channels": team.channel_ids, "mode": "auto"}
    out = client.post("/api/v1/automations", json=body, headers=team.auth("manager")).json()
    aid = out["id"]
    assert out["enabled"] is False
    run_automations(rt, datetime.now(UTC) + timedelta(minutes=10))
    assert _waiting(client, team, aid) == 0  # nothing made, nothing posted
    dry = client.get(f"/api/v1/automations/{aid}/dry-run", headers=team.auth("viewer")).json()
    assert len(dry["posts"]) == 2  # the dry run answers before anything goes out
    on = client.post(f"/api/v1/automations/{aid}/resume", headers=team.auth("manager"))
    assert on.status_code == 200 and on.json()["enabled"] is True
    again = client.post(f"/api/v1/automations/{aid}/resume", headers=team.auth("manager"))
    assert again.status_code == 409
    explicit = client.post(
        "/api/v1/automations", json={**body, "enabled": True}, headers=team.auth("manager")
    ).json()
    assert explicit["enabled"] is True
    off = client.patch(
        f"/api/v1/automations/{aid}", json={"enabled": False}, headers=team.auth("manager")
    )
    assert off.json()["enabled"] is False


def test_the_dry_run_shows_a_first_fetch_at_the_items_own_dates(
    client: TestClient, rt: Runtime
) -> None:
    team = make_team(rt)
    now = datetime.now(UTC)
    with rt.db.transaction() as s:
        ws = s.get(User, team.user_ids["owner"]).workspace  # type: ignore[union-attr]
        feed = f.source(s, ws)
        for days in (2, 9, 20, 45):  # as a first fetch stores them: backlog, seen just now
            f.source_item(
                s,
                feed,
                f"Il y a {days} jours",
                published_at=now - timedelta(days=days),
                first_seen_at=now,
                backlog=True,
            )
        f.source_item(s, feed, "Sans date", published_at=None, first_seen_at=now, backlog=True)
        feed_id = feed.id
    body = {"kind": "news", "sources": [feed_id], "channels": team.channel_ids}
    body["max_age_days"] = 30
    aid = client.post("/api/v1/automations", json=body, headers=team.auth("manager")).json()["id"]
    dry = client.get(f"/api/v1/automations/{aid}/dry-run", headers=team.auth("viewer")).json()
    titles = [p["title"] for p in dry["posts"]]
    assert titles == ["Il y a 20 jours", "Il y a 9 jours", "Il y a 2 jours", "Sans date"]
    for post, days in zip(dry["posts"][:3], (20, 9, 2), strict=True):
        when = datetime.fromisoformat(post["when"])
        # at the item's date (or the next time the guardrails allow), not all at "now"
        assert now - timedelta(days=days) <= when < now - timedelta(days=days - 1)


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"template": "{{ titre }}"}, "template", "Unknown variable in the template: titre"),
        ({"template": "{% if %}"}, "template", "mistake on line 1"),
        ({"template": "{{ 7**100000 }}"}, "template", "too big"),
        ({"template": '{{ "a" * 10**7 }}'}, "template", "too big"),
        ({"max_age_days": 0}, "max_age_days", "not accepted"),
        ({"colour": "red"}, "colour", "Unknown setting"),
        ({"kind": "agenda", "offsets": ["+2d@10:00"]}, "offsets", "comes before the event"),
        ({"kind": "agenda", "offsets": ["demain"]}, "offsets", "-7d@10:00"),
        ({"sources": [999]}, "sources", "Unknown source"),
        ({"channels": []}, "channels", "at least one channel"),
    ],
)
def test_bad_settings_are_422_with_the_field(
    client: TestClient, rt: Runtime, extra: dict, field: str, words: str
) -> None:
    team = make_team(rt)
    feed = _feed(rt, team, 0)
    if extra.get("kind") == "agenda":
        with rt.db.transaction() as s:
            s.get(Source, feed).kind = "agenda"  # type: ignore[union-attr]
    body = {"kind": "news", "sources": [feed], "channels": team.channel_ids, **extra}
    resp = client.post("/api/v1/automations", json=body, headers=team.auth("manager"))
    assert resp.status_code == 422, resp.text
    errors = resp.json()["errors"]
    assert any(k.startswith(field) and words in v for k, v in errors.items()), errors


def test_the_queue_approve_with_edit_skip_and_bulk(client: TestClient, rt: Runtime) -> None:
    team = make_team(rt)
    _automation(rt, team, _feed(rt, team, 4))
    queue = client.get("/api/v1/suggestions", headers=team.auth("viewer")).json()
    assert queue["total"] == 4
    first, second, third, fourth = (s["id"] for s in queue["items"])
    ok = client.post(
        f"/api/v1/suggestions/{first}/approve",
        json={"text": "Texte revu par l'équipe"},
        headers=team.auth("member"),
    ).json()
    assert ok["state"] == "approved" and ok["post_id"]
    post = client.get(f"/api/v1/posts/{ok['post_id']}", headers=team.auth("member")).json()
    assert post["state"] == "scheduled" and post["text"] == "Texte revu par l'équipe"
    again = client.post(f"/api/v1/suggestions/{first}/approve", headers=team.auth("member"))
    assert again.status_code == 409
    skipped = client.post(f"/api/v1/suggestions/{second}/skip", headers=team.auth("manager"))
    assert skipped.json()["state"] == "skipped"
    bulk = client.post(
        "/api/v1/suggestions/bulk",
        json={"ids": [second, third, fourth], "action": "skip"},
        headers=team.auth("member"),
    ).json()
    assert bulk["done"] == [third, fourth] and str(second) in bulk["failed"]
    left = client.get("/api/v1/suggestions?state=", headers=team.auth("viewer")).json()
    assert sorted(s["state"] for s in left["items"]) == [
        "approved",
        "skipped",
        "skipped",
        "skipped",
    ]


def test_guardrails_and_share(client: TestClient, rt: Runtime) -> None:
    team = make_team(rt)
    cid = team.channel_ids[0]
    rails = client.get(f"/api/v1/channels/{cid}/guardrails", headers=team.auth("viewer")).json()
    assert (rails["daily_cap"], rails["quiet_start"], rails["quiet_end"]) == (3, "21:00", "08:00")
    bad = client.patch(
        f"/api/v1/channels/{cid}/guardrails",
        json={"quiet_start": "25:00", "share_warning": 80, "share_ceiling": 60},
        headers=team.auth("manager"),
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"quiet_start", "share_ceiling"}
    good = client.patch(
        f"/api/v1/channels/{cid}/guardrails",
        json={"daily_cap": 1, "quiet_start": "22:30"},
        headers=team.auth("manager"),
    ).json()
    assert good["daily_cap"] == 1 and good["quiet_start"] == "22:30"
    share = client.get("/api/v1/automation-share", headers=team.auth("viewer")).json()
    assert share[0]["level"] == "ok" and share[0]["total_7"] == 0


# ---- Roles: exactly who may call each route


def _call(method: str, path: str, json: dict | None = None) -> Callable[..., httpx.Response]:
    def call(c: TestClient, rt: Runtime, t: Team, role: str) -> httpx.Response:
        feed = _feed(rt, t, 1)
        aid = _automation(rt, t, feed)
        sid = c.get("/api/v1/suggestions", headers=t.auth("owner")).json()["items"][0]["id"]
        url = path.format(a=aid, s=sid, ch=t.channel_ids[0], feed=feed)
        body = None if json is None else {k: ([sid] if v == "SID" else v) for k, v in json.items()}
        if body and "channels" in body:
            body["channels"] = t.channel_ids
            body["sources"] = [feed]
        return c.request(method, url, json=body, headers=t.auth(role))

    return call


ROUTES = [
    ("GET", "/api/v1/automations", None, EVERYONE, 200),
    ("GET", "/api/v1/automations/{a}", None, EVERYONE, 200),
    ("POST", "/api/v1/automations", {"kind": "news", "channels": [], "sources": []}, MANAGERS, 201),
    ("PATCH", "/api/v1/automations/{a}", {"name": "Autre"}, MANAGERS, 200),
    ("DELETE", "/api/v1/automations/{a}", None, MANAGERS, 204),
    ("POST", "/api/v1/automations/{a}/pause", None, MANAGERS, 200),
    ("POST", "/api/v1/automations/{a}/run", None, PUBLISHERS, 200),
    ("GET", "/api/v1/automations/{a}/dry-run", None, EVERYONE, 200),
    ("GET", "/api/v1/suggestions", None, EVERYONE, 200),
    ("GET", "/api/v1/suggestions/{s}", None, EVERYONE, 200),
    ("PATCH", "/api/v1/suggestions/{s}", {"texts": {}}, WRITERS, 200),
    ("POST", "/api/v1/suggestions/{s}/approve", None, WRITERS, 200),
    ("POST", "/api/v1/suggestions/{s}/skip", None, PUBLISHERS, 200),
    ("GET", "/api/v1/channels/{ch}/guardrails", None, EVERYONE, 200),
    ("PATCH", "/api/v1/channels/{ch}/guardrails", {"daily_cap": 2}, MANAGERS, 200),
    ("GET", "/api/v1/automation-share", None, EVERYONE, 200),
    ("POST", "/api/v1/suggestions/bulk", {"ids": "SID", "action": "approve"}, WRITERS, 200),
    ("POST", "/api/v1/automations/{a}/resume", None, MANAGERS, 409),  # not paused: 409
]
# The routes above as the OpenAPI document names them (test_api_roles.py leaves them to us).
NAMES = {"{a}": "{automation_id}", "{s}": "{suggestion_id}", "{ch}": "{channel_id}"}


def _spec_path(path: str) -> str:
    for short, name in NAMES.items():
        path = path.replace(short, name)
    return path


SPEC_ROUTES = {f"{m} {_spec_path(p)}" for m, p, *_ in ROUTES}


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed", "ok"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_roles(
    client: TestClient,
    rt: Runtime,
    method: str,
    path: str,
    body: dict | None,
    allowed: set[str],
    ok: int,
) -> None:
    for role in f.ROLES:
        team = make_team(rt)
        resp = _call(method, path, body)(client, rt, team, role)
        expected = ok if role in allowed else 403
        assert resp.status_code == expected, (role, resp.text)
    for headers in ({}, {"Authorization": "Bearer plb_not-a-real-token"}):
        nobody = client.request(method, path.format(a=1, s=1, ch=1), json=body, headers=headers)
        assert nobody.status_code == 401


def test_a_contributor_approval_proposes(client: TestClient, rt: Runtime) -> None:
    team = make_team(rt)
    _automation(rt, team, _feed(rt, team, 1))
    sid = client.get("/api/v1/suggestions", headers=team.auth("viewer")).json()["items"][0]["id"]
    out = client.post(f"/api/v1/suggestions/{sid}/approve", headers=team.auth("contributor")).json()
    post = client.get(f"/api/v1/posts/{out['post_id']}", headers=team.auth("viewer")).json()
    assert post["state"] == "awaiting_approval"
    assert post["scheduled_at"] is not None
    assert datetime.fromisoformat(post["scheduled_at"]) >= datetime.now(UTC) - timedelta(minutes=1)
