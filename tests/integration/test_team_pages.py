"""The team page, the audit log and the settings page, as a person uses them."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select, update

from palabre.core.deps import LANG_COOKIE
from palabre.core.i18n import Translator
from palabre.core.runtime import Runtime
from palabre.publishing import services as publishing
from palabre.team import access
from palabre.team import services as team
from palabre.team.models import ApiToken, User, Workspace
from tests import factories as f


def setup_team(rt: Runtime, client: TestClient, role: str = "manager") -> tuple[User, User]:
    """A workspace with an owner and a person of ``role`` (signed in); returns both."""
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner", email="owner@example.org")
        me = owner if role == "owner" else f.user(s, ws, role, email=f"{role}@example.org")
    f.sign_in(client, me.email)
    client.cookies.set(LANG_COOKIE, "en")  # the assertions read English text
    return owner, me


def submit(client: TestClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": f.csrf_of(client)}, follow_redirects=False)


def person(rt: Runtime, email: str) -> User | None:
    with rt.db.transaction(write=False) as s:
        return s.scalar(select(User).where(User.email == email))


def token_owner(rt: Runtime, token: str) -> User | None:
    with rt.db.transaction(write=False) as s:
        return access.user_for_token(s, token)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# -- the team page ----------------------------------------------------------------------
def test_everyone_sees_the_people_their_roles_and_what_roles_mean(
    rt: Runtime, client: TestClient
) -> None:
    owner, _me = setup_team(rt, client, "viewer")
    with rt.db.transaction() as s:
        ws = s.get(Workspace, owner.workspace_id)
        assert ws is not None
        volunteer = f.user(s, ws, "contributor", email="lucas@example.org")
    page = client.get("/team")
    assert page.status_code == 200
    row = page.text.split(f'id="person-{volunteer.id}"', 1)[1].split("</tr>", 1)[0]
    assert "lucas@example.org" in row and "volunteer" in row and "Contributor" in row
    words = text_of(page.text)
    assert "owner@example.org" in words
    assert "Approves or rejects posts" in words  # what a manager may do
    assert "Reads everything, changes nothing" in words  # what a viewer may do


def test_manager_adds_a_person_with_a_generated_password_shown_once(
    rt: Runtime, client: TestClient
) -> None:
    setup_team(rt, client, "manager")
    r = submit(
        client,
        "/team/users",
        email="Ines@Example.org",
        name="Inès",
        role="contributor",
        password="",
    )
    assert r.status_code == 303 and "done=added" in r.headers["location"]
    page = client.get(r.headers["location"])
    assert "The person was added." in page.text
    password = page.text.split('<code class="secret">', 1)[1].split("</code>", 1)[0]
    assert len(password) >= 16
    assert page.headers["cache-control"] == "no-store"
    # Shown once: reloading the page does not show it again.
    assert password not in client.get("/team").text
    # The person signs in with it, and is a contributor.
    client.cookies.clear()
    f.sign_in(client, "ines@example.org", password)
    assert client.get("/compose").status_code == 200
    assert client.get("/audit").status_code == 403


def test_too_short_password_is_refused_next_to_the_field_and_keeps_what_was_typed(
    rt: Runtime, client: TestClient
) -> None:
    setup_team(rt, client, "manager")
    r = submit(
        client,
        "/team/users",
        email="paul@example.org",
        name="Paul Durand",
        role="member",
        password="short",
    )
    assert r.status_code == 422
    field = r.text.split('id="new-password"', 1)[1].split("</div>", 1)[0]
    assert "at least 10 characters" in field
    assert 'value="paul@example.org"' in r.text and 'value="Paul Durand"' in r.text
    assert '<option value="member" selected>' in r.text
    assert "short" not in r.text.split('id="new-password"', 1)[1].split(">", 1)[0]
    assert person(rt, "paul@example.org") is None


def test_duplicate_email_is_explained(rt: Runtime, client: TestClient) -> None:
    setup_team(rt, client, "manager")
    r = submit(
        client,
        "/team/users",
        email="OWNER@example.org",
        name="Twin",
        role="viewer",
        password="a-long-enough-password",
    )
    assert r.status_code == 409
    field = r.text.split('id="new-email"', 1)[1].split("</div>", 1)[0]
    assert "Someone already uses this email address." in field
    assert 'value="Twin"' in r.text


def test_role_change_and_deactivation(rt: Runtime, client: TestClient) -> None:
    _owner, _me = setup_team(rt, client, "manager")
    with rt.db.transaction() as s:
        ws = s.scalar(select(Workspace))
        assert ws is not None
        nadia = f.user(s, ws, "contributor", email="nadia@example.org")
    r = submit(client, f"/team/users/{nadia.id}/role", role="member")
    assert r.status_code == 303
    assert "The role was changed." in client.get(r.headers["location"]).text
    nadia_now = person(rt, "nadia@example.org")
    assert nadia_now is not None and nadia_now.role == "member"
    r = submit(client, f"/team/users/{nadia.id}/active", active="0")
    page = client.get(r.headers["location"])
    assert "can no longer sign in" in page.text
    row = page.text.split(f'id="person-{nadia.id}"', 1)[1].split("</tr>", 1)[0]
    assert "deactivated" in row and "Reactivate" in row
    client.cookies.clear()
    signin = client.get("/signin")
    csrf = signin.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post(
        "/signin", data={"email": "nadia@example.org", "password": f.PASSWORD, "csrf_token": csrf}
    )
    assert r.status_code == 401


def test_a_manager_cannot_make_an_owner_nor_touch_one(rt: Runtime, client: TestClient) -> None:
    owner, me = setup_team(rt, client, "manager")
    page = client.get("/team")
    assert '<option value="owner"' not in page.text  # not offered
    assert f"/team/users/{owner.id}/role" not in page.text
    r = submit(client, f"/team/users/{me.id}/role", role="owner")
    assert r.status_code == 403
    assert "Only an owner can give or take the owner role." in r.text
    r = submit(client, f"/team/users/{owner.id}/active", active="0")
    assert r.status_code == 403


def test_the_last_owner_cannot_be_demoted_nor_deactivated(rt: Runtime, client: TestClient) -> None:
    owner, _ = setup_team(rt, client, "owner")
    r = submit(client, f"/team/users/{owner.id}/role", role="manager")
    assert r.status_code == 409
    assert '<p class="flash flash-error"' in r.text
    assert "A workspace needs at least one owner." in r.text
    assert "<h1>Team</h1>" in r.text  # the team page again, not a bare error page
    owner_now = person(rt, "owner@example.org")
    assert owner_now is not None and owner_now.role == "owner"
    # With a second owner, the first may step down.
    r = submit(
        client,
        "/team/users",
        email="co@example.org",
        name="Co",
        role="owner",
        password="a-long-enough-password",
    )
    assert r.status_code == 303
    r = submit(client, f"/team/users/{owner.id}/role", role="manager")
    assert r.status_code == 303


# -- the audit log ----------------------------------------------------------------------
def test_audit_log_shows_sign_ins_role_changes_and_approvals(
    rt: Runtime, client: TestClient
) -> None:
    owner, manager = setup_team(rt, client, "manager")
    with rt.db.transaction() as s:
        ws = s.scalar(select(Workspace))
        assert ws is not None
        volunteer = f.user(s, ws, "contributor", email="vol@example.org")
        channel = f.preview_channel(rt, s, ws, owner, name="Mastodon du musée")
        post = f.post(s, ws, volunteer, [channel], text="Vernissage jeudi", intent="submit")
    with rt.db.transaction() as s:
        p = publishing.get_post(s, ws.id, post.id)
        approver = s.get(User, manager.id)
        assert approver is not None
        publishing.approve_post(s, p, actor=approver, comment="Parfait, merci !")
    submit(client, f"/team/users/{volunteer.id}/role", role="member")
    page = client.get("/audit")
    assert page.status_code == 200
    words = text_of(page.text)
    assert f"{manager.name} signed in" in words
    assert (
        f"{manager.name} changed the role of {volunteer.name} from Contributor to Member" in words
    )
    assert f"{manager.name} approved post #{post.id}" in words
    assert "Parfait, merci !" in words  # the comment
    assert f"{owner.name} created channel Mastodon du musée" in words
    # Newest first: the role change comes before the approval.
    assert words.index("changed the role of") < words.index("approved post")
    # Filtered by person and by type.
    only_posts = text_of(client.get("/audit", params={"type": "post"}).text)
    assert "approved post" in only_posts and "signed in" not in only_posts
    only_volunteer = text_of(client.get("/audit", params={"person": volunteer.id}).text)
    assert "submitted post" in only_volunteer and "approved post" not in only_volunteer


def test_audit_log_names_the_worker_palabre_and_pages_back(rt: Runtime, client: TestClient) -> None:
    owner, _manager = setup_team(rt, client, "owner")
    with rt.db.transaction() as s:
        ws = s.scalar(select(Workspace))
        assert ws is not None
        for i in range(60):
            team.set_language(s, owner, "en" if i % 2 == 0 else "fr")
    page = client.get("/audit", params={"person": "palabre"})
    assert "Palabre created the workspace Musée test" in text_of(page.text)
    first = client.get("/audit")
    assert "Older entries" in first.text
    older = first.text.split('rel="next"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    second = client.get(html.unescape(older))
    assert second.status_code == 200
    assert "created the workspace" in second.text and "created the workspace" not in first.text


# -- settings ---------------------------------------------------------------------------
def test_workspace_settings_are_saved_and_shown_read_only_to_others(
    rt: Runtime, client: TestClient
) -> None:
    setup_team(rt, client, "manager")
    page = client.get("/settings")
    tz_select = page.text.split('id="ws-timezone"', 1)[1].split("</select>", 1)[0]
    assert (
        tz_select.index("Europe/Paris")
        < tz_select.index("Africa/Dakar")
        < tz_select.index("Asia/Tokyo")
    )
    r = submit(
        client,
        "/settings/workspace",
        name="Office de tourisme",
        timezone="Indian/Reunion",
        language="en",
    )
    assert r.status_code == 303
    saved = client.get(r.headers["location"])
    assert "The workspace settings were saved." in saved.text
    assert '<option value="Indian/Reunion" selected>' in saved.text
    bad = submit(client, "/settings/workspace", name="", timezone="Mars/Olympus", language="en")
    assert bad.status_code == 422
    assert (
        "Give the workspace a name." in bad.text and "Unknown time zone: Mars/Olympus" in bad.text
    )


def test_viewer_reads_workspace_settings_without_a_form(rt: Runtime, client: TestClient) -> None:
    setup_team(rt, client, "viewer")
    page = client.get("/settings")
    assert "Musée test" in page.text and "Europe/Paris" in page.text
    assert 'name="timezone"' not in page.text
    assert (
        submit(client, "/settings/workspace", name="X", timezone="UTC", language="fr").status_code
        == 403
    )


def test_language_switch_to_english(rt: Runtime, client: TestClient) -> None:
    _owner, me = setup_team(rt, client, "contributor")
    with rt.db.transaction() as s:
        s.execute(update(User).where(User.id == me.id).values(language=None))
    client.cookies.delete(LANG_COOKIE)
    assert '<html lang="fr">' in client.get("/settings").text  # the workspace's language
    r = submit(client, "/settings/language", language="en")
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert '<html lang="en">' in page.text
    assert "Your language was saved." in page.text
    assert (
        "Personal API tokens" in page.text and "What each role may do" in client.get("/team").text
    )
    saved = person(rt, me.email)
    assert saved is not None and saved.language == "en"
    # Back to French: the page is French again (translated wherever the catalogue has it).
    submit(client, "/settings/language", language="fr")
    french = client.get("/settings").text
    assert '<html lang="fr">' in french
    assert str(escape(Translator("fr").gettext("Personal API tokens"))) in french
    assert submit(client, "/settings/language", language="xx").status_code == 422


def test_api_token_is_shown_once_works_and_can_be_revoked(rt: Runtime, client: TestClient) -> None:
    _owner, _me = setup_team(rt, client, "viewer")
    r = submit(client, "/settings/tokens", name="Script du site")
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    token = page.text.split('<code class="secret">', 1)[1].split("</code>", 1)[0]
    assert token.startswith("plb_")
    assert f"Authorization: Bearer {token}" in page.text
    assert token not in client.get("/settings").text  # shown only once
    listing = client.get("/settings").text
    assert "Script du site" in listing and "never" in listing
    # A viewer's token is a working token, until it is revoked.
    assert token_owner(rt, token) is not None
    with rt.db.transaction(write=False) as s:
        token_id = s.scalar(select(ApiToken.id).where(ApiToken.name == "Script du site"))
    r = submit(client, f"/settings/tokens/{token_id}/revoke")
    assert "no longer works" in client.get(r.headers["location"]).text
    assert token_owner(rt, token) is None
    empty = submit(client, "/settings/tokens", name="  ")
    assert empty.status_code == 422 and "Give the token a name" in empty.text


def test_nobody_revokes_someone_elses_token_from_another_workspace(
    rt: Runtime, client: TestClient
) -> None:
    setup_team(rt, client, "member")
    with rt.db.transaction() as s:
        other_ws = f.workspace(s, name="Autre")
        stranger = f.user(s, other_ws, "owner")
        colleague_ws = s.scalar(select(Workspace).where(Workspace.name == "Musée test"))
        assert colleague_ws is not None
        colleague = f.user(s, colleague_ws, "member")
        f.token(s, stranger)
        f.token(s, colleague)
        ids = {row.user_id: row.id for row in s.scalars(select(ApiToken))}
    assert submit(client, f"/settings/tokens/{ids[stranger.id]}/revoke").status_code == 404
    assert submit(client, f"/settings/tokens/{ids[colleague.id]}/revoke").status_code == 403


def test_token_last_use_is_shown(rt: Runtime, client: TestClient) -> None:
    _owner, me = setup_team(rt, client, "member")
    with rt.db.transaction() as s:
        token = f.token(s, me)
    assert "never" in client.get("/settings").text
    assert client.get("/api/v1/me", headers=f.bearer(token)).status_code == 200
    row = client.get("/settings").text.split('data-label="Last used">', 1)[1].split("<", 1)[0]
    assert "never" not in row and "/" in row  # a date, in the workspace's timezone
