"""Round-robin on arrival (Settings › Inbox, off by default): each new conversation is
given as it is read to the person on duty with the fewest to handle, fairly, skipping
people off duty, inactive, volunteers and viewers; once per conversation, even when a
notification is read twice; with an audit row, a notice, and exact badges."""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.inbox import arrival, counters
from palabre.inbox.conversation_models import Conversation
from palabre.inbox.sla import policy
from palabre.team.models import AuditEntry, Notice, User
from tests import factories as f
from tests.inbox_support import incoming, person, store
from tests.integration.api_support import Team, make_team

MANAGERS = {"owner", "manager"}


def turn_on(rt: Runtime, team: Team, on: bool = True) -> None:
    with rt.db.transaction() as s:
        arrival.set_round_robin_on_arrival(s, person(s, team.user_ids["manager"]), on)


def assignees(rt: Runtime) -> list[int | None]:
    with rt.db.transaction(write=False) as s:
        return list(s.scalars(select(Conversation.assignee_id).order_by(Conversation.id)))


def given_on_arrival(rt: Runtime) -> list[AuditEntry]:
    with rt.db.transaction(write=False) as s:
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "conversation.assigned")
        ).all()
        s.expunge_all()
    return [r for r in rows if (r.details or {}).get("round_robin") == "on_arrival"]


def badges_exact(rt: Runtime, ws: int) -> dict[tuple[int, str], int]:
    with rt.db.transaction() as s:
        kept = {k: n for k, n in counters.counts(s.connection(), ws).items() if n}
        counters.recount(s.connection(), ws)
        assert counters.counts(s.connection(), ws) == kept
    return kept


def test_off_by_default_new_conversations_stay_unassigned(rt: Runtime) -> None:
    team = make_team(rt)
    store(rt, team.workspace_id, team.channel_ids[0], incoming("Ouvert dimanche ?"))
    assert assignees(rt) == [None]
    assert given_on_arrival(rt) == []
    with rt.db.transaction(write=False) as s:
        assert policy(s, team.workspace_id, create=False).round_robin_on_arrival is False


def test_on_each_new_conversation_goes_to_the_next_on_duty(rt: Runtime) -> None:
    team = make_team(rt)
    turn_on(rt, team)
    ws, ch = team.workspace_id, team.channel_ids[0]
    ids = team.user_ids
    # One batch (a page of notifications), then one at a time.
    store(rt, ws, ch, *(incoming(f"Question {n} ?", author=f"p{n}@x.org") for n in range(4)))
    for n in range(4, 6):
        store(rt, ws, ch, incoming(f"Question {n} ?", author=f"p{n}@x.org"))
    got = assignees(rt)
    # owner, manager, member on duty (oldest account first on a tie); never a volunteer
    # or a viewer.
    assert got[:3] == [ids["owner"], ids["manager"], ids["member"]]
    assert Counter(got) == {ids["owner"]: 2, ids["manager"]: 2, ids["member"]: 2}
    # A follow-up in a conversation already given does not give it again.
    with rt.db.transaction(write=False) as s:
        first = s.scalar(select(Conversation).order_by(Conversation.id).limit(1))
        assert first is not None and first.status == "new"  # nobody has acted on it yet
    store(rt, ws, ch, incoming("Encore ?", parent=first.root_id, kind="reply", author="p0@x.org"))
    assert assignees(rt) == got
    audit = given_on_arrival(rt)
    assert len(audit) == 6 and all(a.user_id is None for a in audit)
    with rt.db.transaction(write=False) as s:
        told = Counter(
            n.user_id for n in s.scalars(select(Notice).where(Notice.kind == "inbox.assigned"))
        )
    assert told == {ids["owner"]: 2, ids["manager"]: 2, ids["member"]: 2}
    table = badges_exact(rt, ws)
    assert table == {(ids[r], "new"): 2 for r in ("owner", "manager", "member")}


def test_fairness_counts_what_each_already_has_to_handle(rt: Runtime) -> None:
    team = make_team(rt)
    ws, ch, ids = team.workspace_id, team.channel_ids[0], team.user_ids
    store(rt, ws, ch, *(incoming(f"Avant {n}", author=f"a{n}@x.org") for n in range(2)))
    with rt.db.transaction() as s:  # the owner already has two to handle
        from palabre.inbox import services

        for conv in s.scalars(select(Conversation)):
            services.assign(s, conv, person(s, ids["owner"]), actor=person(s, ids["owner"]))
    turn_on(rt, team)
    store(rt, ws, ch, *(incoming(f"Après {n}", author=f"b{n}@x.org") for n in range(4)))
    got = assignees(rt)[2:]
    assert Counter(got) == {ids["manager"]: 2, ids["member"]: 2}  # the owner's turn waits
    badges_exact(rt, ws)


