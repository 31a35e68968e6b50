"""Notifications becoming conversations: grouping, idempotency, reopening, counters,
and bad input (empty, very long, emoji only, right-to-left, HTML, garbage)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox import counters, services
from palabre.inbox.conversation_models import Conversation, InboxCount, Message, Status
from palabre.inbox.models import Notification
from palabre.inbox.threads import ingest_pending
from tests import factories as f
from tests.inbox_support import conversations, incoming, person, store


@pytest.fixture
def setup(rt: Runtime) -> tuple[int, int, int]:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        manager = f.user(s, ws, "manager")
        channel = f.preview_channel(rt, s, ws, manager)
        return ws.id, channel.id, manager.id


def badge(rt: Runtime, ws_id: int, user_id: int | None = None) -> int:
    with rt.db.transaction(write=False) as s:
        return counters.to_handle(s.connection(), ws_id, user_id)


def test_replies_join_their_thread_and_likes_follows_stay_out(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, _ = setup
    first = incoming("Est-ce accessible ?", post_id="a1", parent="ours1", kind="reply")
    store(
        rt,
        ws,
        ch,
        first,
        incoming("Même question", post_id="b1", parent="a1", kind="reply", author="bob@x.org"),
        incoming("Bravo !", post_id="c1"),
        incoming("", kind="like", post_id="zz"),
        incoming("", kind="follow"),
        incoming("Thread", post_id="d2", root="r9", parent="d1", kind="reply"),
        incoming("Thread again", post_id="d3", root="r9", parent="d2", kind="reply"),
    )
    convs = conversations(rt)
    assert [(c.root_id, len(m)) for c, m in convs] == [("ours1", 2), ("c1", 1), ("r9", 2)]
    assert convs[0][0].contact_handle == "bob@x.org"  # who wrote last
    assert badge(rt, ws) == 3


def test_a_notification_seen_twice_makes_one_message(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, _ = setup
    n = incoming("Bonjour")
    assert store(rt, ws, ch, n) == 1
    assert store(rt, ws, ch, n, n) == 0
    with rt.db.transaction() as s:
        assert ingest_pending(s.connection(), ws) == 0  # nothing left aside
        assert s.scalar(select(func.count()).select_from(Message)) == 1
    assert badge(rt, ws) == 1


def test_writing_again_reopens_a_closed_or_waiting_conversation(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, manager_id = setup
    store(rt, ws, ch, incoming("Question", post_id="q1"))
    [(conv, _)] = conversations(rt)
    with rt.db.transaction() as s:
        c = services.get_conversation(s, ws, conv.id)
        services.set_status(s, c, Status.closed, actor=person(s, manager_id))
    assert badge(rt, ws) == 0
    store(rt, ws, ch, incoming("Encore moi", post_id="q2", parent="q1", kind="reply"))
    [(conv, msgs)] = conversations(rt)
    assert conv.status == "open" and len(msgs) == 2 and conv.unread == 2
    assert badge(rt, ws) == 1
    with rt.db.transaction(write=False) as s:
        rows = {(r.assignee_key, r.status): r.n for r in s.scalars(select(InboxCount))}
    assert rows == {(0, "new"): 0, (0, "closed"): 0, (0, "open"): 1}


BAD = [
    "",
    "x" * 10_000,
    "🎉🎉🎉🙏",
    "مرحبا، هل المتحف مفتوح اليوم؟",
    "<script>alert(1)</script> & <b>gras</b>",
    "\x01 garbage \udcff".encode("utf-8", "replace").decode(),
]


@pytest.mark.parametrize("text", BAD, ids=["empty", "long", "emoji", "rtl", "html-ish", "garbage"])
def test_bad_input_is_stored_and_triaged_or_left_untriaged(rt: Runtime, setup, text: str) -> None:  # type: ignore[no-untyped-def]
    ws, ch, _ = setup
    store(rt, ws, ch, incoming(text))
    [(conv, [msg])] = conversations(rt)
    assert msg.text == text
    assert msg.category is not None and msg.reasons  # triaged, even an empty message
    assert len(conv.snippet) <= 300


def test_mastodon_html_is_sanitised_before_it_is_stored(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, _ = setup
    html = (
        '<p>Hello <a href="https://x.org" onclick="steal()">x</a>'
        '<script>alert(1)</script><img src=x onerror="y()"><a href="javascript:evil()">j</a></p>'
    )
    store(rt, ws, ch, incoming("Hello x j", html=html))
    [(_, [msg])] = conversations(rt)
    assert msg.html is not None
    for bad in ("script", "onclick", "onerror", "javascript:", "<img"):
        assert bad not in msg.html
    assert 'href="https://x.org"' in msg.html and msg.text == "Hello x j"


def test_a_reply_to_a_post_we_deleted_still_makes_a_conversation(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, _ = setup
    store(rt, ws, ch, incoming("Le lien est cassé", post_id="e1", parent="gone", kind="reply"))
    [(conv, [msg])] = conversations(rt)
    assert conv.root_id == "gone" and conv.subject_post_id is None and msg.parent_id == "gone"


def test_a_notification_without_any_post_is_kept_in_its_own_conversation(
    rt: Runtime, setup
) -> None:  # type: ignore[no-untyped-def]
    ws, ch, _ = setup
    from palabre.channels.base import Account, NotificationKind
    from palabre.channels.base import Notification as Incoming

    odd = Incoming("odd-1", NotificationKind.mention, utcnow(), Account("1", "who@x"), text="?")
    store(rt, ws, ch, odd)
    [(conv, [msg])] = conversations(rt)
    assert conv.root_id == "notification:odd-1" and msg.remote_id is None


def test_messages_left_aside_are_threaded_later(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    """A notification stored without its message (before the inbox existed, or after an
    error) is threaded by the catch-up; nothing is lost."""
    ws, ch, _ = setup
    with rt.db.transaction() as s:
        s.add(
            Notification(
                workspace_id=ws,
                channel_id=ch,
                remote_id="old-1",
                kind="mention",
                created_at=utcnow() - timedelta(days=2),
                author_id="1",
                author_handle="old@x",
                text="Un ancien message",
                post_id="old-post",
            )
        )
    with rt.db.transaction() as s:
        assert ingest_pending(s.connection(), ws) == 1
        assert ingest_pending(s.connection(), ws) == 0
    [(conv, [msg])] = conversations(rt)
    assert msg.text == "Un ancien message" and conv.status == "new"


def test_priority_orders_urgent_and_important_first(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, _ = setup
    store(
        rt,
        ws,
        ch,
        incoming("Merci pour la belle expo", post_id="m1"),
        incoming(
            "URGENT : un enfant s'est blessé dans la salle 3, personne ne répond", post_id="m2"
        ),
    )
    with rt.db.transaction(write=False) as s:
        rows = s.scalars(select(Conversation).order_by(Conversation.priority.desc())).all()
        assert rows[0].root_id == "m2" and rows[0].urgency == "urgent"


def test_very_long_remote_ids_still_group_once(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, _ = setup
    root = "at://did:plc:x/app.bsky.feed.post/" + "r" * 600
    store(
        rt,
        ws,
        ch,
        incoming("Un", post_id="l1", root=root, kind="reply"),
        incoming("Deux", post_id="l2", root=root, kind="reply"),
    )
    [(conv, msgs)] = conversations(rt)
    assert len(conv.root_id) == 500 and len(msgs) == 2


def test_nul_characters_and_oversized_values_from_a_network_are_stored_cut(
    rt: Runtime,
    setup,  # type: ignore[no-untyped-def]
) -> None:
    ws, ch, _ = setup
    n = incoming("a\x00b", post_id="p" * 700, author="x" * 400 + "@example.org")
    store(rt, ws, ch, n)
    [(conv, [msg])] = conversations(rt)
    assert msg.text == "ab" and len(msg.remote_id or "") == 500
    assert len(conv.contact_handle) == 255


def test_a_notification_threaded_twice_is_refused_without_losing_the_rest_of_the_batch(
    rt: Runtime,
    setup,  # type: ignore[no-untyped-def]
) -> None:
    """Two workers threading the same notification: the second attempt fails on the
    unique message (one message per notification) and the others of its batch go in."""
    ws, ch, _ = setup
    store(rt, ws, ch, incoming("Déjà là", post_id="dup-1"))
    with rt.db.transaction() as s:
        s.add(
            Notification(
                workspace_id=ws,
                channel_id=ch,
                remote_id="late-1",
                kind="mention",
                created_at=utcnow(),
                author_id="2",
                author_handle="late@x",
                text="Arrivé après",
                post_id="late-post",
            )
        )
    with rt.db.transaction() as s:
        ids = list(s.scalars(select(Notification.id).order_by(Notification.id)))
        from palabre.inbox.threads import ingest_ids

        assert ingest_ids(s.connection(), ids) == 1
    texts = sorted(m.text for _, msgs in conversations(rt) for m in msgs)
    assert texts == ["Arrivé après", "Déjà là"]
    assert badge(rt, ws) == 2
