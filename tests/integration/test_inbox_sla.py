"""Response times in business hours: due times when a message arrives, after a triage
correction and a change of policy; breaches raised to managers once; notifications
stored before the inbox existed threaded by the worker."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.channels.models import Channel
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox import sla
from palabre.inbox.conversation_models import Conversation
from palabre.team.models import Notice, User
from tests import factories as f
from tests.inbox_support import conversations, incoming, run, store
from tests.integration.api_support import Team, make_team

PARIS = ZoneInfo("Europe/Paris")
MONDAY_EVENING = datetime(2026, 11, 23, 20, 0, tzinfo=PARIS).astimezone(UTC)
DEFAULT_HOURS = {
    "mon": None,
    **{d: ["09:00", "18:00"] for d in ("tue", "wed", "thu", "fri", "sat", "sun")},
}


def _local(value: datetime | None) -> datetime:
    assert value is not None
    return value.astimezone(PARIS)


def _conv(rt: Runtime, team: Team, text: str, at: datetime) -> Conversation:
    store(rt, team.workspace_id, team.channel_ids[0], incoming(text, at=at))
    return conversations(rt)[-1][0]


def _correct(client: TestClient, rt: Runtime, team: Team, cid: int, urgency: str) -> None:
    mid = next(m for c, ms in conversations(rt) if c.id == cid for m in ms).id
    resp = client.post(
        f"/api/v1/conversations/{cid}/messages/{mid}/triage",
        json={"category": "question", "urgency": urgency, "important": False},
        headers=team.auth("member"),
    )
    assert resp.status_code == 200, resp.text


def test_a_message_on_a_closed_monday_is_due_in_tuesdays_business_hours(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    conv = _conv(rt, team, "Bonjour, vous ouvrez dimanche ?", MONDAY_EVENING)
    _correct(client, rt, team, conv.id, "urgent")
    assert _local(conversations(rt)[-1][0].first_response_due_at) == datetime(
        2026, 11, 24, 10, 0, tzinfo=PARIS
    )
    _correct(client, rt, team, conv.id, "normal")  # 8 business hours: Tuesday 17:00
    assert _local(conversations(rt)[-1][0].first_response_due_at) == datetime(
        2026, 11, 24, 17, 0, tzinfo=PARIS
    )
    _correct(client, rt, team, conv.id, "low")  # 3 business days of 9 hours: Thursday 18:00
    assert _local(conversations(rt)[-1][0].first_response_due_at) == datetime(
        2026, 11, 26, 18, 0, tzinfo=PARIS
    )


def test_managers_change_the_policy_and_unanswered_due_times_follow(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    conv = _conv(rt, team, "Bonjour, vous ouvrez dimanche ?", MONDAY_EVENING)
    _correct(client, rt, team, conv.id, "urgent")
    got = client.get("/api/v1/inbox/sla", headers=team.auth("viewer")).json()
    assert got["urgent_minutes"] == 60 and got["hours"] == DEFAULT_HOURS
    assert got["timezone"] == "Europe/Paris"
    body = {**got, "urgent_minutes": 30, "hours": {**DEFAULT_HOURS, "mon": ["10:00", "12:00"]}}
    resp = client.put("/api/v1/inbox/sla", json=body, headers=team.auth("manager"))
    assert resp.status_code == 200, resp.text
    assert resp.json()["hours"]["mon"] == ["10:00", "12:00"]
    # Open on Monday until 12:00 only: a Monday 20:00 message is due Tuesday 9:30.
    assert _local(conversations(rt)[-1][0].first_response_due_at) == datetime(
        2026, 11, 24, 9, 30, tzinfo=PARIS
    )
    # A holiday on that Tuesday: Wednesday 9:30.
    resp = client.put(
        "/api/v1/inbox/sla",
        json={**resp.json(), "closed_days": ["2026-11-24"]},
        headers=team.auth("owner"),
    )
    assert resp.status_code == 200, resp.text
    assert _local(conversations(rt)[-1][0].first_response_due_at) == datetime(
        2026, 11, 25, 9, 30, tzinfo=PARIS
    )


def test_a_policy_that_makes_no_sense_is_refused_with_each_field(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    got = client.get("/api/v1/inbox/sla", headers=team.auth("manager")).json()
    bad = {
        **got,
        "urgent_minutes": 0,
        "hours": {**DEFAULT_HOURS, "tue": ["18:00", "09:00"], "wed": ["9h", "18:00"]},
    }
    resp = client.put("/api/v1/inbox/sla", json=bad, headers=team.auth("manager"))
    assert resp.status_code == 422
    fields = resp.json()["fields"] if "fields" in resp.json() else resp.json()["errors"]
    assert {"urgent_minutes", "hours.tue", "hours.wed"} <= set(fields)
    closed = {**got, "hours": dict.fromkeys(DEFAULT_HOURS)}
    resp = client.put("/api/v1/inbox/sla", json=closed, headers=team.auth("manager"))
    assert resp.status_code == 422 and "hours" in resp.text
    assert client.get("/api/v1/inbox/sla", headers=team.auth("manager")).json() == got  # unchanged


def test_only_managers_change_response_times(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    got = client.get("/api/v1/inbox/sla", headers=team.auth("viewer"))
    assert got.status_code == 200
    for role in f.ROLES:
        resp = client.put("/api/v1/inbox/sla", json=got.json(), headers=team.auth(role))
        assert resp.status_code == (200 if role in ("owner", "manager") else 403), role


def _notices(rt: Runtime, kind: str = "inbox.sla_breach") -> list[Notice]:
    with rt.db.transaction(write=False) as s:
        rows = list(s.scalars(select(Notice).where(Notice.kind == kind)))
        s.expunge_all()
        return rows


def test_a_late_conversation_is_raised_to_managers_once(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    late = _conv(rt, team, "Bonjour, vous ouvrez dimanche ?", utcnow() - timedelta(days=8))
    answered = _conv(rt, team, "Et le lundi ?", utcnow() - timedelta(days=8))
    fresh = _conv(rt, team, "Et demain ?", utcnow())
    resp = client.post(
        f"/api/v1/conversations/{answered.id}/reply",
        json={"text": "Non, fermé."},
        headers=team.auth("member"),
    )
    assert resp.status_code == 201, resp.text
    run(rt)
    notices = _notices(rt)
    assert {n.user_id for n in notices} == {team.user_ids["owner"], team.user_ids["manager"]}
    assert {n.link for n in notices} == {f"/inbox/{late.id}"}
    run(rt, minutes=5)
    run(rt, minutes=10)
    assert len(_notices(rt)) == 2  # never repeated
    # Days later, the fresh one is late too: raised, once.
    run(rt, minutes=60 * 24 * 8)
    assert {n.link for n in _notices(rt)} == {f"/inbox/{late.id}", f"/inbox/{fresh.id}"}
    assert len(_notices(rt)) == 4
    with rt.db.transaction(write=False) as s:
        assert s.get(Conversation, answered.id).sla_breached_at is None  # type: ignore[union-attr]


def test_the_worker_threads_notifications_stored_before_the_inbox(rt: Runtime) -> None:
    team = make_team(rt)
    with rt.db.transaction() as s:
        channel = s.get(Channel, team.channel_ids[0])
        assert channel is not None
        f.notification(s, channel, kind="mention", text="Vous ouvrez dimanche ?", post_id="old1")
    assert conversations(rt) == []
    # The migration (or the first message) gives the workspace its row; the worker's visit
    # threads what was left.
    with rt.db.transaction() as s:
        sla.ensure(s.connection(), team.workspace_id)
    run(rt)
    convs = conversations(rt)
    assert [m.text for _, ms in convs for m in ms] == ["Vous ouvrez dimanche ?"]
    with rt.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Conversation)) == 1


def test_due_times_shown_in_the_list_and_the_page_and_the_overdue_filter(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    late = _conv(rt, team, "Bonjour, vous ouvrez dimanche ?", utcnow() - timedelta(days=8))
    fresh = _conv(rt, team, "Et demain, c'est ouvert ?", utcnow())
    with rt.db.transaction() as s:  # the fresh one is due in 40 minutes
        conv = s.get(Conversation, fresh.id)
        assert conv is not None
        conv.first_response_due_at = utcnow() + timedelta(minutes=40, seconds=30)
        # and the late one was due 8 days ago, whatever day and hour the test runs at (from
        # its arrival, business hours put the due time anywhere from 7 to 8 days ago)
        old = s.get(Conversation, late.id)
        assert old is not None
        old.first_response_due_at = utcnow() - timedelta(days=8, minutes=30)
        viewer = s.get(User, team.user_ids["viewer"])
        assert viewer is not None
        email = viewer.email
    f.sign_in(client, email)
    page = client.get("/inbox").text
    assert "due in 40 minutes" in page and "overdue by 8 days" in page
    assert "overdue by" in client.get(f"/inbox/{late.id}").text
    only = client.get("/inbox?overdue=1").text
    assert f"/inbox/{late.id}" in only and f'/inbox/{fresh.id}"' not in only
    with rt.db.transaction() as s:
        s.get(User, team.user_ids["viewer"]).language = "fr"  # type: ignore[union-attr]
    page = client.get("/inbox").text.replace("\u00a0", " ")  # babel's French spaces
    assert "en retard de 8 jours" in page and "dans 40 minutes" in page
    api = client.get("/api/v1/conversations?overdue=true", headers=team.auth("viewer")).json()
    assert [c["id"] for c in api["conversations"]] == [late.id]


def test_a_breach_notice_tells_the_due_time_in_each_readers_language_and_the_assignee(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    late = _conv(rt, team, "Bonjour, vous ouvrez dimanche ?", utcnow() - timedelta(days=12))
    with rt.db.transaction() as s:
        conv = s.get(Conversation, late.id)
        assert conv is not None
        # Due on 10 November 2026 at 08:30 UTC: 09:30 in Paris, the workspace's timezone.
        conv.first_response_due_at = datetime(2026, 11, 10, 8, 30, tzinfo=UTC)
        conv.assignee_id = team.user_ids["member"]
        s.get(User, team.user_ids["owner"]).language = "fr"  # type: ignore[union-attr]
        member = s.get(User, team.user_ids["member"])
        assert member is not None
        member.language, email = None, member.email  # reads the workspace's language: French
    run(rt)
    run(rt, minutes=5)
    told = {n.user_id: n for n in _notices(rt)}
    assert set(told) == {team.user_ids[r] for r in ("owner", "manager", "member")}  # once each
    assert told[team.user_ids["owner"]].params["due"] == "10/11/2026 09:30"
    assert re.fullmatch(r"11/10/26, 9:30\sAM", told[team.user_ids["manager"]].params["due"])
    assert "assigned to you" in told[team.user_ids["member"]].message
    f.sign_in(client, email)
    page = client.get("/notices").text.replace("\u00a0", " ")
    assert "Toujours pas de réponse à ana@example.org, qui vous est confiée" in page
    assert "10/11/2026 09:30" in page