def test_people_off_duty_or_inactive_are_skipped_nobody_leaves_it_unassigned(
    rt: Runtime,
) -> None:
    team = make_team(rt)
    turn_on(rt, team)
    ws, ch, ids = team.workspace_id, team.channel_ids[0], team.user_ids
    with rt.db.transaction() as s:
        s.get(User, ids["owner"]).on_duty = False  # type: ignore[union-attr]
        s.get(User, ids["manager"]).active = False  # type: ignore[union-attr]
    store(rt, ws, ch, *(incoming(f"Q{n} ?", author=f"q{n}@x.org") for n in range(2)))
    assert assignees(rt) == [ids["member"], ids["member"]]
    with rt.db.transaction() as s:
        s.get(User, ids["member"]).on_duty = False  # type: ignore[union-attr]
    store(rt, ws, ch, incoming("Personne ?", author="z@x.org"))
    assert assignees(rt)[-1] is None  # nobody on duty: unassigned, still in the inbox
    assert len(given_on_arrival(rt)) == 2
    badges_exact(rt, ws)


def test_a_notification_read_twice_is_assigned_once(rt: Runtime) -> None:
    team = make_team(rt)
    turn_on(rt, team)
    ws, ch = team.workspace_id, team.channel_ids[0]
    same = incoming("Vous ouvrez dimanche ?", remote_id="n-twice", post_id="twice")
    assert store(rt, ws, ch, same) == 1
    assert store(rt, ws, ch, same, incoming("Autre ?", author="o@x.org")) == 1
    got = assignees(rt)
    assert len(got) == 2 and got[0] == team.user_ids["owner"]
    assert got[1] == team.user_ids["manager"]  # the next one, not the owner twice
    assert len(given_on_arrival(rt)) == 2
    badges_exact(rt, ws)


@pytest.mark.parametrize("role", f.ROLES)
def test_the_settings_page_by_role(rt: Runtime, client: TestClient, role: str) -> None:
    team = make_team(rt)
    with rt.db.transaction(write=False) as s:
        email = person(s, team.user_ids[role]).email
    f.sign_in(client, email)
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/settings/inbox")
    assert page.status_code == 200
    assert "Give each new conversation to the next person on duty" in page.text
    assert ("Save the assignment" in page.text) == (role in MANAGERS)
    token = f.csrf_of(client, "/settings/inbox")
    on = client.post(
        "/settings/inbox/assignment", data={"round_robin_on_arrival": "1", "csrf_token": token}
    )
    with rt.db.transaction(write=False) as s:
        now_on = policy(s, team.workspace_id, create=False).round_robin_on_arrival
    if role in MANAGERS:
        assert on.status_code == 200 and "Assignment saved." in on.text
        assert now_on is True
        assert 'name="round_robin_on_arrival" value="1" checked' in on.text
        off = client.post("/settings/inbox/assignment", data={"csrf_token": token})
        assert off.status_code == 200
        with rt.db.transaction(write=False) as s:
            assert policy(s, team.workspace_id).round_robin_on_arrival is False
            changes = s.scalars(
                select(AuditEntry).where(AuditEntry.action == "inbox.round_robin_on_arrival")
            ).all()
            assert [c.details["new"] for c in changes] == [True, False]
    else:
        assert on.status_code == 403 and now_on is False
    refused = client.post("/settings/inbox/assignment", data={"round_robin_on_arrival": "1"})
    assert refused.status_code == 403  # no CSRF token


def in_french(rt: Runtime, client: TestClient, user_id: int) -> None:
    """Sign in as this person, reading French."""
    with rt.db.transaction() as s:
        me = person(s, user_id)
        me.language = None
        email = me.email
    f.sign_in(client, email)
    client.cookies.set(LANG_COOKIE, "fr")


def test_the_settings_page_in_french(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    in_french(rt, client, team.user_ids["manager"])
    page = client.get("/settings/inbox")
    assert "Attribution" in page.text and "à tour de rôle" in page.text


def test_the_assignee_reads_the_notice_in_french(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    turn_on(rt, team)
    store(rt, team.workspace_id, team.channel_ids[0], incoming("Ouvert ?", author="ana@x.org"))
    in_french(rt, client, team.user_ids["owner"])
    page = client.get("/notices")
    assert "Une nouvelle conversation avec ana@x.org vous est confiée (tour de rôle)" in page.text


def test_the_api_reads_and_managers_change_it(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    got = client.get("/api/v1/inbox/sla", headers=team.auth("viewer")).json()
    assert got["round_robin_on_arrival"] is False
    body = {**got, "round_robin_on_arrival": True}
    member = client.put("/api/v1/inbox/sla", json=body, headers=team.auth("member"))
    assert member.status_code == 403
    done = client.put("/api/v1/inbox/sla", json=body, headers=team.auth("manager"))
    assert done.status_code == 200 and done.json()["round_robin_on_arrival"] is True
    del body["round_robin_on_arrival"]  # absent: left as it is
    again = client.put("/api/v1/inbox/sla", json=body, headers=team.auth("manager"))
    assert again.json()["round_robin_on_arrival"] is True
    store(rt, team.workspace_id, team.channel_ids[0], incoming("Ouvert ?"))
    assert assignees(rt) == [team.user_ids["owner"]]
