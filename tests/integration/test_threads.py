"""Threads and content warnings, from the API to the network (the preview channel records
what each network would have received) and back in the post's deliveries."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from palabre.channels.preview.models import PreviewRecord
from palabre.core.runtime import Runtime
from palabre.models import STATOR_MODELS
from palabre.stator import StatorRunner
from tests.integration.api_support import make_team


def run(rt: Runtime) -> None:
    StatorRunner(rt.db, list(STATOR_MODELS), services=rt.worker_services()).run_once()


def test_a_thread_goes_out_in_order_each_part_replying_to_the_one_before(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt, imitates=("mastodon", "bluesky"))
    resp = client.post(
        "/api/v1/posts",
        json={
            "text": "1/3 La Nuit des musées, c'est samedi 🌙",
            "thread": ["2/3 Ouverture de 19 h à minuit.", "3/3 Entrée libre, café offert ☕"],
            "channels": team.channel_ids,
        },
        headers=team.auth("manager"),
    )
    assert resp.status_code == 201, resp.text
    post = resp.json()
    assert post["thread"] == ["2/3 Ouverture de 19 h à minuit.", "3/3 Entrée libre, café offert ☕"]
    run(rt)
    post = client.get(f"/api/v1/posts/{post['id']}", headers=team.auth("viewer")).json()
    assert post["state"] == "published"
    for delivery in post["deliveries"]:
        parts = delivery["remote_parts"]
        assert parts[0]["id"] == delivery["remote_id"] and len(parts) == 3
        with rt.db.transaction(write=False) as s:
            records = [s.get(PreviewRecord, int(p["id"])) for p in parts]
        assert [r.text[:3] for r in records if r] == ["1/3", "2/3", "3/3"]
        assert records[1].details["reply_to"] == parts[0]["id"]  # type: ignore[union-attr]
        assert records[2].details["reply_to"] == parts[1]["id"]  # type: ignore[union-attr]


def test_a_thread_part_too_long_for_a_network_is_refused_with_the_reason(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt, imitates=("bluesky",))
    resp = client.post(
        "/api/v1/posts",
        json={"text": "Court.", "thread": ["é" * 301], "channels": team.channel_ids},
        headers=team.auth("manager"),
    )
    assert resp.status_code == 422
    assert "Post 2 of the thread is too long for Bluesky 1: 301 characters" in resp.text


def test_a_content_warning_reaches_mastodon_and_is_refused_for_bluesky(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt, imitates=("mastodon", "bluesky"))
    masto, bsky = team.channel_ids
    refused = client.post(
        "/api/v1/posts",
        json={"text": "Exposition", "content_warning": "Images de guerre", "channels": [bsky]},
        headers=team.auth("manager"),
    )
    assert refused.status_code == 422
    assert "Bluesky 2 has no content warnings" in refused.text
    resp = client.post(
        "/api/v1/posts",
        json={"text": "Exposition", "content_warning": "Images de guerre", "channels": [masto]},
        headers=team.auth("manager"),
    )
    assert resp.status_code == 201 and resp.json()["content_warning"] == "Images de guerre"
    run(rt)
    with rt.db.transaction(write=False) as s:
        record = s.scalars(select(PreviewRecord)).one()
    assert record.details == {"content_warning": "Images de guerre"}
