"""The whole publishing flow through the REST API, as an outside tool would drive it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from palabre.channels.preview.models import PreviewRecord
from palabre.core.runtime import Runtime
from palabre.worker import build_runner
from tests.integration.api_support import PNG, make_team


def test_contributor_proposes_manager_approves_worker_delivers_once(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt, imitates=())
    manager, contributor = team.auth("manager"), team.auth("contributor")

    masto = client.post(
        "/api/v1/channels",
        json={"kind": "preview", "name": "Mastodon (aperçu)", "settings": {"imitates": "mastodon"}},
        headers=manager,
    )
    assert masto.status_code == 201, masto.text
    sky = client.post(
        "/api/v1/channels",
        json={"kind": "preview", "name": "Bluesky (aperçu)", "settings": {"imitates": "bluesky"}},
        headers=manager,
    )
    assert sky.status_code == 201, sky.text
    assert sky.json()["capabilities"]["text_limit"] == 300
    assert sky.json()["capabilities"]["counting"] == "graphemes"
    masto_id, sky_id = masto.json()["id"], sky.json()["id"]

    created = client.post(
        "/api/v1/posts",
        json={
            "text": "Nocturne au musée vendredi, entrée libre dès 19 h !",
            "channels": [masto_id, sky_id],
            "variants": {str(sky_id): "Nocturne vendredi 🌙"},
        },
        headers=contributor,
    )
    assert created.status_code == 201, created.text
    post = created.json()
    assert post["state"] == "awaiting_approval"
    assert post["deliveries"] == []
    assert post["variants"] == {str(sky_id): "Nocturne vendredi 🌙"}
    assert [c["id"] for c in post["channels"]] == [masto_id, sky_id]
    assert post["author"]["id"] == team.user_ids["contributor"]

    queue = client.get("/api/v1/posts", params={"state": "awaiting_approval"}, headers=manager)
    assert [p["id"] for p in queue.json()["posts"]] == [post["id"]]

    pic = client.post(
        f"/api/v1/posts/{post['id']}/images",
        files={"file": ("affiche.png", PNG, "image/png")},
        data={"alt_text": "L'affiche de la nocturne"},
        headers=contributor,
    )
    assert pic.status_code == 201, pic.text
    assert pic.json()["images"][0]["alt_text"] == "L'affiche de la nocturne"

    approved = client.post(
        f"/api/v1/posts/{post['id']}/approve", json={"comment": "Parfait !"}, headers=manager
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["state"] == "scheduled"
    assert body["review_comment"] == "Parfait !"
    assert body["reviewed_by"]["id"] == team.user_ids["manager"]
    assert {(d["channel"]["id"], d["state"]) for d in body["deliveries"]} == {
        (masto_id, "scheduled"),
        (sky_id, "scheduled"),
    }

    build_runner(rt).run_until_idle()
    build_runner(rt).run_until_idle()  # a second worker pass sends nothing more

    seen = client.get(f"/api/v1/posts/{post['id']}", headers=contributor).json()
    assert seen["state"] == "published"
    assert seen["published_at"] is not None
    assert seen["review_comment"] == "Parfait !"  # the author sees it
    by_channel = {d["channel"]["id"]: d for d in seen["deliveries"]}
    for cid, kind_name in ((masto_id, "Mastodon (aperçu)"), (sky_id, "Bluesky (aperçu)")):
        d = by_channel[cid]
        assert d["state"] == "published"
        assert d["remote_id"]
        assert d["published_at"].endswith("+00:00")
        assert d["last_error"] is None
        assert d["channel"] == {"id": cid, "name": kind_name, "kind": "preview"}

    with rt.db.transaction(write=False) as s:
        records = {r.channel_id: r for r in s.scalars(select(PreviewRecord))}
    assert len(records) == 2  # exactly once per channel
    assert records[sky_id].text == "Nocturne vendredi 🌙"
    assert records[masto_id].text.startswith("Nocturne au musée")
    assert records[masto_id].attachments[0]["alt_text"] == "L'affiche de la nocturne"
    assert str(records[sky_id].id) == by_channel[sky_id]["remote_id"]

    health = client.get(f"/api/v1/channels/{sky_id}", headers=contributor).json()["health"]
    assert health["last_success_at"] is not None and health["last_error"] is None


def test_a_members_post_is_scheduled_directly_and_listed_newest_first(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    ids = []
    for n in range(3):
        r = client.post(
            "/api/v1/posts",
            json={
                "text": f"Post {n}",
                "channels": team.channel_ids,
                "scheduled_at": "2031-05-04T10:00",
            },
            headers=team.auth("member"),
        )
        assert r.status_code == 201, r.text
        assert r.json()["state"] == "scheduled"
        assert r.json()["deliveries"][0]["state"] == "scheduled"
        ids.append(r.json()["id"])
    page = client.get("/api/v1/posts", params={"limit": 2}, headers=team.auth("viewer")).json()
    assert [p["id"] for p in page["posts"]] == [ids[2], ids[1]]
    rest = client.get(
        "/api/v1/posts",
        params={"limit": 2, "before_id": page["next_before_id"]},
        headers=team.auth("viewer"),
    ).json()
    assert [p["id"] for p in rest["posts"]] == [ids[0]]
    assert rest["next_before_id"] is None
    assert (
        client.get("/api/v1/posts", params={"mine": True}, headers=team.auth("owner")).json()[
            "posts"
        ]
        == []
    )


def test_draft_then_submit_then_reject_returns_it_to_the_author_with_the_comment(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    r = client.post(
        "/api/v1/posts",
        json={"text": "Brouillon", "channels": team.channel_ids, "draft": True},
        headers=team.auth("contributor"),
    )
    assert r.status_code == 201 and r.json()["state"] == "draft"
    pid = r.json()["id"]
    r = client.post(f"/api/v1/posts/{pid}/submit", headers=team.auth("contributor"))
    assert r.status_code == 200 and r.json()["state"] == "awaiting_approval"
    r = client.post(
        f"/api/v1/posts/{pid}/reject",
        json={"comment": "Ajoute l'horaire"},
        headers=team.auth("owner"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "draft"
    seen = client.get(f"/api/v1/posts/{pid}", headers=team.auth("contributor")).json()
    assert seen["review_comment"] == "Ajoute l'horaire"


def test_a_failed_delivery_is_retried_and_then_published(rt: Runtime, client: TestClient) -> None:
    from tests.integration.api_support import fail_deliveries, make_post

    team = make_team(rt)
    pid = make_post(rt, team, "manager", "schedule")
    [did] = fail_deliveries(rt, pid)
    seen = client.get(f"/api/v1/posts/{pid}", headers=team.auth("viewer")).json()
    assert seen["state"] == "failed"
    assert seen["deliveries"][0]["last_error"] == "The network said no."
    r = client.post(f"/api/v1/deliveries/{did}/retry", headers=team.auth("member"))
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "scheduled" and r.json()["last_error"] is None
    again = client.post(f"/api/v1/deliveries/{did}/retry", headers=team.auth("member"))
    assert again.status_code == 409
    build_runner(rt).run_until_idle()
    seen = client.get(f"/api/v1/posts/{pid}", headers=team.auth("viewer")).json()
    assert seen["state"] == "published"
    assert seen["deliveries"][0]["state"] == "published"


def test_cancel_stops_the_deliveries(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    r = client.post(
        "/api/v1/posts",
        json={"text": "Annulé", "channels": team.channel_ids, "scheduled_at": "2031-01-01T09:00"},
        headers=team.auth("manager"),
    )
    pid = r.json()["id"]
    r = client.post(f"/api/v1/posts/{pid}/cancel", headers=team.auth("manager"))
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "cancelled"
    assert {d["state"] for d in r.json()["deliveries"]} == {"cancelled"}
    assert (
        client.post(f"/api/v1/posts/{pid}/cancel", headers=team.auth("manager")).status_code == 409
    )
    build_runner(rt).run_until_idle()
    with rt.db.transaction(write=False) as s:
        assert s.scalars(select(PreviewRecord)).first() is None
