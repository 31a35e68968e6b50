"""On duty: round-robin gives new conversations only to the members, managers and owners
on duty; each person puts themself on or off duty, managers do it for the team."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.team.models import User
from tests import factories as f
from tests.inbox_support import conversations, incoming, store
from tests.integration.api_support import make_team


def _round_robin(client: TestClient, team, cid: int) -> int:  # type: ignore[no-untyped-def]
    resp = client.post(
        f"/api/v1/conversations/{cid}/assign",
        json={"round_robin": True},
        headers=team.auth("manager"),
    )
    assert resp.status_code == 200, resp.text
    return int(resp.json()["assignee"]["id"])


def test_round_robin_skips_people_off_duty(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    with rt.db.transaction() as s:
        for role in ("owner", "manager"):
            s.get(User, team.user_ids[role]).on_duty = False  # type: ignore[union-attr]
    chosen = set()
    for n in range(3):
        store(rt, team.workspace_id, team.channel_ids[0], incoming(f"Question {n} ?"))
        chosen.add(_round_robin(client, team, conversations(rt)[-1][0].id))
    assert chosen == {team.user_ids["member"]}  # the only one on duty
    with rt.db.transaction() as s:
        s.get(User, team.user_ids["manager"]).on_duty = True  # type: ignore[union-attr]
    store(rt, team.workspace_id, team.channel_ids[0], incoming("Encore ?"))
    assert _round_robin(client, team, conversations(rt)[-1][0].id) == team.user_ids["manager"]


@pytest.mark.parametrize("role", f.ROLES)
def test_the_team_page_toggle_for_oneself_and_by_managers(
    rt: Runtime, client: TestClient, role: str
) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner")
        me = owner if role == "owner" else f.user(s, ws, role)
        other = f.user(s, ws, "member")
        ids = (me.id, other.id, me.email)
    f.sign_in(client, ids[2])
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/team").text
    token = f.csrf_of(client, "/team")
    mine = client.post(f"/team/users/{ids[0]}/on-duty", data={"on_duty": "0", "csrf_token": token})
    theirs = client.post(
        f"/team/users/{ids[1]}/on-duty", data={"on_duty": "0", "csrf_token": token}
    )
    with rt.db.transaction(write=False) as s:
        me_now, other_now = s.get(User, ids[0]), s.get(User, ids[1])
        assert me_now is not None and other_now is not None
        assert mine.status_code == 200 and me_now.on_duty is False  # anyone, for themself
        if role in ("owner", "manager"):
            assert theirs.status_code == 200 and other_now.on_duty is False
            assert "Go off duty" in page
        else:
            assert theirs.status_code == 403 and other_now.on_duty is True
    refused = client.post(f"/team/users/{ids[0]}/on-duty", data={"on_duty": "1"})
    assert refused.status_code == 403  # no CSRF token
