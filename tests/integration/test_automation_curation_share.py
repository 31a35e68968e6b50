"""Curation picks the day's best items once; the automated share pauses auto mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from palabre.automations import services as automations
from palabre.automations import share
from palabre.automations.models import Automation, Suggestion
from palabre.core.runtime import Runtime
from palabre.publishing.models import Post
from palabre.team.models import Notice, User
from tests import factories as f
from tests.integration.automation_support import run_automations

NOW = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)  # 10:00 in Paris


def run(rt: Runtime, now: datetime = NOW) -> None:
    run_automations(rt, now)


def test_curation_suggests_the_best_items_once_per_link(rt: Runtime) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        ch = f.preview_channel(rt, s, ws, boss)
        blog = f.source(s, ws, name="Blog")
        journal = f.source(s, ws, name="Journal", weight=3.0)
        at = NOW - timedelta(hours=2)
        title = f.source_item(s, blog, "La mosaïque de Lyon", published_at=at, summary_text="")
        f.source_item(s, blog, "Visite", summary_text="Une mosaïque.", published_at=at)
        f.source_item(s, blog, "Concert", summary_text="Jazz.", published_at=at)
        same = f.source_item(
            s, journal, "La mosaïque de Lyon", canonical_link=title.canonical_link, published_at=at
        )
        row = f.automation(
            s, ws, boss, "curation", [blog, journal], [ch], keywords=["Mosaique"], per_day=2
        )
        early = NOW.replace(hour=5)  # 07:00 in Paris: before pick_at (09:00)
        assert automations.run_now(s, row, actor=boss, now=early) == 0
    run(rt)
    with rt.db.transaction() as s:
        rows = list(s.scalars(select(Suggestion).order_by(Suggestion.score.desc())))
        assert rows[0].source_item_id == same.id  # heavier source, same words
        assert len(rows) == 2 and title.id not in {r.source_item_id for r in rows}
        assert rows[0].score and rows[1].score and rows[0].score > rows[1].score
    run(rt, NOW + timedelta(hours=1))
    with rt.db.transaction() as s:
        assert len(list(s.scalars(select(Suggestion)))) == 2  # the day's two, no more


def _published(rt: Runtime, s, ws, author, ch, automated: bool) -> None:  # type: ignore[no-untyped-def]
    post = f.post(s, ws, author, [ch], text=f"Message {automated}", when=None)
    post.state = "published"
    post.origin = "automation" if automated else None
    for d in post.deliveries:
        d.state = "published"
        d.next_attempt_at = None
        d.published_at = NOW - timedelta(days=1)
    s.flush()


def test_above_the_ceiling_auto_mode_pauses_until_a_manager_resumes(rt: Runtime) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        ch = f.preview_channel(rt, s, ws, boss)
        feed = f.source(s, ws)
        auto = f.automation(s, ws, boss, "news", [feed], [ch], mode="auto")
        calm = f.automation(s, ws, boss, "news", [f.source(s, ws, name="Autre")], [ch])
        for n in range(6):
            _published(rt, s, ws, boss, ch, automated=n > 0)  # 5 of 6 automated: 83 %
        found = share.shares(s, ws.id, NOW)[0]
        assert (found.automated_7, found.total_7, found.percent_7, found.level) == (
            5,
            6,
            83,
            "ceiling",
        )
        f.source_item(s, feed, "Nouvelle", published_at=NOW)
        auto_id, calm_id, boss_id = auto.id, calm.id, boss.id
    run(rt)
    with rt.db.transaction() as s:
        auto = s.get(Automation, auto_id)
        assert auto is not None and auto.paused_reason == "share"
        assert s.get(Automation, calm_id).paused_reason is None  # type: ignore[union-attr]
        notice = s.scalars(select(Notice).where(Notice.user_id == boss_id)).one()
        assert notice.kind == "automation.share" and notice.params["percent"] == 83
        assert not list(s.scalars(select(Post).where(Post.automation_id == auto_id)))
        manager = s.get(User, boss_id)
        assert manager is not None
        automations.resume(s, auto, actor=manager, now=NOW)
    run(rt, NOW + timedelta(minutes=20))
    with rt.db.transaction() as s:
        auto = s.get(Automation, auto_id)
        assert auto is not None and auto.paused_reason is None
        assert len(list(s.scalars(select(Post).where(Post.automation_id == auto_id)))) == 1


def test_replies_sent_from_the_inbox_count_in_what_the_account_said(rt: Runtime) -> None:
    from palabre.automations import suggestions as sugg
    from palabre.inbox import replies
    from palabre.inbox.conversation_models import Conversation, MessageSend
    from palabre.inbox.threads import ingest_pending
    from palabre.stator import StatorRunner

    now = datetime.now(UTC)
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        ch = f.preview_channel(rt, s, ws, boss)
        thanks = f.automation(s, ws, boss, "thanks", [], [ch])
        thanks.created_at = now - timedelta(days=2)
        for n in range(6):
            post = f.post(s, ws, boss, [ch], text=f"Message {n}", when=None)
            post.state, post.origin = "published", "automation" if n else None
            for d in post.deliveries:
                d.state, d.next_attempt_at, d.published_at = "published", None, now
        for n in range(4):
            f.notification(s, ch, "mention", text=f"Question {n}", post_id=f"q-{n}")
        ingest_pending(s.connection(), ws.id)
        assert share.shares(s, ws.id, now)[0].level == "ceiling"  # 5 of 6 posts
        convs = list(s.scalars(select(Conversation).order_by(Conversation.id)))
        for conv in convs[:3]:  # three answered by a person
            replies.reply(s, conv, "Bonne question, voici la réponse.", actor=boss, force=True)
        ids = (ws.id, boss.id)
    run_automations(rt, now + timedelta(minutes=1))
    with rt.db.transaction() as s:
        last = s.scalars(select(Suggestion).order_by(Suggestion.id.desc())).first()
        assert last is not None and last.notification_id is not None
        sugg.approve(s, last, actor=s.get(User, ids[1]), now=now)  # type: ignore[arg-type]
    StatorRunner(rt.db, [MessageSend]).run_until_idle()
    with rt.db.transaction() as s:
        found = share.shares(s, ids[0], now + timedelta(minutes=1))[0]
        # 6 posts (5 automated) + 3 replies by a person + 1 thank-you reply (automated)
        assert (found.automated_7, found.total_7, found.level) == (6, 10, "warning")
