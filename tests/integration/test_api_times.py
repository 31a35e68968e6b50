"""Times through the API: a time without an offset is read in the workspace's zone
(core.timeutil.local_to_utc: a time skipped in spring is moved forward by the gap, a
repeated one in autumn is the first of the two); one with an offset is converted; every
time comes back in UTC with its offset, and in the workspace's zone."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from palabre.core.runtime import Runtime
from tests.integration.api_support import make_team


@pytest.mark.parametrize(
    ("sent", "utc", "local"),
    [
        # Winter (CET, +01:00) and summer (CEST, +02:00).
        ("2027-01-15T09:00", "2027-01-15T08:00:00+00:00", "2027-01-15T09:00:00+01:00"),
        ("2027-07-15T09:00", "2027-07-15T07:00:00+00:00", "2027-07-15T09:00:00+02:00"),
        # 28 March 2027: clocks jump from 02:00 to 03:00. 02:30 does not exist in Paris:
        # it is read with the offset before the change, i.e. 01:30 UTC = 03:30 local.
        ("2027-03-28T02:30", "2027-03-28T01:30:00+00:00", "2027-03-28T03:30:00+02:00"),
        ("2027-03-28T03:30", "2027-03-28T01:30:00+00:00", "2027-03-28T03:30:00+02:00"),
        ("2027-03-28T01:59", "2027-03-28T00:59:00+00:00", "2027-03-28T01:59:00+01:00"),
        # 31 October 2027: 02:00–03:00 happens twice; the first (still +02:00) is taken.
        ("2027-10-31T02:30", "2027-10-31T00:30:00+00:00", "2027-10-31T02:30:00+02:00"),
        # With an offset, or Z: converted, the workspace zone plays no part.
        ("2027-03-28T02:30:00-04:00", "2027-03-28T06:30:00+00:00", "2027-03-28T08:30:00+02:00"),
        ("2027-06-01T10:00:00Z", "2027-06-01T10:00:00+00:00", "2027-06-01T12:00:00+02:00"),
    ],
)
def test_naive_times_are_read_in_the_workspace_zone_across_dst(
    rt: Runtime, client: TestClient, sent: str, utc: str, local: str
) -> None:
    team = make_team(rt)
    resp = client.post(
        "/api/v1/posts",
        json={"text": "Heure", "channels": team.channel_ids, "scheduled_at": sent},
        headers=team.auth("manager"),
    )
    assert resp.status_code == 201, resp.text
    post = resp.json()
    assert post["scheduled_at"] == utc
    assert post["scheduled_at_local"] == local
    # The delivery is due at that very instant.
    assert post["deliveries"][0]["next_attempt_at"] == utc
    seen = client.get(f"/api/v1/posts/{post['id']}", headers=team.auth("viewer")).json()
    assert seen["scheduled_at"] == utc


def test_an_edit_moves_the_post_and_its_deliveries(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    post = client.post(
        "/api/v1/posts",
        json={"text": "Visite", "channels": team.channel_ids, "scheduled_at": "2027-03-27T10:00"},
        headers=team.auth("member"),
    ).json()
    resp = client.patch(
        f"/api/v1/posts/{post['id']}",
        json={"scheduled_at": "2027-03-28T10:00", "version": post["version"]},
        headers=team.auth("member"),
    )
    assert resp.status_code == 200, resp.text
    # Same wall-clock time the next day, but an hour less in UTC: summer time began.
    assert resp.json()["scheduled_at"] == "2027-03-28T08:00:00+00:00"
    assert resp.json()["deliveries"][0]["next_attempt_at"] == "2027-03-28T08:00:00+00:00"
    assert resp.json()["text"] == "Visite"  # fields not sent are kept


def test_absent_time_means_now_and_null_clears_it(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    post = client.post(
        "/api/v1/posts",
        json={
            "text": "Tout de suite",
            "channels": team.channel_ids,
            "draft": True,
            "scheduled_at": "2031-02-02T10:00",
        },
        headers=team.auth("member"),
    ).json()
    assert post["state"] == "draft"
    resp = client.patch(
        f"/api/v1/posts/{post['id']}",
        json={"scheduled_at": None, "version": post["version"]},
        headers=team.auth("member"),
    )
    assert resp.json()["scheduled_at"] is None and resp.json()["scheduled_at_local"] is None


def test_me_tells_the_workspace_zone(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    me = client.get("/api/v1/me", headers=team.auth("contributor")).json()
    assert me["workspace"]["timezone"] == "Europe/Paris"
    assert me["role"] == "contributor"
    assert me["id"] == team.user_ids["contributor"]
    assert me["can_publish"] is False and me["can_approve"] is False
    assert set(me) == {
        "id",
        "email",
        "name",
        "role",
        "language",
        "workspace",
        "can_publish",
        "can_approve",
    }
    boss = client.get("/api/v1/me", headers=team.auth("manager")).json()
    assert boss["can_publish"] is True and boss["can_approve"] is True
