"""Cached calendar and approval pages are never stale, and never someone else's."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.core.timeutil import utc_to_local
from palabre.publishing import services
from palabre.publishing.models import Delivery, Post, PostState
from palabre.stator import StatorRunner
from palabre.team.models import User, Workspace
from tests import factories as f

TZ = "Europe/Paris"


def scene(rt: Runtime) -> dict[str, object]:
    with rt.db.transaction() as s:
        ws = f.workspace(s, tz=TZ)
        owner = f.user(s, ws, "owner")
        people = {role: f.user(s, ws, role).email for role in ("manager", "viewer", "member")}
        french = f.user(s, ws, "manager", language="fr").email
        channel = f.preview_channel(rt, s, ws, owner)
        when = utcnow() + timedelta(hours=2)
        post = f.post(s, ws, owner, [channel], text="Vernissage jeudi", when=when)
        proposal = f.post(s, ws, owner, [channel], text="Atelier poterie", intent="submit")
        return {
            "ws": ws.id,
            "owner": owner.id,
            "post": post.id,
            "proposal": proposal.id,
            "day": utc_to_local(when, TZ).date(),
            "french": french,
            **people,
        }


def day_url(day: date) -> str:
    return f"/calendar?view=day&date={day.isoformat()}"


def edit_text(rt: Runtime, post_id: int, owner_id: int, text: str) -> None:
    with rt.db.transaction() as s:
        post = s.get(Post, post_id)
        owner = s.get(User, owner_id)
        assert post is not None and owner is not None
        draft = services.draft_of(post)
        draft.text = text
        services.update_post(s, post, draft, version=post.version, actor=owner, intent="keep")


def test_a_change_through_the_services_shows_at_once(rt: Runtime, client: TestClient) -> None:
    sc = scene(rt)
    f.sign_in(client, str(sc["manager"]))
    url = day_url(sc["day"])  # type: ignore[arg-type]
    assert "Vernissage jeudi" in client.get(url).text
    assert "Vernissage jeudi" in client.get(url).text  # served from the cache
    edit_text(rt, sc["post"], sc["owner"], "Vernissage vendredi")  # type: ignore[arg-type]
    page = client.get(url).text
    assert "Vernissage vendredi" in page and "Vernissage jeudi" not in page


def test_a_change_through_the_api_shows_at_once(rt: Runtime, client: TestClient) -> None:
    sc = scene(rt)
    with rt.db.transaction() as s:
        tok = f.token(s, s.get(User, sc["owner"]))  # type: ignore[arg-type]
    f.sign_in(client, str(sc["manager"]))
    assert "Atelier poterie" in client.get("/approvals").text
    with rt.db.transaction(write=False) as s:
        version = s.scalar(select(Post.version).where(Post.id == sc["proposal"]))
    resp = client.patch(
        f"/api/v1/posts/{sc['proposal']}",
        json={"text": "Atelier céramique", "version": version},
        headers=f.bearer(tok),
    )
    assert resp.status_code == 200, resp.text
    page = client.get("/approvals").text
    assert "Atelier céramique" in page and "Atelier poterie" not in page


def test_the_worker_settling_a_post_updates_the_calendar(rt: Runtime, client: TestClient) -> None:
    sc = scene(rt)
    f.sign_in(client, str(sc["manager"]))
    url = day_url(sc["day"])  # type: ignore[arg-type]
    assert "state-scheduled" in client.get(url).text.split('class="legend"')[1]
    with rt.db.transaction() as s:  # due now
        s.execute(update(Post).where(Post.id == sc["post"]).values(scheduled_at=utcnow()))
        s.execute(update(Delivery).values(next_attempt_at=utcnow()))
    url = day_url(utc_to_local(utcnow(), TZ).date())
    assert 'cal-post state-scheduled"' in client.get(url).text  # cached as scheduled
    runner = StatorRunner(rt.db, [Delivery], services=rt.worker_services())
    runner.run_until_idle(now=utcnow() + timedelta(seconds=1))
    with rt.db.transaction(write=False) as s:
        assert s.scalar(select(Post.state).where(Post.id == sc["post"])) == PostState.published
    page = client.get(url).text
    assert 'cal-post state-published"' in page and 'cal-post state-scheduled"' not in page


def test_roles_and_languages_do_not_share_their_pages(rt: Runtime, client: TestClient) -> None:
    sc = scene(rt)
    url = day_url(sc["day"])  # type: ignore[arg-type]
    pages = {}
    for who in ("manager", "viewer", "french", "member"):
        client.cookies.clear()
        f.sign_in(client, str(sc[who]))
        pages[who] = (client.get(url).text, client.get("/approvals").text)
    assert 'draggable="true"' in pages["manager"][0]
    assert 'draggable="true"' not in pages["viewer"][0]  # not the manager's cached page
    assert 'draggable="true"' not in pages["member"][0]  # not the author: cannot move it
    assert "Approve" in pages["manager"][1] and "Approve" not in pages["viewer"][1]
    assert "Renvoyer à l" in pages["french"][1] and "Send back" not in pages["french"][1]
    assert "Calendrier" in pages["french"][0] and "Calendrier" not in pages["manager"][0]


def test_each_reader_gets_their_own_csrf_token(rt: Runtime, client: TestClient) -> None:
    sc = scene(rt)
    tokens = []
    for who in ("manager", "owner_email"):
        client.cookies.clear()
        email = sc["manager"] if who == "manager" else _email(rt, sc["owner"])  # type: ignore[arg-type]
        f.sign_in(client, str(email))
        page = client.get("/approvals").text
        token = f.csrf_of(client, "/approvals")
        assert f'name="csrf_token" value="{token}"' in page  # in the review forms
        assert "csrf-slot-" not in page
        tokens.append(token)
    assert tokens[0] != tokens[1]


def _email(rt: Runtime, user_id: int) -> str:
    with rt.db.transaction(write=False) as s:
        return str(s.scalar(select(User.email).where(User.id == user_id)))


def test_a_change_rolled_back_bumps_nothing_and_a_commit_bumps_once(rt: Runtime) -> None:
    sc = scene(rt)

    def version() -> int:
        with rt.db.transaction(write=False) as s:
            return int(s.scalar(select(Workspace.content_version).where(Workspace.id == sc["ws"])))

    before = version()
    with rt.db.session() as s:
        post = s.get(Post, sc["post"])
        assert post is not None
        post.text = "jamais"
        s.flush()
        s.rollback()
    assert version() == before
    edit_text(rt, sc["post"], sc["owner"], "Une fois")  # type: ignore[arg-type]
    assert version() == before + 1


def test_a_channels_health_keeps_the_pages_and_its_name_changes_them(rt: Runtime) -> None:
    from palabre.channels import services as channels
    from palabre.channels.base import RateLimit
    from palabre.channels.models import Channel

    sc = scene(rt)

    def version() -> int:
        with rt.db.transaction(write=False) as s:
            return int(s.scalar(select(Workspace.content_version).where(Workspace.id == sc["ws"])))

    with rt.db.transaction(write=False) as s:
        channel_id = s.scalars(select(Channel.id)).one()
    before = version()
    with rt.db.transaction() as s:  # what the worker writes after each call to a network
        channels.record_success(s, channel_id)
        channels.record_rate_limit(s, channel_id, RateLimit(300, 120, utcnow()))
        channels.record_error(s, channel_id, "503", needs_reconnect=False)
    assert version() == before
    with rt.db.transaction() as s:
        channel = s.get(Channel, channel_id)
        assert channel is not None
        channel.name = "Mastodon du musée"
    assert version() == before + 1
