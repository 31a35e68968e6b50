"""The publishing pages as a person uses them: compose, approve, reject, edit, retry, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.channels.models import Channel
from palabre.channels.preview.models import PreviewRecord
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.core.timeutil import utc_to_local
from palabre.publishing.models import Delivery, Post, PostState
from palabre.team.models import User, Workspace
from palabre.worker import build_runner
from tests import factories as f

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@dataclass
class Team:
    ws_id: int
    emails: dict[str, str]
    masto: int
    bsky: int


def make_team(rt: Runtime) -> Team:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        people = {role: f.user(s, ws, role) for role in f.ROLES}
        masto = f.preview_channel(rt, s, ws, people["owner"], name="Masto test")
        bsky = f.preview_channel(rt, s, ws, people["owner"], name="Bsky test", imitates="bluesky")
        return Team(ws.id, {r: u.email for r, u in people.items()}, masto.id, bsky.id)


def login(client: TestClient, team: Team, role: str) -> str:
    f.sign_in(client, team.emails[role])
    return f.csrf_of(client)


def local_input(when: datetime) -> str:
    return utc_to_local(when, "Europe/Paris").strftime("%Y-%m-%dT%H:%M")


def compose(client: TestClient, csrf: str, **fields: Any) -> Any:
    data: dict[str, Any] = {"csrf_token": csrf, "text": "Bonjour", "action": "draft"}
    data.update({k: v for k, v in fields.items() if k != "files"})
    return client.post(
        "/compose", data=data, files=fields.get("files") or None, follow_redirects=False
    )


def only_post(rt: Runtime) -> Post:
    with rt.db.transaction(write=False) as s:
        post = s.scalars(select(Post)).one()
        _ = post.variants, post.deliveries, post.images
        return post


def test_composing_for_two_channels_schedules_one_delivery_per_channel(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    csrf = login(client, team, "member")
    page = client.get("/compose")
    assert page.status_code == 200
    # Each channel carries its counting rule and limit for the live counter.
    assert f'data-channel="{team.bsky}" data-rule="graphemes"' in page.text
    assert 'data-limit="300"' in page.text and 'data-limit="500"' in page.text
    when = utcnow() + timedelta(days=2)
    resp = compose(
        client,
        csrf,
        text="Visite guidée dimanche https://example.org/agenda",
        channels=[str(team.masto), str(team.bsky)],
        **{f"variant_{team.bsky}": "Dimanche : visite guidée 🎨"},
        scheduled_at=local_input(when),
        action="schedule",
    )
    assert resp.status_code == 303, resp.text
    assert "done=scheduled" in resp.headers["location"]
    post = only_post(rt)
    assert post.state == PostState.scheduled
    assert post.scheduled_at == when.replace(second=0, microsecond=0)
    assert post.text_for(team.bsky) == "Dimanche : visite guidée 🎨"
    assert post.text_for(team.masto).startswith("Visite guidée")
    assert sorted(d.channel_id for d in post.deliveries) == sorted([team.masto, team.bsky])
    shown = client.get(resp.headers["location"])
    assert "Scheduled. It will be published at the chosen time." in shown.text
    assert "Masto test" in shown.text and "Bsky test" in shown.text
    assert "Dimanche : visite guidée 🎨" in shown.text


def test_a_volunteer_proposes_a_manager_approves_and_the_worker_publishes(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    csrf = login(client, team, "contributor")
    page = client.get("/compose")
    assert 'value="schedule"' not in page.text  # a volunteer cannot schedule
    resp = compose(
        client,
        csrf,
        text="Quiz du vendredi ! #patrimoine",
        channels=[str(team.masto), str(team.bsky)],
        action="submit",
    )
    assert resp.status_code == 303
    post_id = only_post(rt).id
    assert only_post(rt).state == PostState.awaiting_approval
    queue = client.get("/approvals")
    assert "Quiz du vendredi" in queue.text
    assert "Approve" not in queue.text  # read-only for a volunteer

    csrf = login(client, team, "manager")
    queue = client.get("/approvals")
    assert "Quiz du vendredi" in queue.text and "Approve" in queue.text
    resp = client.post(
        f"/posts/{post_id}/approve",
        data={"csrf_token": csrf, "comment": "Parfait", "origin": "approvals"},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and "/approvals?done=approved" in resp.headers["location"]
    assert "Approved: the post is scheduled." in client.get(resp.headers["location"]).text
    assert only_post(rt).state == PostState.scheduled

    build_runner(rt).run_until_idle()
    assert only_post(rt).state == PostState.published
    with rt.db.transaction(write=False) as s:
        texts = s.scalars(select(PreviewRecord.text)).all()
    assert texts == ["Quiz du vendredi ! #patrimoine"] * 2
    detail = client.get(f"/posts/{post_id}")
    assert "What would have been published" in detail.text
    assert detail.text.count("Quiz du vendredi ! #patrimoine") >= 3  # text + 2 records
    assert "approved it" in detail.text and "published it" in detail.text


def test_rejecting_needs_a_comment_and_the_author_reads_it(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    csrf = login(client, team, "contributor")
    compose(client, csrf, text="Proposition", channels=[str(team.masto)], action="submit")
    post_id = only_post(rt).id

    csrf = login(client, team, "manager")
    empty = client.post(
        f"/posts/{post_id}/reject",
        data={"csrf_token": csrf, "comment": "  ", "origin": "approvals"},
    )
    assert empty.status_code == 422
    assert f'id="comment_{post_id}-error"' in empty.text
    assert "Tell the author why" in empty.text
    assert only_post(rt).state == PostState.awaiting_approval
    resp = client.post(
        f"/posts/{post_id}/reject",
        data={"csrf_token": csrf, "comment": "Ajoutez l'horaire, svp.", "origin": "post"},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and f"/posts/{post_id}?done=rejected" in resp.headers["location"]

    login(client, team, "contributor")
    page = client.get(f"/posts/{post_id}")
    assert "Sent back by" in page.text
    assert "Ajoutez l&#39;horaire, svp." in page.text
    assert only_post(rt).state == PostState.draft
    assert f"/posts/{post_id}/submit" in page.text  # they may fix it and submit again


def test_a_text_too_long_for_bluesky_is_refused_next_to_the_field_and_kept(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    csrf = login(client, team, "member")
    text = "👍🏽" * 301  # 301 graphemes, 602 code points
    when = local_input(utcnow() + timedelta(days=1))
    resp = compose(
        client,
        csrf,
        text=text,
        channels=[str(team.bsky), str(team.masto)],
        **{f"variant_{team.masto}": "Version Mastodon"},
        scheduled_at=when,
        action="schedule",
    )
    assert resp.status_code == 422
    body = resp.text
    error = body.split('id="text-error">', 1)[1].split("</p>", 1)[0]
    assert "Too long for Bsky test: 301 characters, the limit is 300." in error
    assert text in body  # what was typed is kept
    assert "Version Mastodon" in body
    assert f'value="{when}"' in body
    assert f'value="{team.bsky}" checked' in body and f'value="{team.masto}" checked' in body
    with rt.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Post)) == 0
    # 300 graphemes are fine.
    ok = compose(client, csrf, text="👍🏽" * 300, channels=[str(team.bsky)], action="schedule")
    assert ok.status_code == 303


def test_an_image_needs_its_alternative_text(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    csrf = login(client, team, "member")
    image = {"image_0": ("affiche.png", PNG, "image/png")}
    stored_before = len(list(rt.media_dir.glob("*"))) if rt.media_dir.exists() else 0
    resp = compose(
        client, csrf, text="Affiche", channels=[str(team.masto)], action="schedule", files=image
    )
    assert resp.status_code == 422
    assert 'id="alt_0-error"' in resp.text and "alternative text is required" in resp.text
    assert "choose them again" in resp.text  # files cannot be kept by a browser
    stored_after = len(list(rt.media_dir.glob("*"))) if rt.media_dir.exists() else 0
    assert stored_after == stored_before  # a refused form leaves no file behind

    resp = compose(
        client,
        csrf,
        text="Affiche",
        channels=[str(team.masto)],
        action="schedule",
        alt_0="Affiche de l'exposition Turner, ciel orangé",
        files=image,
    )
    assert resp.status_code == 303
    post = only_post(rt)
    assert [i.alt_text for i in post.images] == ["Affiche de l'exposition Turner, ciel orangé"]
    page = client.get(f"/posts/{post.id}")
    src = f"/posts/{post.id}/images/{post.images[0].id}"
    assert src in page.text
    served = client.get(src)
    assert served.status_code == 200 and served.content == PNG
    build_runner(rt).run_until_idle()
    with rt.db.transaction(write=False) as s:
        record = s.scalars(select(PreviewRecord)).one()
    assert record.attachments[0]["alt_text"] == "Affiche de l'exposition Turner, ciel orangé"


def test_not_an_image_is_refused(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    csrf = login(client, team, "member")
    resp = compose(
        client,
        csrf,
        channels=[str(team.masto)],
        alt_0="x",
        files={"image_0": ("virus.exe", b"MZ\x90\x00", "image/png")},
    )
    assert resp.status_code == 422 and 'id="image_0-error"' in resp.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"scheduled_at": "2020-01-01T10:00"}, "scheduled_at", "This time is in the past"),
        ({"scheduled_at": "demain"}, "scheduled_at", "Enter a date and a time"),
        ({"channels": ["999999"]}, "channels", "Unknown channel: 999999"),
        ({"channels": ["abc"]}, "channels", "Unknown channel: abc"),
        ({"channels": []}, "channels", "Choose at least one channel."),
    ],
)
def test_wrong_values_are_refused_with_the_reason(
    rt: Runtime, client: TestClient, fields: dict[str, Any], field: str, message: str
) -> None:
    team = make_team(rt)
    csrf = login(client, team, "member")
    data = {"channels": [str(team.masto)], "action": "schedule", **fields}
    resp = compose(client, csrf, text="Texte gardé", **data)
    assert resp.status_code == 422
    assert message in resp.text.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert "Texte gardé" in resp.text


def test_two_edits_from_the_same_copy_the_second_is_refused(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    csrf = login(client, team, "manager")
    compose(client, csrf, text="Version 1", channels=[str(team.masto)])
    post = only_post(rt)
    form = client.get(f"/posts/{post.id}/edit").text
    version = form.split('name="version" value="', 1)[1].split('"', 1)[0]
    base = {"csrf_token": csrf, "channels": [str(team.masto)], "version": version}
    first = client.post(
        f"/posts/{post.id}/edit",
        data={**base, "text": "Hugo's version", "action": "keep"},
        follow_redirects=False,
    )
    assert first.status_code == 303 and "done=saved" in first.headers["location"]
    second = client.post(
        f"/posts/{post.id}/edit", data={**base, "text": "Nadia's version", "action": "keep"}
    )
    assert second.status_code == 409
    assert "Someone changed this post while you were editing it" in second.text
    assert "Nadia&#39;s version" in second.text  # kept so it can be copied
    assert only_post(rt).text == "Hugo's version"


def test_a_failed_delivery_can_be_retried_and_a_post_cancelled(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    csrf = login(client, team, "member")
    compose(client, csrf, text="Atelier", channels=[str(team.masto)], action="schedule")
    build_runner(rt).run_until_idle()
    with rt.db.transaction() as s:
        post = s.scalars(select(Post)).one()
        delivery = post.deliveries[0]
        delivery.state, delivery.last_error, post.state = "failed", "HTTP 503 du réseau", "failed"
        delivery_id, post_id = delivery.id, post.id
    dashboard = client.get("/")
    assert (
        "HTTP 503 du réseau" in dashboard.text
        and f"/deliveries/{delivery_id}/retry" in dashboard.text
    )
    page = client.get(f"/posts/{post_id}")
    assert "HTTP 503 du réseau" in page.text and "Retry" in page.text
    resp = client.post(
        f"/deliveries/{delivery_id}/retry", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert resp.status_code == 303 and "done=retried" in resp.headers["location"]
    with rt.db.transaction(write=False) as s:
        delivery_row = s.get(Delivery, delivery_id)
        assert delivery_row is not None and delivery_row.state == "scheduled"
    build_runner(rt).run_until_idle()
    assert only_post(rt).state == PostState.published

    compose(client, csrf, text="À annuler", channels=[str(team.masto)], action="draft")
    with rt.db.transaction(write=False) as s:
        draft_id = s.scalar(select(Post.id).where(Post.text == "À annuler"))
    resp = client.post(
        f"/posts/{draft_id}/cancel", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert resp.status_code == 303
    assert "The post is cancelled" in client.get(resp.headers["location"]).text


def test_the_posts_list_filters_by_state_and_pages(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    with rt.db.transaction() as s:
        from palabre.team.models import User

        author = s.scalars(select(User).where(User.email == team.emails["member"])).one()
        from palabre.channels.models import Channel

        channel = s.get(Channel, team.masto)
        assert channel is not None
        ws = author.workspace
        for i in range(35):
            f.post(s, ws, author, [channel], text=f"Brouillon {i:02d}", intent="draft")
        f.post(s, ws, author, [channel], text="Programmé", when=utcnow() + timedelta(days=1))
    login(client, team, "viewer")
    drafts = client.get("/posts?state=draft")
    assert "Brouillon 34" in drafts.text and "Programmé" not in drafts.text
    assert "Brouillon 04" not in drafts.text  # on the next page
    older = drafts.text.split("before_id=", 1)[1].split('"', 1)[0]
    more = client.get(f"/posts?state=draft&before_id={older}")
    assert "Brouillon 04" in more.text and "Brouillon 34" not in more.text
    assert "Programmé" in client.get("/posts?state=scheduled").text


def test_a_viewer_reads_everything_and_changes_nothing(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    csrf = login(client, team, "contributor")
    compose(client, csrf, text="Proposition", channels=[str(team.masto)], action="submit")
    post_id = only_post(rt).id
    with rt.db.transaction() as s:
        post = s.get(Post, post_id)
        assert post is not None
        s.add(Delivery(post_id=post_id, channel_id=team.bsky, state="failed", attempts=1))
    with rt.db.transaction(write=False) as s:
        delivery_id = s.scalar(select(Delivery.id))

    csrf = login(client, team, "viewer")
    for path in [
        "/",
        "/calendar",
        "/calendar?view=month",
        "/approvals",
        "/posts",
        f"/posts/{post_id}",
    ]:
        page = client.get(path)
        assert page.status_code == 200, path
        for action in ("/approve", "/reject", "/submit", "/schedule", "/cancel", "/retry", "/edit"):
            assert f'{action}"' not in page.text, (path, action)
        assert "draggable" not in page.text
    assert client.get("/compose").status_code == 403
    assert client.get(f"/posts/{post_id}/edit").status_code == 403
    posts = [
        "/compose",
        f"/posts/{post_id}/edit",
        f"/posts/{post_id}/approve",
        f"/posts/{post_id}/reject",
        f"/posts/{post_id}/submit",
        f"/posts/{post_id}/schedule",
        f"/posts/{post_id}/cancel",
        f"/deliveries/{delivery_id}/retry",
        "/calendar/move",
    ]
    for path in posts:
        resp = client.post(
            path,
            data={
                "csrf_token": csrf,
                "text": "x",
                "comment": "x",
                "post_id": str(post_id),
                "date": "2030-01-01",
            },
        )
        assert resp.status_code == 403, path
    assert only_post(rt).state == PostState.awaiting_approval


def test_a_volunteer_cannot_schedule_nor_approve(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    csrf = login(client, team, "contributor")
    resp = compose(client, csrf, channels=[str(team.masto)], action="schedule")
    assert resp.status_code == 403
    compose(client, csrf, text="Mien", channels=[str(team.masto)], action="submit")
    post_id = only_post(rt).id
    for path in ("approve", "reject", "schedule"):
        r = client.post(f"/posts/{post_id}/{path}", data={"csrf_token": csrf, "comment": "ok"})
        assert r.status_code == 403, path
    assert only_post(rt).state == PostState.awaiting_approval


def test_forms_without_the_csrf_token_are_refused(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    login(client, team, "owner")
    resp = client.post("/compose", data={"text": "x", "channels": [str(team.masto)]})
    assert resp.status_code == 403
    assert "This form has expired" in resp.text
    move = client.post("/calendar/move", json={"post_id": 1, "date": "2030-01-01"})
    assert move.status_code == 403
    with rt.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Post)) == 0


def test_post_page_refreshes_its_deliveries_while_they_are_on_their_way(
    rt: Runtime, client: TestClient
) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        manager = f.user(s, ws, "manager")
        channel = f.preview_channel(rt, s, ws, manager, name="Aperçu Mastodon")
        post = f.post(s, ws, manager, [channel], text="Bientôt en ligne")
    f.sign_in(client, manager.email)
    page = client.get(f"/posts/{post.id}")
    assert 'hx-trigger="every 3s"' in page.text  # due now: the page watches it live
    fragment = client.get(f"/posts/{post.id}/deliveries")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Aperçu Mastodon" in fragment.text
    build_runner(rt).run_until_idle()
    fragment = client.get(f"/posts/{post.id}/deliveries")
    assert "state-published" in fragment.text
    assert "hx-trigger" not in fragment.text  # done: it stops polling


def test_the_approval_queue_pages_by_twenty_and_says_how_many_wait(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    soon = utcnow() + timedelta(days=3)
    with rt.db.transaction() as s:
        ws = s.get(Workspace, team.ws_id)
        author = s.scalars(select(User).where(User.email == team.emails["contributor"])).one()
        channel = s.get(Channel, team.masto)
        assert ws and channel
        for i in range(25):  # proposal n°0 is published first, n°24 last
            f.post(
                s, ws, author, [channel], text=f"Proposition n°{i}.", when=soon + timedelta(hours=i)
            )
    csrf = login(client, team, "manager")
    first = client.get("/approvals")
    assert first.status_code == 200
    assert "25 proposals await approval." in first.text and "Showing 1–20" in first.text
    assert [i for i in range(25) if f"Proposition n°{i}." in first.text] == list(range(20))
    assert "Previous page" not in first.text
    nxt = first.text.split('rel="next" href="', 1)[1].split('"', 1)[0]
    second = client.get(nxt.split("testserver", 1)[-1])
    assert [i for i in range(25) if f"Proposition n°{i}." in second.text] == list(range(20, 25))
    assert "Showing 21–25" in second.text and "Next page" not in second.text
    assert second.text.count("/approve") == 5  # each proposal keeps its review forms
    back = second.text.split('rel="prev" href="', 1)[1].split('"', 1)[0]
    again = client.get(back.split("testserver", 1)[-1])
    assert [i for i in range(25) if f"Proposition n°{i}." in again.text] == list(range(20))

    # Sending back a proposal of page 2 without a comment shows that page, with the error.
    late = only_awaiting(rt, "Proposition n°22.")
    resp = client.post(
        f"/posts/{late}/reject", data={"csrf_token": csrf, "comment": "", "origin": "approvals"}
    )
    assert resp.status_code == 422 and f'id="comment_{late}-error"' in resp.text
    assert "Proposition n°22." in resp.text and "Proposition n°0." not in resp.text
    # Approving one lowers the count everyone sees.
    resp = client.post(
        f"/posts/{late}/approve", data={"csrf_token": csrf, "comment": "", "origin": "approvals"}
    )
    assert (
        "24 proposals await approval."
        in client.get(resp.headers.get("location", "/approvals")).text
    )
    # A cursor naming no proposal gives the first page.
    assert "Showing 1–20" in client.get("/approvals?after=987654").text


def only_awaiting(rt: Runtime, text: str) -> int:
    with rt.db.transaction(write=False) as s:
        return s.scalars(select(Post.id).where(Post.text == text)).one()


def test_every_response_says_how_long_the_server_took(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    login(client, team, "viewer")
    for path in ("/calendar", "/approvals", "/signin", "/api/v1/posts"):
        timing = client.get(path).headers.get("server-timing", "")
        assert timing.startswith("app;dur="), (path, timing)
        assert float(timing.removeprefix("app;dur=")) >= 0


def test_a_waiting_delivery_explains_itself_in_french(rt: Runtime, client: TestClient) -> None:
    from palabre.channels import services as channels

    with rt.db.transaction() as s:
        ws = f.workspace(s)
        manager = f.user(s, ws, "manager", language="fr")
        channel = f.preview_channel(rt, s, ws, manager)
        post = f.post(s, ws, manager, [channel], text="En attente")
        channels.set_paused(s, channel, paused=True, actor=manager)
    build_runner(rt).run_once()
    f.sign_in(client, manager.email)
    page = client.get(f"/posts/{post.id}")
    assert "le canal est en pause ou doit être reconnecté" in page.text


def test_a_thread_and_a_content_warning_typed_in_the_composer(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    csrf = login(client, team, "member")
    typed = "2/3 De 19 h à minuit.\n---\n3/3 Entrée libre ☕\n---\n"
    refused = compose(
        client,
        csrf,
        text="1/3 Nuit des musées",
        thread=typed,
        content_warning="Bruit",
        channels=[str(team.bsky)],
        action="schedule",
    )
    assert refused.status_code == 422
    error = refused.text.split('id="content_warning-error">', 1)[1].split("</p>", 1)[0]
    assert "Bsky test has no content warnings" in error
    assert "3/3 Entrée libre ☕" in refused.text  # the thread typed is kept
    resp = compose(
        client,
        csrf,
        text="1/3 Nuit des musées",
        thread=typed,
        content_warning="Bruit",
        channels=[str(team.masto)],
        action="schedule",
    )
    assert resp.status_code == 303
    post = only_post(rt)
    assert post.thread == ["2/3 De 19 h à minuit.", "3/3 Entrée libre ☕"]
    assert post.content_warning == "Bruit"
    page = client.get(f"/posts/{post.id}").text
    assert "Content warning: Bruit" in page and "3/3 Entrée libre ☕" in page
    edit = client.get(f"/posts/{post.id}/edit").text
    assert "2/3 De 19 h à minuit.\n---\n3/3 Entrée libre ☕" in edit


def test_an_image_too_large_for_bluesky_is_refused_for_it_and_fine_for_mastodon(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    csrf = login(client, team, "member")
    big = PNG + b"\0" * 1_200_000  # 1.2 MB: Bluesky takes at most 1 MB per image
    files = {"image_0": ("grand.png", big, "image/png")}
    fields = {"text": "Grand format", "alt_0": "Vue de la salle", "action": "schedule"}
    refused = compose(client, csrf, channels=[str(team.bsky)], files=files, **fields)
    assert refused.status_code == 422
    error = refused.text.split('id="alt_0-error">', 1)[1].split("</p>", 1)[0]
    assert "This image is too large for Bsky test (1.2 MB; at most 1.0 MB)." in error
    ok = compose(client, csrf, channels=[str(team.masto)], files=files, **fields)
    assert ok.status_code == 303
