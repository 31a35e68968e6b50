"""News relay through the worker: what becomes a suggestion, what never does, and what
approving, skipping and auto mode make of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from palabre.automations import suggestions as sugg
from palabre.automations.guardrails import is_quiet, violations
from palabre.automations.models import Automation, Suggestion
from palabre.automations.planner import guardrails_of, rules_of
from palabre.core.errors import Conflict, Forbidden
from palabre.core.runtime import Runtime
from palabre.models import STATOR_MODELS
from palabre.publishing.models import Post
from palabre.stator import StatorRunner
from tests import factories as f
from tests.integration.automation_support import all_suggestions, run_automations

NOW = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)  # 10:00 in Paris


def run(rt: Runtime, now: datetime = NOW) -> None:
    run_automations(rt, now)


suggestions = all_suggestions


@pytest.fixture
def museum(rt: Runtime) -> dict:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        ch = f.preview_channel(rt, s, ws, boss)
        feed = f.source(s, ws)
        ids = {"ws": ws.id, "boss": boss.id, "channel": ch.id, "feed": feed.id}
        for role in ("member", "contributor", "viewer"):
            ids[role] = f.user(s, ws, role).id
    return ids


def _setup(rt: Runtime, museum: dict, **settings: object) -> int:
    from palabre.channels.models import Channel
    from palabre.sources.models import Source
    from palabre.team.models import User, Workspace

    with rt.db.transaction() as s:
        ws = s.get(Workspace, museum["ws"])
        boss = s.get(User, museum["boss"])
        feed = s.get(Source, museum["feed"])
        ch = s.get(Channel, museum["channel"])
        mode = str(settings.pop("mode", "suggest"))
        auto = f.automation(s, ws, boss, "news", [feed], [ch], mode=mode, **settings)
        auto.created_at = NOW - timedelta(days=30)
        return auto.id


def _items(rt: Runtime, museum: dict) -> dict[str, int]:
    from palabre.sources.models import Source

    with rt.db.transaction() as s:
        feed = s.get(Source, museum["feed"])
        fresh = f.source_item(s, feed, "Nuit des musées", published_at=NOW - timedelta(hours=3))
        old = f.source_item(s, feed, "Vieille nouvelle", published_at=NOW - timedelta(days=9))
        backlog = f.source_item(s, feed, "Archive", published_at=NOW, backlog=True)
        dup = f.source_item(
            s, feed, "Nuit des musées (bis)", published_at=NOW, duplicate_of_id=fresh.id
        )
        closed = f.source_item(
            s, feed, "Fermeture exceptionnelle", published_at=NOW, summary_text="Travaux."
        )
        return {
            "fresh": fresh.id,
            "old": old.id,
            "backlog": backlog.id,
            "dup": dup.id,
            "closed": closed.id,
        }


def test_only_new_wanted_items_become_suggestions_once(rt: Runtime, museum: dict) -> None:
    _setup(rt, museum, exclude=["FERMETURE"])
    items = _items(rt, museum)
    run(rt)
    made = suggestions(rt)
    assert [s.source_item_id for s in made] == [items["fresh"]]
    text = made[0].text_for(museum["channel"])
    assert "Nuit des musées" in text and "#Événements" in text and text.endswith("#Événements")
    # The worker comes back, the feed is replayed: nothing new.
    run(rt, NOW + timedelta(minutes=10))
    assert len(suggestions(rt)) == 1


def test_keywords_are_whole_words_accent_and_case_blind(rt: Runtime, museum: dict) -> None:
    _setup(rt, museum, include=["ete"])
    from palabre.sources.models import Source

    with rt.db.transaction() as s:
        feed = s.get(Source, museum["feed"])
        yes = f.source_item(s, feed, "L'ÉTÉ au musée", published_at=NOW)
        f.source_item(s, feed, "Une fête", summary_text="Un complété.", published_at=NOW)
    run(rt)
    assert [x.source_item_id for x in suggestions(rt)] == [yes.id]


def _approve(rt: Runtime, museum: dict, role: str, text: str | None = None) -> Post:
    from palabre.team.models import User

    with rt.db.transaction() as s:
        row = s.scalars(select(Suggestion)).first()
        assert row is not None
        user = s.get(User, museum[role])
        assert user is not None
        texts = {str(museum["channel"]): text} if text else None
        post = sugg.approve(s, row, actor=user, texts=texts, now=NOW)
        s.expunge(post)
        return post


def test_a_member_approves_into_a_scheduled_post_at_the_next_allowed_time(
    rt: Runtime, museum: dict
) -> None:
    _setup(rt, museum)
    _items(rt, museum)
    late = NOW.replace(hour=20, minute=30)  # 22:30 in Paris: quiet hours
    run(rt, late)
    from palabre.team.models import User

    with rt.db.transaction() as s:
        row = s.scalars(select(Suggestion).order_by(Suggestion.id)).first()
        assert row is not None
        post = sugg.approve(
            s,
            row,
            actor=s.get(User, museum["member"]),
            texts={str(museum["channel"]): "Venez !"},
            now=late,
        )
        assert post.state == "scheduled" and post.origin == "automation" and post.text == "Venez !"
        assert post.scheduled_at == datetime(2027, 5, 13, 6, 0, tzinfo=UTC)  # 08:00 Paris
        assert row.state == "approved" and row.post_id == post.id
        with pytest.raises(Conflict):
            sugg.approve(s, row, actor=s.get(User, museum["member"]), now=late)


def test_a_contributor_proposes_and_cannot_skip_a_viewer_reads(rt: Runtime, museum: dict) -> None:
    _setup(rt, museum)
    _items(rt, museum)
    run(rt)
    from palabre.team.models import User

    with rt.db.transaction() as s:
        row = s.scalars(select(Suggestion).order_by(Suggestion.id)).first()
        assert row is not None
        with pytest.raises(Forbidden):
            sugg.approve(s, row, actor=s.get(User, museum["viewer"]), now=NOW)
        with pytest.raises(Forbidden):
            sugg.skip(s, row, actor=s.get(User, museum["contributor"]))
        post = sugg.approve(s, row, actor=s.get(User, museum["contributor"]), now=NOW)
        assert post.state == "awaiting_approval"


def _fresh_items(rt: Runtime, museum: dict, count: int, step: timedelta) -> None:
    from palabre.sources.models import Source

    with rt.db.transaction() as s:
        feed = s.get(Source, museum["feed"])
        for n in range(count):
            f.source_item(s, feed, f"Nouvelle {n}", published_at=NOW - n * step)


def test_auto_mode_schedules_within_the_guardrails(rt: Runtime, museum: dict) -> None:
    _setup(rt, museum, mode="auto")
    _fresh_items(rt, museum, 7, timedelta(minutes=1))
    run(rt)
    with rt.db.transaction() as s:
        posts = list(s.scalars(select(Post).order_by(Post.scheduled_at)))
        rails = rules_of(guardrails_of(s, museum["channel"]), "Europe/Paris")
        assert len(posts) == 7 and all(p.state == "scheduled" for p in posts)
        times = [p.scheduled_at for p in posts if p.scheduled_at]
        assert violations(times, rails) == []
        assert not any(is_quiet(t, rails) for t in times)
        assert len({t.date() for t in times}) >= 3  # three a day at most
        assert all(
            x.state == "approved" and x.decided_by_id is None for x in s.scalars(select(Suggestion))
        )


def test_another_automation_on_the_same_channel_does_not_suggest_it_again(
    rt: Runtime, museum: dict
) -> None:
    first = _setup(rt, museum)
    _setup(rt, museum)
    _items(rt, museum)
    run(rt)
    made = suggestions(rt)
    assert len(made) == 2 and {s.automation_id for s in made} == {first}


def test_the_whole_worker_publishes_an_auto_post(rt: Runtime, museum: dict) -> None:
    _setup(rt, museum, mode="auto", exclude=["fermeture"])
    _items(rt, museum)
    runner = StatorRunner(rt.db, list(STATOR_MODELS), services=rt.worker_services())
    runner.run_once(NOW)
    runner.run_until_idle(NOW + timedelta(minutes=1))
    with rt.db.transaction() as s:
        post = s.scalars(select(Post)).one()
        assert post.state == "published"
        assert (
            post.deliveries[0].published_text
            and "Nuit des musées" in post.deliveries[0].published_text
        )


def test_one_run_fills_the_whole_horizon_without_counting_a_post_twice(
    rt: Runtime, museum: dict
) -> None:
    """130 items, two automated posts a day: today and the 60 days the planner looks ahead
    hold 122, two a day, and the 8 others wait with a note."""
    from palabre.automations import services
    from palabre.channels.models import Channel
    from palabre.sources.models import Source
    from palabre.team.models import User

    _setup(rt, museum, mode="auto")
    with rt.db.transaction() as s:
        boss = s.get(User, museum["boss"])
        channel = s.get(Channel, museum["channel"])
        assert boss is not None and channel is not None
        services.update_guardrails(s, channel, actor=boss, daily_cap=2)
        feed = s.get(Source, museum["feed"])
        for n in range(130):
            f.source_item(s, feed, f"Nouvelle {n}", published_at=NOW - timedelta(minutes=n))
    run(rt)
    with rt.db.transaction() as s:
        times = [p.scheduled_at for p in s.scalars(select(Post)) if p.scheduled_at]
        assert len(times) == 122 and len({t.date() for t in times}) == 61
        waiting = [x for x in s.scalars(select(Suggestion)) if x.state == "pending"]
        assert len(waiting) == 8 and all(x.note for x in waiting)


def test_a_removed_channel_is_left_out_and_none_left_is_refused(rt: Runtime, museum: dict) -> None:
    from palabre.channels.models import Channel
    from palabre.team.models import User

    with rt.db.transaction() as s:
        boss = s.get(User, museum["boss"])
        assert boss is not None
        other = f.preview_channel(rt, s, boss.workspace, boss, name="Autre", imitates="bluesky")
        other_id = other.id
    _setup(rt, museum)
    with rt.db.transaction() as s:
        row = s.scalars(select(Automation)).one()
        row.channels.append(s.get(Channel, other_id))
    _items(rt, museum)
    run(rt)
    with rt.db.transaction() as s:
        s.delete(s.get(Channel, other_id))
    with rt.db.transaction() as s:
        first, second = s.scalars(select(Suggestion).order_by(Suggestion.id)).all()
        member = s.get(User, museum["member"])
        assert member is not None
        post = sugg.approve(s, first, actor=member, now=NOW)
        assert [v.channel_id for v in post.variants] == [museum["channel"]]
        s.delete(s.get(Channel, museum["channel"]))
        s.flush()
        with pytest.raises(Conflict):
            sugg.approve(s, second, actor=member, now=NOW)


def test_pausing_auto_mode_holds_the_posts_it_had_scheduled(rt: Runtime, museum: dict) -> None:
    from palabre.automations import services as automations
    from palabre.automations import share
    from palabre.publishing import services as publishing
    from palabre.publishing.models import Delivery
    from palabre.team.models import User

    aid = _setup(rt, museum, mode="auto")
    _fresh_items(rt, museum, 3, timedelta(hours=1))
    run(rt)
    with rt.db.transaction() as s:
        posts = list(s.scalars(select(Post).where(Post.automation_id == aid)))
        assert [p.state for p in posts] == ["scheduled"] * 3  # planned days ahead
        boss = s.get(User, museum["boss"])
        assert boss is not None
        automations.pause(s, s.get(Automation, aid), actor=boss)  # type: ignore[arg-type]
    with rt.db.transaction() as s:
        posts = list(s.scalars(select(Post).where(Post.automation_id == aid)))
        assert [p.state for p in posts] == ["awaiting_approval"] * 3
        assert {d.state for d in s.scalars(select(Delivery))} == {"cancelled"}
        boss = s.get(User, museum["boss"])
        automations.resume(s, s.get(Automation, aid), actor=boss, now=NOW)  # type: ignore[arg-type]
    run(rt, NOW + timedelta(minutes=10))
    StatorRunner(rt.db, STATOR_MODELS).run_until_idle(NOW + timedelta(days=61))
    with rt.db.transaction() as s:
        posts = list(s.scalars(select(Post).where(Post.automation_id == aid)))
        assert [p.state for p in posts] == ["awaiting_approval"] * 3  # nothing re-sent alone
        boss = s.get(User, museum["boss"])
        publishing.approve_post(s, posts[0], actor=boss)  # type: ignore[arg-type]
        assert posts[0].state == "scheduled"
        assert {d.state for d in posts[0].deliveries} == {"scheduled"}
        # The ceiling's pause holds them too.
        auto = s.get(Automation, aid)
        assert auto is not None
        found = share.shares(s, museum["ws"], NOW)[0]
        share.pause_for_share(s, auto, found, NOW)
        assert posts[0].state == "awaiting_approval"
