"""Every page and every team/channel/settings form, for each of the five roles:
what a role may open or do works, the rest is refused with 403 and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.channels.models import Channel
from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.team.models import ApiToken, AuditEntry, User
from tests import factories as f

MANAGERS = {"owner", "manager"}
# GET page -> the roles refused (403); everyone else gets 200.
PAGES = {
    "/": set(),
    "/compose": {"viewer"},
    "/calendar": set(),
    "/approvals": set(),
    "/posts": set(),
    "/channels": set(),
    "/channels/new": {"member", "contributor", "viewer"},
    "/sources": set(),
    "/sources/new": {"contributor", "viewer"},
    "/team": set(),
    "/audit": {"member", "contributor", "viewer"},
    "/settings": set(),
    "/settings/triage": set(),
    "/settings/inbox": set(),
}


@dataclass
class Scene:
    me: User
    target: User  # a contributor others may manage
    channel: Channel
    token_id: int


def make_scene(rt: Runtime, client: TestClient, role: str) -> Scene:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner")
        me = owner if role == "owner" else f.user(s, ws, role)
        target = f.user(s, ws, "contributor")
        channel = f.preview_channel(rt, s, ws, owner)
        f.token(s, me)
        token_id = s.scalar(select(ApiToken.id).where(ApiToken.user_id == me.id))
        assert token_id is not None
    f.sign_in(client, me.email)
    client.cookies.set(LANG_COOKIE, "en")
    return Scene(me, target, channel, token_id)


def count(rt: Runtime, model: type) -> int:
    with rt.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("role", f.ROLES)
def test_every_page_opens_or_is_refused_by_role(rt: Runtime, client: TestClient, role: str) -> None:
    make_scene(rt, client, role)
    for path, refused in PAGES.items():
        response = client.get(path)
        expected = 403 if role in refused else 200
        assert response.status_code == expected, (role, path, response.text[:300])
        assert "Traceback" not in response.text


@pytest.mark.parametrize("role", f.ROLES)
def test_forms_of_team_channels_and_settings_by_role(
    rt: Runtime, client: TestClient, role: str
) -> None:
    scene = make_scene(rt, client, role)
    csrf = f.csrf_of(client)
    allowed = role in MANAGERS
    cid, tid = scene.channel.id, scene.target.id
    manager_forms = [
        ("/team/users", {"email": "new@example.org", "name": "New", "role": "viewer"}),
        (f"/team/users/{tid}/role", {"role": "member"}),
        (f"/team/users/{tid}/active", {"active": "0"}),
        (
            "/settings/workspace",
            {"name": "Renamed", "timezone": "Europe/Brussels", "language": "fr"},
        ),
        ("/channels", {"kind": "preview", "name": "Bluesky test", "settings.imitates": "bluesky"}),
        (f"/channels/{cid}/pause", {}),
        (f"/channels/{cid}/resume", {}),
    ]
    everyone_forms = [
        ("/settings/language", {"language": "en"}),
        ("/settings/tokens", {"name": "script"}),
        (f"/settings/tokens/{scene.token_id}/revoke", {}),
    ]
    audit_before = count(rt, AuditEntry)
    users_before, channels_before = count(rt, User), count(rt, Channel)
    for path, data in manager_forms:
        r = client.post(path, data={**data, "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == (303 if allowed else 403), (role, path, r.text[:300])
    if allowed:
        assert count(rt, User) == users_before + 1
        assert count(rt, Channel) == channels_before + 1
    else:
        # Refused forms changed nothing at all.
        assert (count(rt, User), count(rt, Channel)) == (users_before, channels_before)
        assert count(rt, AuditEntry) == audit_before
    for path, data in everyone_forms:
        r = client.post(path, data={**data, "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303, (role, path, r.text[:300])
        assert "?done=" in r.headers["location"]


@pytest.mark.parametrize("role", f.ROLES)
def test_buttons_are_shown_only_to_those_allowed(
    rt: Runtime, client: TestClient, role: str
) -> None:
    scene = make_scene(rt, client, role)
    team = client.get("/team").text
    channels = client.get("/channels").text
    channel = client.get(f"/channels/{scene.channel.id}").text
    settings = client.get("/settings").text
    nav = client.get("/").text
    manager = role in MANAGERS
    assert ("testserver/team/users#add-person" in team) is manager
    assert (f"/team/users/{scene.target.id}/role" in team) is manager
    assert ("/channels/new" in channels) is manager
    assert (f"/channels/{scene.channel.id}/pause" in channel) is manager
    assert ("/settings/workspace" in settings) is manager
    assert ('href="http://testserver/audit"' in nav) is manager
    # The menu (grouped in sections) keeps each page's role condition: no Compose for
    # viewers, no Audit log below managers.
    menu = nav.split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert ('href="http://testserver/compose"' in menu) is (role != "viewer")
    assert (">Compose<" in menu) is (role != "viewer")
    assert ('href="http://testserver/audit"' in menu) is manager
    assert (">Audit log<" in menu) is manager
    assert 'href="http://testserver/calendar"' in menu and 'aria-controls="nav-publish"' in menu
    # Everyone chooses a language and may hold API tokens (viewers: read-only ones).
    assert "/settings/language" in settings and "/settings/tokens" in settings


def test_forms_without_csrf_token_are_refused(rt: Runtime, client: TestClient) -> None:
    scene = make_scene(rt, client, "owner")
    for path in [
        "/team/users",
        f"/team/users/{scene.target.id}/active",
        "/settings/tokens",
        f"/channels/{scene.channel.id}/pause",
    ]:
        r = client.post(path, data={"email": "x@example.org", "active": "0", "name": "x"})
        assert r.status_code == 403, path
    assert count(rt, User) == 2  # nothing was added
