"""The REST API with real channels, as other tools use it: create a Bluesky channel (local
AT Protocol network) and a Mastodon channel (local Mastodon API server) with the documented
settings, publish, and read back each delivery's remote id and URL."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from palabre.core.runtime import Runtime
from palabre.models import STATOR_MODELS
from palabre.stator import StatorRunner
from tests.bsky_net import BskyAccount
from tests.fakes.mastodon_server import MastodonServer
from tests.fixtures.mastodon import Org
from tests.integration.api_support import make_team


def test_create_real_channels_through_the_api_and_publish_to_both(
    rt: Runtime,
    client: TestClient,
    bsky_pds: str,
    bsky_account: Callable[[str], BskyAccount],
    mastodon_server: MastodonServer,
    mastodon_org: Org,
) -> None:
    team = make_team(rt)
    h = team.auth("manager")
    account = bsky_account("musee")
    wrong = client.post(
        "/api/v1/channels",
        json={
            "kind": "bluesky",
            "name": "Bluesky",
            "settings": {"service": bsky_pds, "handle": account.handle, "app_password": "nope"},
        },
        headers=h,
    )
    assert wrong.status_code == 422 and wrong.json()["message"]
    bsky = client.post(
        "/api/v1/channels",
        json={
            "kind": "bluesky",
            "name": "Bluesky du musée",
            "settings": {
                "service": bsky_pds,
                "handle": account.handle,
                "app_password": account.app_password,
            },
        },
        headers=h,
    )
    assert bsky.status_code == 201, bsky.text
    assert account.app_password not in bsky.text
    assert bsky.json()["account"] == account.handle
    masto = client.post(
        "/api/v1/channels",
        json={
            "kind": "mastodon",
            "name": "Mastodon du musée",
            "settings": {"instance": mastodon_server.base_url, "access_token": mastodon_org.token},
        },
        headers=h,
    )
    assert masto.status_code == 201, masto.text
    assert mastodon_org.token not in masto.text
    assert masto.json()["capabilities"]["text_limit"] == 500

    created = client.post(
        "/api/v1/posts",
        json={
            "text": "Réouverture de la galerie d'été 🌞 https://musee.example/ete",
            "channels": [bsky.json()["id"], masto.json()["id"]],
        },
        headers=h,
    )
    assert created.status_code == 201, created.text
    StatorRunner(rt.db, list(STATOR_MODELS), services=rt.worker_services()).run_once()
    post = client.get(f"/api/v1/posts/{created.json()['id']}", headers=h).json()
    assert post["state"] == "published", post
    by_kind = {d["channel"]["kind"]: d for d in post["deliveries"]}
    assert by_kind["bluesky"]["remote_id"].startswith("at://")
    assert by_kind["bluesky"]["remote_url"].startswith("https://bsky.app/profile/")
    assert by_kind["mastodon"]["remote_id"]
    assert by_kind["mastodon"]["remote_url"].startswith(mastodon_server.base_url)
