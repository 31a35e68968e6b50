"""Welcome and thank-you: one suggestion per person, never the same text twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from palabre.automations import suggestions as sugg
from palabre.core.errors import Conflict
from palabre.core.runtime import Runtime
from palabre.publishing.models import Post
from palabre.team.models import User
from tests import factories as f
from tests.integration.automation_support import all_suggestions, run_automations

NOW = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)


def run(rt: Runtime, now: datetime = NOW) -> None:
    run_automations(rt, now)


@pytest.fixture
def account(rt: Runtime) -> dict:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        ch = f.preview_channel(rt, s, ws, boss)
        return {"ws": ws, "boss": boss, "channel": ch}


def _automation(rt: Runtime, account: dict, kind: str, mode: str = "suggest", **kw: object) -> int:
    with rt.db.transaction() as s:
        row = f.automation(
            s,
            s.merge(account["ws"]),
            s.merge(account["boss"]),
            kind,
            [],
            [s.merge(account["channel"])],
            mode=mode,
            **kw,
        )
        row.created_at = NOW - timedelta(days=1)
        return row.id


def _notify(rt: Runtime, account: dict, kind: str, **kw: object) -> None:
    with rt.db.transaction() as s:
        f.notification(s, s.merge(account["channel"]), kind, received_at=NOW, **kw)


_rows = all_suggestions


def test_each_follower_is_welcomed_once_with_a_text_of_their_own(
    rt: Runtime, account: dict
) -> None:
    _automation(rt, account, "welcome")
    for n in range(12):
        _notify(rt, account, "follow", author_name="Camille", author_id=f"acct-{n}")
    _notify(rt, account, "follow", author_name="Camille", author_id="acct-0")  # again
    _notify(rt, account, "like", author_name="Lou")  # not a follow
    run(rt)
    rows = _rows(rt)
    assert len(rows) == 12
    texts = [r.first_text for r in rows]
    assert len(set(texts)) == 12  # the same name, never the same text
    assert all(
        "Camille" in t and r.person_handle and r.person_handle in t
        for t, r in zip(texts, rows, strict=True)
    )
    run(rt, NOW + timedelta(minutes=10))
    assert len(_rows(rt)) == 12


def test_thanks_quote_what_the_person_said(rt: Runtime, account: dict) -> None:
    _automation(rt, account, "thanks")
    _notify(
        rt,
        account,
        "mention",
        author_name="Lou",
        text="Superbe exposition sur les   mosaïques romaines !",
    )
    _notify(rt, account, "repost", author_name="Sam")
    run(rt)
    mention, repost = _rows(rt)
    assert "Superbe exposition sur les mosaïques romaines !" in mention.first_text
    assert mention.quote and "Lou" in mention.first_text
    assert "Sam" in repost.first_text and repost.kind == "thanks"


def test_an_edited_text_already_sent_to_someone_else_is_refused(rt: Runtime, account: dict) -> None:
    _automation(rt, account, "welcome")
    _notify(rt, account, "follow", author_name="Ana")
    _notify(rt, account, "follow", author_name="Léo")
    run(rt)
    first, second = _rows(rt)
    cid = str(account["channel"].id)
    with rt.db.transaction() as s:
        boss = s.get(User, account["boss"].id)
        assert boss is not None
        sugg.approve(s, s.merge(first), actor=boss, texts={cid: "Bienvenue à vous !"}, now=NOW)
    with rt.db.transaction() as s:
        boss = s.get(User, account["boss"].id)
        assert boss is not None
        with pytest.raises(Conflict):
            sugg.approve(
                s, s.merge(second), actor=boss, texts={cid: "Bienvenue  à VOUS !"}, now=NOW
            )


def test_auto_mode_has_its_own_daily_cap(rt: Runtime, account: dict) -> None:
    _automation(rt, account, "welcome", mode="auto", daily_cap=2)
    for _ in range(4):
        _notify(rt, account, "follow")
    run(rt)
    rows = _rows(rt)
    assert [r.state for r in rows] == ["approved", "approved", "pending", "pending"]
    with rt.db.transaction() as s:
        assert all(p.origin == "automation" for p in s.scalars(select(Post)))


def test_a_thank_you_for_a_mention_is_a_reply_in_their_thread(rt: Runtime, account: dict) -> None:
    from palabre.channels.preview.models import PreviewRecord
    from palabre.inbox.conversation_models import Message, MessageSend
    from palabre.inbox.threads import ingest_pending
    from palabre.stator import StatorRunner

    _automation(rt, account, "thanks")
    _notify(rt, account, "mention", author_name="Lou", text="Merci !", post_id="lou-post-1")
    _notify(rt, account, "repost", author_name="Sam")  # no message of theirs to answer
    with rt.db.transaction() as s:
        ingest_pending(s.connection(), account["ws"].id)  # the inbox threads the mention
    run(rt)
    mention, repost = _rows(rt)
    with rt.db.transaction() as s:
        boss = s.get(User, account["boss"].id)
        assert boss is not None
        made = sugg.approve(s, s.merge(mention), actor=boss, now=NOW)
        assert isinstance(made, Message) and made.parent_id == "lou-post-1"
        assert made.state == "sending" and made.direction == "out"
        reposted = sugg.approve(s, s.merge(repost), actor=boss, now=NOW)
        assert isinstance(reposted, Post)  # a post that mentions Sam
        assert s.scalar(select(Post).where(Post.text.contains("Lou"))) is None
    StatorRunner(rt.db, [MessageSend]).run_until_idle()
    with rt.db.transaction() as s:
        record = s.scalars(select(PreviewRecord)).one()
        assert record.details == {"reply_to": "lou-post-1"}
        assert "Lou" in record.text
        assert s.get(type(mention), mention.id).state == "approved"  # type: ignore[union-attr]


def test_nobody_is_dropped_when_every_phrasing_was_already_sent(rt: Runtime, account: dict) -> None:
    _automation(rt, account, "welcome", mode="auto", phrasings=["Bienvenue {{ name }} !"])
    _notify(rt, account, "follow", author_name="Camille", author_id="acct-a")
    _notify(rt, account, "follow", author_name="Camille", author_id="acct-b")
    run(rt)
    first, second = _rows(rt)
    assert first.state == "approved" and first.first_text == "Bienvenue Camille !"
    # The second Camille is not skipped: a person writes a text of their own.
    assert second.state == "pending" and second.note and "personal touch" in second.note
    assert second.person_name == "Camille"
    with rt.db.transaction() as s:
        boss = s.get(User, account["boss"].id)
        assert boss is not None
        with pytest.raises(Conflict):  # as it stands, it would repeat the first
            sugg.approve(s, s.merge(second), actor=boss, now=NOW)
    with rt.db.transaction() as s:
        boss = s.get(User, account["boss"].id)
        cid = str(account["channel"].id)
        texts = {cid: "Camille, bienvenue parmi les amis du musée !"}
        sugg.approve(s, s.merge(second), actor=boss, texts=texts, now=NOW)  # type: ignore[arg-type]


def test_a_welcome_and_a_thank_you_on_one_channel_never_say_the_same(
    rt: Runtime, account: dict
) -> None:
    _automation(rt, account, "welcome", mode="auto", phrasings=["Merci {{ name }} !"])
    _automation(rt, account, "thanks", phrasings=["Merci {{ name }} !", "Merci à vous, {{ name }}"])
    _notify(rt, account, "follow", author_name="Lou", author_id="acct-follow")
    run(rt)
    # acct-repost starts from the first phrasing: the welcome already said it.
    _notify(rt, account, "repost", author_name="Lou", author_id="acct-repost")
    run(rt, NOW + timedelta(minutes=10))
    welcome, thanks = _rows(rt)
    assert welcome.first_text == "Merci Lou !" and welcome.state == "approved"
    assert thanks.first_text == "Merci à vous, Lou"  # the other automation's text is taken
