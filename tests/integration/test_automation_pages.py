"""The automation pages for each role: the editor and its live preview, the queue with
its keyboard hints and digest, the dry-run calendar, guardrails, the dashboard's share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from palabre.automations import services as automations
from palabre.automations.models import Automation, ChannelGuardrails, Suggestion
from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from tests import factories as f

MANAGERS = {"owner", "manager"}
PUBLISHERS = {"owner", "manager", "member"}


@dataclass
class Scene:
    role: str
    automation_id: int
    channel_id: int
    feed_id: int
    csrf: str


def scene(rt: Runtime, client: TestClient, role: str, follows: int = 0) -> Scene:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner")
        me = owner if role == "owner" else f.user(s, ws, role)
        ch = f.preview_channel(rt, s, ws, owner, name="Mastodon du musée")
        feed = f.source(s, ws)
        now = datetime.now(UTC)
        for n in range(2):
            f.source_item(s, feed, f"Exposition {n}", published_at=now - timedelta(hours=n))
        auto = f.automation(s, ws, owner, "news", [feed], [ch])
        automations.run_now(s, auto, actor=owner)
        if follows:
            welcome = f.automation(s, ws, owner, "welcome", [], [ch])
            welcome.created_at = now - timedelta(hours=1)
            for _ in range(follows):
                f.notification(s, ch, "follow", received_at=now)
            automations.run_now(s, welcome, actor=owner)
        ids = (auto.id, ch.id, feed.id)
    f.sign_in(client, me.email)
    client.cookies.set(LANG_COOKIE, "en")
    return Scene(role, *ids, f.csrf_of(client))


@pytest.mark.parametrize("role", f.ROLES)
def test_pages_open_for_every_role_and_forms_follow_rights(
    client: TestClient, rt: Runtime, role: str
) -> None:
    sc = scene(rt, client, role)
    for path in (
        "/automations",
        f"/automations/{sc.automation_id}",
        f"/automations/{sc.automation_id}/dry-run",
        "/suggestions",
        f"/guardrails/{sc.channel_id}",
    ):
        assert client.get(path).status_code == 200, path
    new = client.get("/automations/new?kind=agenda")
    assert new.status_code == (200 if role in MANAGERS else 403)
    preview = client.post(
        "/automations-preview",
        data={"csrf_token": sc.csrf, "kind": "news", "sources": str(sc.feed_id), "template": "x"},
    )
    assert preview.status_code == (200 if role in MANAGERS else 403)  # who may edit, may try
    saved = client.post(
        f"/guardrails/{sc.channel_id}",
        data={
            "csrf_token": sc.csrf,
            "daily_cap": "2",
            "min_spacing_minutes": "60",
            "quiet_start": "22:00",
            "quiet_end": "07:30",
            "share_warning": "40",
            "share_ceiling": "60",
        },
        follow_redirects=False,
    )
    assert saved.status_code == (303 if role in MANAGERS else 403)
    with rt.db.transaction() as s:
        stored = s.get(ChannelGuardrails, sc.channel_id)
        assert (stored is not None) == (role in MANAGERS)


@pytest.mark.parametrize("role", f.ROLES)
def test_the_queue_for_each_role(client: TestClient, rt: Runtime, role: str) -> None:
    sc = scene(rt, client, role)
    page = client.get("/suggestions").text
    assert "Exposition 0" in page and "Exposition 1" in page
    assert ("<kbd>j</kbd>" in page) == (role != "viewer")
    assert ("data-skip" in page) == (role in PUBLISHERS)
    with rt.db.transaction() as s:
        first = s.scalars(select(Suggestion).order_by(Suggestion.id)).first()
        assert first is not None
        sid, cid = first.id, sc.channel_id
    resp = client.post(
        f"/suggestions/{sid}/approve",
        data={"csrf_token": sc.csrf, f"text_{cid}": "Ce soir : nocturne au musée"},
        follow_redirects=False,
    )
    assert resp.status_code == (303 if role != "viewer" else 403)
    with rt.db.transaction() as s:
        row = s.get(Suggestion, sid)
        assert row is not None
        if role == "viewer":
            assert row.state == "pending"
        else:
            assert row.state == "approved" and row.first_text == "Ce soir : nocturne au musée"
    if role == "viewer":
        return
    done = client.get(resp.headers["location"]).text
    assert ("Sent for approval" in done) == (role == "contributor")


def test_bulk_skip_and_the_welcome_digest(client: TestClient, rt: Runtime) -> None:
    sc = scene(rt, client, "member", follows=3)
    page = client.get("/suggestions").text
    assert "Welcome and thanks of" in page and page.count('class="card suggestion"') == 5
    with rt.db.transaction() as s:
        ids = [str(i) for i in s.scalars(select(Suggestion.id).where(Suggestion.kind == "post"))]
    resp = client.post(
        "/suggestions-bulk",
        data={"csrf_token": sc.csrf, "action": "skip", "ids": ids},
        follow_redirects=True,
    )
    assert "Done for the selected suggestions." in resp.text
    with rt.db.transaction() as s:
        states = {r.kind: r.state for r in s.scalars(select(Suggestion))}
        assert states == {"post": "skipped", "welcome": "pending"}


def test_the_editor_creates_and_previews_and_shows_errors(client: TestClient, rt: Runtime) -> None:
    sc = scene(rt, client, "manager")
    form = {
        "csrf_token": sc.csrf,
        "kind": "news",
        "name": "Relais",
        "mode": "suggest",
        "sources": str(sc.feed_id),
        "channels": str(sc.channel_id),
        "template": "{{ title }} → {{ link }}",
        "max_age_days": "7",
    }
    preview = client.post("/automations-preview", data=form)
    assert "Exposition 0 →" in preview.text and "/500" in preview.text
    sourced = client.post(
        "/automations-preview", data={**form, "template": "{{ source }}: {{ title }}"}
    )
    assert "Site du musée: Exposition 0" in sourced.text  # as the real posts say it
    broken = client.post("/automations-preview", data={**form, "template": "{{ tittle }}"})
    assert "Unknown variable in the template: tittle" in broken.text
    for hostile in ('{{ "a" * 10**7 }}', "{{ 7**100000 }}"):
        refused = client.post("/automations-preview", data={**form, "template": hostile})
        assert refused.status_code == 200 and "too big" in refused.text
        assert len(refused.text) < 100_000
    bad = client.post("/automations/new", data={**form, "template": "{% for %}"})
    assert bad.status_code == 422 and "mistake on line 1" in bad.text
    made = client.post("/automations/new", data=form, follow_redirects=False)
    assert made.status_code == 303
    with rt.db.transaction() as s:
        row = s.scalars(select(Automation).where(Automation.name == "Relais")).one()
        assert row.settings["template"] == "{{ title }} → {{ link }}"
        assert not row.enabled  # the dry run comes first
        new_id = row.id
    page = client.get(made.headers["location"]).text
    assert "not switched on yet" in page and "Not switched on yet" in page
    assert "Switch on" in page and "Dry run" in page
    on = client.post(
        f"/automations/{new_id}/resume", data={"csrf_token": sc.csrf}, follow_redirects=True
    )
    assert "Automation switched on." in on.text and "Pause" in on.text
    with rt.db.transaction() as s:
        assert s.get(Automation, new_id).enabled  # type: ignore[union-attr]


def test_dry_run_calendar_and_dashboard_share(client: TestClient, rt: Runtime) -> None:
    sc = scene(rt, client, "viewer")
    page = client.get(f"/automations/{sc.automation_id}/dry-run").text
    assert "2 posts" in page and "Exposition 0" in page and "dry-day" in page
    dashboard = client.get("/").text
    assert "Automated share" in dashboard and "Mastodon du musée" in dashboard


def test_the_demo_robots_each_kind_at_work(rt: Runtime) -> None:
    from palabre.automations import demo

    with rt.db.transaction() as s:
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        ch = f.preview_channel(rt, s, ws, boss)
        feed = f.source(s, ws)
        agenda = f.source(s, ws, "agenda", "Agenda")
        now = datetime.now(UTC)
        f.source_item(s, feed, "Nouvelle exposition", published_at=now)
        f.source_item(s, feed, "Recrutement : un médiateur", published_at=now)
        f.occurrence(s, agenda, (now + timedelta(days=3)).replace(hour=14, minute=0))
        f.source_item(s, feed, "Le patrimoine des musées en fête", published_at=now)
        made = demo.seed(s, ws, boss, [feed, agenda], [ch], now)
        assert [a.kind for a in made] == ["news", "agenda", "curation", "welcome", "thanks"]
        kinds = {a.id: a.kind for a in made}
        rows = list(s.scalars(select(Suggestion).order_by(Suggestion.id)))
        per_kind = {k: [r for r in rows if kinds[r.automation_id] == k] for k in kinds.values()}
        assert all(per_kind.values())  # every robot suggested something
        assert {r.state for r in per_kind["news"]} == {"pending"}
        assert {r.state for r in per_kind["agenda"]} == {"approved"}
        # The channel's new followers are welcomed, its mentions and reposts thanked.
        assert len(per_kind["welcome"]) == 2 and len(per_kind["thanks"]) == 2
