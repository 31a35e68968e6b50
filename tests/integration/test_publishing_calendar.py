"""The calendar: week and month pages, and moving a post by drag and drop (DST-safe)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from palabre.channels.models import Channel
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.core.timeutil import local_to_utc, utc_to_local
from palabre.publishing import calendar as cal
from palabre.publishing import rights
from palabre.publishing.models import Post, PostState
from palabre.publishing.queries import CalendarEntry
from palabre.team.models import User
from tests import factories as f

TZ = "Europe/Paris"


def next_spring_change() -> date:
    """The next last-Sunday-of-March (clocks go forward in Paris) still to come."""
    year = utcnow().year
    while True:
        day = date(year, 3, 31)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        if local_to_utc(datetime.combine(day - timedelta(days=1), time(10)), TZ) > utcnow():
            return day
        year += 1


def setup(
    rt: Runtime, *posts: tuple[str, datetime | None], role: str = "manager"
) -> tuple[str, list[int]]:
    with rt.db.transaction() as s:
        ws = f.workspace(s, tz=TZ)
        owner = f.user(s, ws, "owner")
        person = f.user(s, ws, role)
        channel = f.preview_channel(rt, s, ws, owner)
        ids = [f.post(s, ws, owner, [channel], text=t, when=w).id for t, w in posts]
    return person.email, ids


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)), TZ)


def scheduled(rt: Runtime, post_id: int) -> datetime:
    with rt.db.transaction(write=False) as s:
        when = s.scalar(select(Post.scheduled_at).where(Post.id == post_id))
    assert when is not None
    return when


def version(rt: Runtime, post_id: int) -> int:
    with rt.db.transaction(write=False) as s:
        v = s.scalar(select(Post.version).where(Post.id == post_id))
    assert v is not None
    return v


def test_week_and_month_pages_show_the_posts_of_their_period(
    rt: Runtime, client: TestClient
) -> None:
    monday = utc_to_local(utcnow(), TZ).date() + timedelta(days=14)
    monday -= timedelta(days=monday.weekday())
    email, _ = setup(
        rt,
        ("Mardi matin", at_local(monday + timedelta(days=1), 9, 30)),
        ("Dimanche soir", at_local(monday + timedelta(days=6), 23, 15)),
        ("Semaine suivante", at_local(monday + timedelta(days=7), 10)),
        ("Dix semaines après", at_local(monday + timedelta(days=70), 10)),
    )
    f.sign_in(client, email)
    week = client.get(f"/calendar?view=week&date={(monday + timedelta(days=3)).isoformat()}")
    assert week.status_code == 200
    assert "Mardi matin" in week.text and "Dimanche soir" in week.text
    assert "Semaine suivante" not in week.text and "Dix semaines après" not in week.text
    # Each post sits in its local day and hour slot, and can be dragged by a manager.
    tuesday_cell = week.text.split(
        f'data-date="{(monday + timedelta(days=1)).isoformat()}" data-hour="9"', 1
    )[1]
    assert tuesday_cell.split("</td>", 1)[0].count('cal-text">Mardi matin') == 1
    assert ">09:30<" in week.text and ">23:15<" in week.text
    assert 'draggable="true"' in week.text
    assert f"date={(monday - timedelta(days=7)).isoformat()}" in week.text  # previous week

    month = client.get(f"/calendar?view=month&date={(monday + timedelta(days=1)).isoformat()}")
    assert month.status_code == 200
    assert "Mardi matin" in month.text and "Dix semaines après" not in month.text
    assert 'class="day-number">' in month.text
    later = client.get(f"/calendar?view=month&date={(monday + timedelta(days=70)).isoformat()}")
    assert "Dix semaines après" in later.text and "Mardi matin" not in later.text
    # Nonsense in the query string falls back to this week.
    assert client.get("/calendar?view=year&date=garbage").status_code == 200


def test_dragging_across_the_spring_dst_change_keeps_the_local_time(
    rt: Runtime, client: TestClient
) -> None:
    change = next_spring_change()
    saturday = change - timedelta(days=1)
    email, (post_id,) = setup(rt, ("Visite", at_local(saturday, 10)))
    f.sign_in(client, email)
    csrf = f.csrf_of(client)
    before = scheduled(rt, post_id)
    resp = client.post(
        "/calendar/move",
        json={"post_id": post_id, "date": change.isoformat(), "version": version(rt, post_id)},
        headers={"X-CSRF-Token": csrf},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["ok"] is True and resp.json()["time"] == "10:00"
    after = scheduled(rt, post_id)
    assert utc_to_local(after, TZ).time() == time(10)
    assert utc_to_local(after, TZ).date() == change
    # Only 23 hours passed: the clocks went forward in between.
    assert after - before == timedelta(hours=23)
    assert before.astimezone(UTC).hour == 9 and after.astimezone(UTC).hour == 8


def test_dropping_on_a_week_slot_sets_day_and_hour(rt: Runtime, client: TestClient) -> None:
    day = utc_to_local(utcnow(), TZ).date() + timedelta(days=10)
    email, (post_id,) = setup(rt, ("Conférence", at_local(day, 16, 30)))
    f.sign_in(client, email)
    csrf = f.csrf_of(client)
    target = day + timedelta(days=2)
    resp = client.post(
        "/calendar/move",
        data={
            "csrf_token": csrf,
            "post_id": str(post_id),
            "datetime": f"{target.isoformat()}T09:30",
            "version": str(version(rt, post_id)),
        },
    )
    assert resp.status_code == 200 and resp.json()["ok"]
    assert utc_to_local(scheduled(rt, post_id), TZ).replace(tzinfo=None) == datetime.combine(
        target, time(9, 30)
    )
    history = client.get(f"/posts/{post_id}").text
    assert "moved it in time" in history


def test_a_refused_move_says_why_and_changes_nothing(rt: Runtime, client: TestClient) -> None:
    day = utc_to_local(utcnow(), TZ).date() + timedelta(days=5)
    email, (post_id,) = setup(rt, ("Atelier", at_local(day, 14)))
    f.sign_in(client, email)
    csrf = f.csrf_of(client)
    headers = {"X-CSRF-Token": csrf}
    before = scheduled(rt, post_id)
    past = client.post(
        "/calendar/move",
        json={"post_id": post_id, "date": "2020-01-06", "version": version(rt, post_id)},
        headers=headers,
    )
    assert past.status_code == 422
    assert past.json() == {
        "ok": False,
        "message": "This time is in the past. Choose a time to come.",
    }
    stale = client.post(
        "/calendar/move",
        json={
            "post_id": post_id,
            "date": (day + timedelta(days=1)).isoformat(),
            "version": version(rt, post_id) - 1,
        },
        headers=headers,
    )
    assert stale.status_code == 409 and "Someone changed this post" in stale.json()["message"]
    missing = client.post(
        "/calendar/move", json={"post_id": 987654, "date": "2030-01-01"}, headers=headers
    )
    assert missing.status_code == 404 and missing.json()["ok"] is False
    garbage = client.post("/calendar/move", json={"post_id": "x"}, headers=headers)
    assert garbage.status_code == 422
    assert scheduled(rt, post_id) == before


def test_a_volunteer_cannot_move_someone_elses_post(rt: Runtime, client: TestClient) -> None:
    day = utc_to_local(utcnow(), TZ).date() + timedelta(days=5)
    email, (post_id,) = setup(rt, ("Du manager", at_local(day, 14)), role="contributor")
    f.sign_in(client, email)
    page = client.get(f"/calendar?date={day.isoformat()}")
    assert "Du manager" in page.text and 'draggable="true"' not in page.text
    resp = client.post(
        "/calendar/move",
        json={"post_id": post_id, "date": (day + timedelta(days=1)).isoformat()},
        headers={"X-CSRF-Token": f.csrf_of(client)},
    )
    assert resp.status_code == 403 and resp.json()["ok"] is False


def test_a_post_sent_as_soon_as_possible_shows_when_it_goes_out(
    rt: Runtime, client: TestClient
) -> None:
    email, _ = setup(rt, ("Tout de suite", None))
    with rt.db.transaction() as s:
        author = s.scalars(select(User).where(User.email == email)).one()
        channel = s.scalars(select(Channel)).one()
        f.post(s, author.workspace, author, [channel], text="Brouillon sans date", intent="draft")
    f.sign_in(client, email)
    week = client.get("/calendar")
    assert 'cal-text">Tout de suite' in week.text  # approved, waiting for the worker
    assert "Brouillon sans date" not in week.text  # no time yet: not on the calendar
    from palabre.worker import build_runner

    build_runner(rt).run_until_idle()
    assert 'cal-text">Tout de suite' in client.get("/calendar?view=month").text


def test_a_crowded_day_shows_a_few_posts_and_leads_to_all_of_them(
    rt: Runtime, client: TestClient
) -> None:
    day = utc_to_local(utcnow(), TZ).date() + timedelta(days=9)
    # Six posts at 10:00-10:50 on one day: more than a month's day or a week's hour shows.
    email, _ = setup(rt, *[(f"Atelier n°{i}", at_local(day, 10, 10 * i)) for i in range(6)])
    f.sign_in(client, email)
    month = client.get(f"/calendar?view=month&date={day.isoformat()}").text
    cell = month.split(f'data-date="{day.isoformat()}">', 1)[1].split('role="cell"', 1)[0]
    assert cell.count('class="cal-post') == cal.MONTH_PER_DAY
    assert "+2 more" in cell and "6 posts this day" in cell
    link = cell.split('class="cal-more" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link.endswith(f"/calendar?view=day&date={day.isoformat()}")

    week = client.get(f"/calendar?view=week&date={day.isoformat()}").text
    slot = week.split(f'data-date="{day.isoformat()}" data-hour="10">', 1)[1].split("</td>", 1)[0]
    assert slot.count('class="cal-post') == cal.WEEK_PER_HOUR and "+3 more" in slot
    assert f"view=day&amp;date={day.isoformat()}#h10" in slot

    whole = client.get(link.split("testserver", 1)[-1])
    assert whole.status_code == 200
    assert "6 posts this day." in whole.text
    for i in range(6):  # every post of the day, each once in the grid and once in the list
        assert whole.text.count(f'cal-text">Atelier n°{i}<') == 2
    assert "more</a>" not in whole.text
    assert 'draggable="true"' in whole.text and 'data-hour="10"' in whole.text
    assert f"date={(day - timedelta(days=1)).isoformat()}" in whole.text  # the day before


@pytest.mark.parametrize("role", f.ROLES)
def test_who_may_drag_a_post_matches_who_may_edit_it(rt: Runtime, role: str) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s, tz=TZ)
        person = f.user(s, ws, role)
        other = f.user(s, ws, "owner")
        for author in (person, other):
            for state in PostState:
                post = Post(workspace_id=ws.id, author_id=author.id, state=state, text="x")
                entry = CalendarEntry(post.id or 0, state, utcnow(), "x", 1, author.id)
                assert cal.mover(person)(entry) == rights.can_edit(post, person), (
                    role,
                    state,
                    author is person,
                )
