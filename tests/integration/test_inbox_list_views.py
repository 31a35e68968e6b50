"""The inbox list's views and filters as a manager uses them: the four quadrants with
their counts and "see all" links, conversations awaiting approval (marker and filter),
"received in the last 24 hours / 7 days", on the page and in the API."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox import queries
from palabre.inbox.conversation_models import Conversation, priority_of
from palabre.team.models import User
from tests import factories as f
from tests.inbox_support import conversations, incoming, store
from tests.integration.api_support import Team, make_team

# (who wrote, urgency, important, how many)
SCENE = [
    ("ui", "urgent", True, 12),
    ("uo", "urgent", False, 1),
    ("io", "normal", True, 2),
    ("ne", "normal", False, 2),
    ("lo", "low", False, 1),
]


def _triaged(rt: Runtime, team: Team) -> dict[str, set[str]]:
    """Conversations from people named after their quadrant (ui1, ui2…, uo1…), with the
    triage set as a correction would. Returns the handles per prefix."""
    handles: dict[str, set[str]] = {}
    for prefix, urgency, important, n in SCENE:
        for i in range(1, n + 1):
            who = f"{prefix}{i}@example.org"
            store(rt, team.workspace_id, team.channel_ids[0], incoming("Bonjour", author=who))
            with rt.db.transaction() as s:
                s.execute(
                    update(Conversation)
                    .where(Conversation.contact_handle == who)
                    .values(
                        urgency=urgency,
                        important=important,
                        priority=priority_of(urgency, important),
                    )
                )
            handles.setdefault(prefix, set()).add(who)
    return handles


def _sign_in(rt: Runtime, client: TestClient, team: Team) -> None:
    with rt.db.transaction(write=False) as s:
        manager = s.get(User, team.user_ids["manager"])
        assert manager is not None
        email = manager.email
    f.sign_in(client, email)


def _signed_in_scene(rt: Runtime, client: TestClient) -> dict[str, set[str]]:
    team = make_team(rt)
    handles = _triaged(rt, team)
    _sign_in(rt, client, team)
    return handles


def _sections(page: str) -> dict[str, str]:
    parts = re.split(r'(?=<section class="card quadrant)', page)
    return {
        m.group(1): part
        for part in parts
        if (m := re.search(r'data-quadrant="(\w+)"', part.split(">", 1)[0] + ">"))
    }


def _filter_form(page: str) -> str:
    start = page.index('<form method="get"')
    return page[start : page.index("</form>", start)]


def _handles(fragment: str) -> set[str]:
    return set(re.findall(r'<span class="meta">@([^<]+)</span>', fragment))


def test_the_quadrants_show_who_is_where_how_many_and_link_to_the_whole_list(
    rt: Runtime, client: TestClient
) -> None:
    handles = _signed_in_scene(rt, client)
    page = client.get("/inbox?view=quadrants").text
    sections = _sections(page)
    assert list(sections) == ["urgent_important", "urgent", "important", "rest"]
    shown = {name: _handles(part) for name, part in sections.items()}
    assert len(shown["urgent_important"]) == 10 and shown["urgent_important"] <= handles["ui"]
    assert shown["urgent"] == handles["uo"]
    assert shown["important"] == handles["io"]
    assert shown["rest"] == handles["ne"] | handles["lo"]
    counts = {
        name: re.search(r"data-count>([^<]+)<", part).group(1)  # type: ignore[union-attr]
        for name, part in sections.items()
    }
    assert counts == {"urgent_important": "12", "urgent": "1", "important": "2", "rest": "3"}
    link = re.search(r'href="([^"]+)" data-see-all>([^<]+)<', sections["urgent_important"])
    assert link is not None and link.group(2) == "See all 12 conversations"
    url = html.unescape(link.group(1))
    assert "urgent=1" in url and "important=1" in url and "view=" not in url
    whole = client.get(url).text
    assert _handles(whole) == handles["ui"]  # every one of the twelve, and only them
    rest = re.search(r'href="([^"]+)" data-see-all', sections["rest"])
    assert rest is not None
    assert _handles(client.get(html.unescape(rest.group(1))).text) == handles["ne"] | handles["lo"]


def test_filtering_keeps_the_quadrant_view_and_the_quadrant(
    rt: Runtime, client: TestClient
) -> None:
    handles = _signed_in_scene(rt, client)
    page = client.get("/inbox?view=quadrants").text
    form = _filter_form(page)
    assert '<input type="hidden" name="view" value="quadrants">' in form
    mine = client.get("/inbox?view=quadrants&assignee=nobody&category=").text
    assert len(_sections(mine)) == 4  # still the quadrants after filtering
    in_one = client.get("/inbox?urgent=0&important=1").text
    assert _handles(in_one) == handles["io"]
    form = _filter_form(in_one)
    assert 'name="urgent" value="0"' in form and 'name="important" value="1"' in form
    switch = re.search(r'<a class="button" href="([^"]+)">Urgent / important view', in_one)
    assert switch is not None and "urgent=0" in html.unescape(switch.group(1))


def test_the_api_lists_a_quadrant_whole(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    handles = _triaged(rt, team)
    auth = team.auth("viewer")
    got = client.get("/api/v1/conversations?urgent=true&important=true&limit=5", headers=auth)
    seen = {c["contact_handle"] for c in got.json()["conversations"]}
    after = got.json()["next_cursor"]
    while after:
        more = client.get(
            f"/api/v1/conversations?urgent=true&important=true&limit=5&after={after}",
            headers=auth,
        ).json()
        seen |= {c["contact_handle"] for c in more["conversations"]}
        after = more["next_cursor"]
    assert seen == handles["ui"]
    neither = client.get("/api/v1/conversations?urgent=false&important=false", headers=auth)
    assert {c["contact_handle"] for c in neither.json()["conversations"]} == (
        handles["ne"] | handles["lo"]
    )


def test_a_count_stops_at_its_cap(rt: Runtime) -> None:
    team = make_team(rt)
    _triaged(rt, team)
    everyone = queries.Filters(status="all", urgent=True, important=True)
    with rt.db.transaction(write=False) as s:
        uid = team.user_ids["manager"]
        assert queries.count_capped(s, team.workspace_id, everyone, user_id=uid) == 12
        assert queries.count_capped(s, team.workspace_id, everyone, user_id=uid, cap=5) == 6


def _propose(client: TestClient, team: Team, cid: int) -> int:
    resp = client.post(
        f"/api/v1/conversations/{cid}/reply",
        json={"text": "Oui, le musée ouvre à 10 h."},
        headers=team.auth("contributor"),
    )
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def test_conversations_awaiting_approval_are_marked_and_found(
    rt: Runtime, client: TestClient
) -> None:
    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    store(rt, ws, ch, incoming("Vous ouvrez dimanche ?", author="camille@example.org"))
    store(rt, ws, ch, incoming("Et le lundi ?", author="noe@example.org"))
    by_handle = {c.contact_handle: c.id for c, _ in conversations(rt)}
    mid = _propose(client, team, by_handle["camille@example.org"])
    _sign_in(rt, client, team)
    page = client.get("/inbox").text
    rows = {h: row for row in page.split("<li ")[1:] for h in _handles(row)}
    assert "Reply awaiting approval" in rows["camille@example.org"]
    assert "Reply awaiting approval" not in rows["noe@example.org"]
    assert _handles(client.get("/inbox?awaiting=1").text) == {"camille@example.org"}
    assert "data-awaiting" in client.get("/inbox?view=quadrants").text
    api = client.get("/api/v1/conversations?awaiting_approval=true", headers=team.auth("viewer"))
    assert [(c["contact_handle"], c["awaiting_approval"]) for c in api.json()["conversations"]] == [
        ("camille@example.org", True)
    ]
    plain = client.get("/api/v1/conversations", headers=team.auth("viewer")).json()
    assert {c["contact_handle"]: c["awaiting_approval"] for c in plain["conversations"]} == {
        "camille@example.org": True,
        "noe@example.org": False,
    }
    detail = client.get(
        f"/api/v1/conversations/{by_handle['camille@example.org']}", headers=team.auth("viewer")
    )
    assert detail.json()["awaiting_approval"] is True
    approved = client.post(
        f"/api/v1/conversations/{by_handle['camille@example.org']}/messages/{mid}/approve",
        headers=team.auth("manager"),
    )
    assert approved.status_code == 200
    assert "data-awaiting" not in client.get("/inbox?status=all").text
    assert _handles(client.get("/inbox?awaiting=1&status=all").text) == set()


def test_received_in_the_last_24_hours_or_7_days(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    now = utcnow()
    store(rt, ws, ch, incoming("Aujourd'hui ?", author="today@example.org", at=now))
    three_days = now - timedelta(days=3)
    store(rt, ws, ch, incoming("Mardi ?", author="tuesday@example.org", at=three_days))
    store(rt, ws, ch, incoming("Le mois dernier", author="old@example.org", at=now - timedelta(30)))
    _sign_in(rt, client, team)
    day = client.get("/inbox?since=24").text
    assert _handles(day) == {"today@example.org"}
    assert '<option value="24" selected>In the last 24 hours</option>' in day
    assert _handles(client.get("/inbox?since=168").text) == {
        "today@example.org",
        "tuesday@example.org",
    }
    assert len(_handles(client.get("/inbox?since=nonsense").text)) == 3  # ignored
    api = team.auth("viewer")

    def listed(since: str) -> set[str]:
        resp = client.get("/api/v1/conversations", params={"since": since}, headers=api)
        assert resp.status_code == 200, resp.text
        return {c["contact_handle"] for c in resp.json()["conversations"]}

    assert listed("24") == {"today@example.org"}
    assert listed((now - timedelta(days=4)).isoformat()) == {
        "today@example.org",
        "tuesday@example.org",
    }
    assert listed("2020-01-01T00:00:00+02:00") == {
        "today@example.org",
        "tuesday@example.org",
        "old@example.org",
    }
    for bad in ("yesterday", "0", "9000", "2026-05-01T08:00:00", "-5"):
        resp = client.get("/api/v1/conversations", params={"since": bad}, headers=api)
        assert resp.status_code == 422, bad
        assert "ISO 8601" in str(resp.json()), bad


def test_the_next_page_keeps_every_filter(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    store(rt, ws, ch, *[incoming(f"Question {i}", author=f"p{i}@example.org") for i in range(32)])
    _sign_in(rt, client, team)
    first = client.get("/inbox?since=24&urgent=0&assignee=nobody").text
    pager = re.search(r'<p class="pager"><a class="button" href="([^"]+)"', first)
    assert pager is not None
    url = html.unescape(pager.group(1))
    for kept in ("since=24", "urgent=0", "assignee=nobody", "after="):
        assert kept in url
    second = client.get(url).text
    assert len(_handles(first)) == 30 and len(_handles(second)) == 2
    assert not _handles(first) & _handles(second)


def test_awaiting_approval_pages_follow_the_list_order(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    handles = _triaged(rt, team)  # 18 conversations over the four quadrants
    by_handle = {c.contact_handle: c.id for c, _ in conversations(rt)}
    chosen = ["lo1@example.org", "ui3@example.org", "io1@example.org", "ui7@example.org"]
    for who in chosen:
        _propose(client, team, by_handle[who])
    auth = team.auth("viewer")
    everything = client.get("/api/v1/conversations?limit=200", headers=auth).json()
    order = [c["contact_handle"] for c in everything["conversations"] if c["awaiting_approval"]]
    assert sorted(order) == sorted(chosen) and order[-1] == "lo1@example.org"
    seen: list[str] = []
    after = ""
    while True:
        page = client.get(
            f"/api/v1/conversations?awaiting_approval=true&limit=1&after={after}", headers=auth
        ).json()
        seen += [c["contact_handle"] for c in page["conversations"]]
        if not page["next_cursor"]:
            break
        after = page["next_cursor"]
    assert seen == order  # by priority then waiting longest, each once
    urgent = client.get(
        "/api/v1/conversations?awaiting_approval=true&urgent=true", headers=auth
    ).json()
    assert (
        {c["contact_handle"] for c in urgent["conversations"]}
        == {
            "ui3@example.org",
            "ui7@example.org",
        }
        <= handles["ui"]
    )
