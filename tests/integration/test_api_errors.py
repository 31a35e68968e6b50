"""Every error the API gives: its status and its JSON shape, with a message a person can act
on — malformed bodies, unknown ids, other workspaces, wrong states, stale edits, bad fields."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from palabre.channels import registry
from palabre.channels.base import Account, Capabilities, ChannelAdapter
from palabre.core.runtime import Runtime
from tests import factories as f
from tests.conftest import PG_URL
from tests.integration.api_support import PNG, Team, make_post, make_team


def invalid(resp: httpx.Response) -> dict[str, str]:
    """Assert the 422 shape and return its field errors."""
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["error"] == "invalid"
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict) and body["errors"]
    return body["errors"]  # type: ignore[no-any-return]


def error(resp: httpx.Response, status: int, code: str) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body["message"]  # type: ignore[no-any-return]


# ------------------------------------------------------------------ 400


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/posts"),
        ("POST", "/api/v1/channels"),
        ("PATCH", "/api/v1/posts/{pid}"),
        ("POST", "/api/v1/posts/{pid}/reject"),
    ],
)
def test_a_body_that_is_not_json_is_a_400(
    rt: Runtime, client: TestClient, method: str, path: str
) -> None:
    team = make_team(rt)
    pid = make_post(rt, team, "contributor", "submit")
    headers = {**team.auth("manager"), "Content-Type": "application/json"}
    resp = client.request(
        method, path.format(pid=pid), content=b'{"text": "oops",', headers=headers
    )
    message = error(resp, 400, "bad_request")
    assert "JSON" in message  # read before the token: in the default language


def test_json_of_the_wrong_shape_is_a_422_naming_the_fields(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    errors = invalid(client.post("/api/v1/posts", json=["a list"], headers=team.auth("manager")))
    assert errors
    errors = invalid(client.post("/api/v1/posts", json={"text": 3}, headers=team.auth("manager")))
    assert set(errors) == {"text", "channels"}


# ------------------------------------------------------------------ 404


def _other_workspace(rt: Runtime) -> tuple[int, int, int]:
    """A post, its delivery and a channel in another workspace."""
    with rt.db.transaction() as s:
        ws = f.workspace(s, name="Autre musée")
        boss = f.user(s, ws, "manager")
        chan = f.preview_channel(rt, s, ws, boss)
        post = f.post(s, ws, boss, [chan])
        return post.id, post.deliveries[0].id, chan.id


def test_unknown_ids_and_other_workspaces_objects_are_404(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    their_post, their_delivery, their_channel = _other_workspace(rt)
    h = team.auth("owner")
    for pid in (their_post, 999_999):
        assert error(client.get(f"/api/v1/posts/{pid}", headers=h), 404, "not_found") == (
            "No such post in this workspace."
        )
        for action in ("approve", "submit", "cancel"):
            error(client.post(f"/api/v1/posts/{pid}/{action}", headers=h), 404, "not_found")
        error(
            client.post(f"/api/v1/posts/{pid}/reject", json={"comment": "non"}, headers=h),
            404,
            "not_found",
        )
        error(
            client.patch(f"/api/v1/posts/{pid}", json={"version": 1}, headers=h), 404, "not_found"
        )
        files = {"file": ("a.png", PNG, "image/png")}
        resp = client.post(
            f"/api/v1/posts/{pid}/images", files=files, data={"alt_text": "x"}, headers=h
        )
        error(resp, 404, "not_found")
    for cid in (their_channel, 999_999):
        error(client.get(f"/api/v1/channels/{cid}", headers=h), 404, "not_found")
    for did in (their_delivery, 999_999):
        error(client.post(f"/api/v1/deliveries/{did}/retry", headers=h), 404, "not_found")
    # Their post is not listed either, and their channel cannot be a target.
    assert client.get("/api/v1/posts", headers=h).json()["posts"] == []
    resp = client.post("/api/v1/posts", json={"text": "x", "channels": [their_channel]}, headers=h)
    assert invalid(resp) == {"channels": f"Unknown channel: {their_channel}"}


def test_an_unknown_api_path_is_a_json_404(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    error(client.get("/api/v1/nothing-here", headers=team.auth("owner")), 404, "http_error")


def test_a_non_numeric_id_is_a_422(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    assert "path.post_id" in invalid(client.get("/api/v1/posts/abc", headers=team.auth("owner")))


# ------------------------------------------------------------------ 409


def test_wrong_states_are_409(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    h = team.auth("manager")
    scheduled = make_post(rt, team, "manager", "schedule")
    for action in ("approve", "submit"):
        error(client.post(f"/api/v1/posts/{scheduled}/{action}", headers=h), 409, "conflict")
    resp = client.post(f"/api/v1/posts/{scheduled}/reject", json={"comment": "non"}, headers=h)
    assert error(resp, 409, "conflict") == "This post is not awaiting approval."
    delivery = client.get(f"/api/v1/posts/{scheduled}", headers=h).json()["deliveries"][0]["id"]
    resp = client.post(f"/api/v1/deliveries/{delivery}/retry", headers=h)
    assert error(resp, 409, "conflict") == "Only a failed delivery can be retried."
    assert client.post(f"/api/v1/posts/{scheduled}/cancel", headers=h).status_code == 200
    version = client.get(f"/api/v1/posts/{scheduled}", headers=h).json()["version"]
    resp = client.patch(
        f"/api/v1/posts/{scheduled}", json={"text": "x", "version": version}, headers=h
    )
    assert error(resp, 409, "conflict") == "This post can no longer be edited."
    resp = client.post(
        f"/api/v1/posts/{scheduled}/images",
        files={"file": ("a.png", PNG, "image/png")},
        data={"alt_text": "Une photo"},
        headers=h,
    )
    assert error(resp, 409, "conflict") == "This post can no longer be edited."


def test_a_stale_edit_is_refused_not_merged(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    pid = make_post(rt, team, "member", "draft", text="Version d'origine")
    read = client.get(f"/api/v1/posts/{pid}", headers=team.auth("member")).json()
    first = client.patch(
        f"/api/v1/posts/{pid}",
        json={"text": "Corrigé par la manager", "version": read["version"]},
        headers=team.auth("manager"),
    )
    assert first.status_code == 200
    assert first.json()["version"] == read["version"] + 1
    second = client.patch(
        f"/api/v1/posts/{pid}",
        json={"text": "Corrigé par le membre", "version": read["version"]},
        headers=team.auth("member"),
    )
    assert "Reload" in error(second, 409, "conflict")
    after = client.get(f"/api/v1/posts/{pid}", headers=team.auth("member")).json()
    assert after["text"] == "Corrigé par la manager"
    # An image sent from the stale copy is refused the same way.
    resp = client.post(
        f"/api/v1/posts/{pid}/images",
        files={"file": ("a.png", PNG, "image/png")},
        data={"alt_text": "Un vase", "version": str(read["version"])},
        headers=team.auth("member"),
    )
    error(resp, 409, "conflict")


# ------------------------------------------------------------------ 422


def _bluesky_team(rt: Runtime) -> Team:
    return make_team(rt, imitates=("mastodon", "bluesky"))


def test_text_too_long_for_a_bluesky_preview_names_the_channel(
    rt: Runtime, client: TestClient
) -> None:
    team = _bluesky_team(rt)
    masto, sky = team.channel_ids
    # 300 graphemes: an accent written as e + combining acute, and a family emoji, each
    # count as one although they are several code points.
    unit = "e\u0301👩\u200d👩\u200d👧"
    exactly = unit * 150
    assert len(exactly) > 300
    ok = client.post(
        "/api/v1/posts", json={"text": exactly, "channels": [sky]}, headers=team.auth("manager")
    )
    assert ok.status_code == 201, ok.text
    resp = client.post(
        "/api/v1/posts",
        json={"text": exactly + "à", "channels": [masto, sky]},
        headers=team.auth("manager"),
    )
    errors = invalid(resp)
    assert errors == {"text": "Too long for Bluesky 2: 301 characters, the limit is 300."}
    assert "Bluesky 2" in resp.json()["message"]
    # A shorter variant for Bluesky makes it acceptable; a long variant is named as such.
    resp = client.post(
        "/api/v1/posts",
        json={"text": exactly + "à", "channels": [masto, sky], "variants": {str(sky): "Court"}},
        headers=team.auth("manager"),
    )
    assert resp.status_code == 201, resp.text
    resp = client.post(
        "/api/v1/posts",
        json={"text": "Court", "channels": [masto, sky], "variants": {str(sky): "é" * 301}},
        headers=team.auth("manager"),
    )
    assert invalid(resp) == {
        f"variant_{sky}": "Too long for Bluesky 2: 301 characters, the limit is 300."
    }


def test_a_contributors_too_long_text_is_refused_before_it_reaches_a_manager(
    rt: Runtime, client: TestClient
) -> None:
    team = _bluesky_team(rt)
    resp = client.post(
        "/api/v1/posts",
        json={"text": "x" * 301, "channels": [team.channel_ids[1]]},
        headers=team.auth("contributor"),
    )
    assert "text" in invalid(resp)


def test_past_time_unknown_channel_and_no_channel_are_422(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    h = team.auth("manager")
    resp = client.post(
        "/api/v1/posts",
        json={"text": "Hier", "channels": team.channel_ids, "scheduled_at": "2020-01-01T10:00"},
        headers=h,
    )
    assert invalid(resp) == {"scheduled_at": "This time is in the past. Choose a time to come."}
    resp = client.post("/api/v1/posts", json={"text": "x", "channels": [424242]}, headers=h)
    assert invalid(resp) == {"channels": "Unknown channel: 424242"}
    resp = client.post("/api/v1/posts", json={"text": "x", "channels": []}, headers=h)
    assert invalid(resp) == {"channels": "Choose at least one channel."}
    resp = client.post(
        "/api/v1/posts",
        json={"text": "x", "channels": team.channel_ids, "scheduled_at": "demain matin"},
        headers=h,
    )
    assert "scheduled_at" in invalid(resp)
    resp = client.post(
        "/api/v1/posts",
        json={"text": "x", "channels": team.channel_ids, "draft": True, "submit": True},
        headers=h,
    )
    invalid(resp)
    resp = client.post(
        "/api/v1/posts",
        json={"text": "x", "channels": team.channel_ids, "variants": {"777": "ailleurs"}},
        headers=h,
    )
    assert invalid(resp) == {"variant_777": "This channel is not among the post's channels."}
    assert client.get("/api/v1/posts", headers=h).json()["posts"] == []  # nothing was stored


def test_a_past_time_is_refused_on_edit_and_approval_too(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    pid = make_post(rt, team, "contributor", "submit")
    version = client.get(f"/api/v1/posts/{pid}", headers=team.auth("manager")).json()["version"]
    resp = client.patch(
        f"/api/v1/posts/{pid}",
        json={"scheduled_at": "2001-09-01T08:00:00+02:00", "version": version},
        headers=team.auth("manager"),
    )
    assert set(invalid(resp)) == {"scheduled_at"}


def test_reject_needs_a_comment(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    pid = make_post(rt, team, "contributor", "submit")
    h = team.auth("manager")
    assert set(invalid(client.post(f"/api/v1/posts/{pid}/reject", json={}, headers=h))) == {
        "comment"
    }
    assert set(invalid(client.post(f"/api/v1/posts/{pid}/reject", headers=h))) == {"body"}
    resp = client.post(f"/api/v1/posts/{pid}/reject", json={"comment": "   "}, headers=h)
    assert invalid(resp) == {"comment": "Tell the author why, so they can improve it."}
    state = client.get(f"/api/v1/posts/{pid}", headers=h).json()["state"]
    assert state == "awaiting_approval"


def test_images_need_alt_text_and_real_image_bytes(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    pid = make_post(rt, team, "contributor", "draft")
    h = team.auth("contributor")
    url = f"/api/v1/posts/{pid}/images"
    png = {"file": ("a.png", PNG, "image/png")}
    assert set(invalid(client.post(url, files=png, headers=h))) == {"alt_text"}
    resp = client.post(url, files=png, data={"alt_text": "  "}, headers=h)
    assert invalid(resp) == {"alt_text": "Describe this image (alternative text is required)."}
    resp = client.post(
        url,
        files={"file": ("a.png", b"MZ not an image", "image/png")},
        data={"alt_text": "x"},
        headers=h,
    )
    assert invalid(resp) == {"file": "Only PNG, JPEG, GIF and WebP images are accepted."}
    assert set(invalid(client.post(url, data={"alt_text": "x"}, headers=h))) == {"file"}
    for n in range(4):
        resp = client.post(url, files=png, data={"alt_text": f"Image {n}"}, headers=h)
        assert resp.status_code == 201, resp.text
    resp = client.post(url, files=png, data={"alt_text": "Une de trop"}, headers=h)
    assert invalid(resp) == {"images": "Mastodon 1 accepts at most 4 images."}
    assert len(client.get(f"/api/v1/posts/{pid}", headers=h).json()["images"]) == 4


def test_list_filters_are_checked(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    h = team.auth("viewer")
    assert "query.state" in invalid(client.get("/api/v1/posts?state=lost", headers=h))
    assert "query.limit" in invalid(client.get("/api/v1/posts?limit=0", headers=h))
    assert client.get("/api/v1/posts?state=draft", headers=h).status_code == 200


# ------------------------------------------------------------------ channels


def test_channel_settings_are_checked_by_the_adapter(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    h = team.auth("manager")
    resp = client.post(
        "/api/v1/channels",
        json={"kind": "preview", "name": "x", "settings": {"imitates": "myspace", "text_limit": 0}},
        headers=h,
    )
    assert set(invalid(resp)) == {"settings.imitates", "settings.text_limit"}
    resp = client.post("/api/v1/channels", json={"kind": "fax", "name": "Fax"}, headers=h)
    assert invalid(resp) == {"kind": "Unknown channel kind: fax"}
    resp = client.post("/api/v1/channels", json={"kind": "preview", "name": "  "}, headers=h)
    assert invalid(resp) == {"name": "Give the channel a name."}
    assert set(invalid(client.post("/api/v1/channels", json={}, headers=h))) == {"kind", "name"}
    names = [c["name"] for c in client.get("/api/v1/channels", headers=h).json()["channels"]]
    assert names == ["Mastodon 1"]  # nothing half-created


class _SecretSettings(BaseModel):
    instance: str
    access_token: str


class _SecretAdapter(ChannelAdapter):
    kind = "secretive"
    label = "Secretive"
    settings_model = _SecretSettings
    secret_fields = frozenset({"access_token"})

    def capabilities(self) -> Capabilities:
        return Capabilities(text_limit=500, counting="mastodon")

    def verify(self) -> Account:
        return Account(id="1", handle="musee@m.example")


def test_a_channels_secrets_are_never_returned(
    rt: Runtime, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    found: dict[str, Any] = {**registry.adapters(), "secretive": _SecretAdapter}
    monkeypatch.setattr(registry, "adapters", lambda: found)
    team = make_team(rt)
    h = team.auth("owner")
    resp = client.post(
        "/api/v1/channels",
        json={"kind": "secretive", "name": "Masto", "settings": {"instance": "https://m.example"}},
        headers=h,
    )
    assert set(invalid(resp)) == {"settings.access_token"}
    resp = client.post(
        "/api/v1/channels",
        json={
            "kind": "secretive",
            "name": "Masto",
            "settings": {"instance": "https://m.example", "access_token": "s3cr3t-t0ken"},
        },
        headers=h,
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["settings"] == {"instance": "https://m.example"}
    cid = resp.json()["id"]
    for r in (
        resp,
        client.get(f"/api/v1/channels/{cid}", headers=h),
        client.get("/api/v1/channels", headers=h),
    ):
        assert "s3cr3t" not in r.text


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: SQLite serialises writers at BEGIN")
def test_two_edits_racing_on_postgresql_end_in_one_success_and_one_409(
    rt: Runtime, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both requests pass the version check before either writes; the database's row
    version decides, and the loser gets a 409 rather than a 500 or a silent overwrite."""
    from palabre.publishing import services

    team = make_team(rt)
    pid = make_post(rt, team, "member", "draft")
    version = client.get(f"/api/v1/posts/{pid}", headers=team.auth("member")).json()["version"]
    both_read = threading.Barrier(2, timeout=10)
    real_update = services.update_post

    def update_after_both_read(*args: Any, **kwargs: Any) -> Any:
        both_read.wait()
        return real_update(*args, **kwargs)

    monkeypatch.setattr(services, "update_post", update_after_both_read)

    def edit(role: str) -> httpx.Response:
        return client.patch(
            f"/api/v1/posts/{pid}",
            json={"text": f"Par {role}", "version": version},
            headers=team.auth(role),
        )

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(edit, ["member", "manager"]))
    assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
    winner = next(r for r in results if r.status_code == 200).json()["text"]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["error"] == "conflict"
    final = client.get(f"/api/v1/posts/{pid}", headers=team.auth("member")).json()
    assert final["text"] == winner and final["version"] == version + 1
