"""The inbox against the local Mastodon API server: mentions, replies in threads and
direct messages become threaded conversations; a reply from Palabre reaches the right
thread, once; the person writing again reopens the conversation."""

from __future__ import annotations

from sqlalchemy import select

from palabre.core.errors import Conflict
from palabre.core.runtime import Runtime
from palabre.inbox import replies
from palabre.inbox import services as inbox
from palabre.inbox.conversation_models import Conversation, Message, MessageSend
from palabre.publishing.models import Delivery
from tests import factories as f
from tests.fakes.mastodon_server import MastodonServer
from tests.fixtures.mastodon import Org
from tests.inbox_support import conversations, person, read_now, run
from tests.integration.test_mastodon_worker import add_channel


def _publish(rt: Runtime, ws, manager, channel, text: str) -> str:  # type: ignore[no-untyped-def]
    with rt.db.transaction() as s:
        f.post(s, s.merge(ws), s.merge(manager), [s.merge(channel)], text=text)
    run(rt)
    with rt.db.transaction(write=False) as s:
        d = s.scalars(select(Delivery).order_by(Delivery.id.desc())).first()
        assert d is not None and d.remote_id
        return d.remote_id


def test_mentions_replies_and_direct_messages_become_threaded_conversations(
    rt: Runtime, mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    ana = str(mastodon_server.create_account("ana", "Ana")["id"])
    bob = str(mastodon_server.create_account("bob", "Bob")["id"])
    ws, manager, channel = add_channel(rt, mastodon_server, mastodon_org)
    ours = _publish(rt, ws, manager, channel, "Vernissage jeudi à 18 h")

    first = mastodon_server.reply(ana, ours, "Est-ce accessible en fauteuil ?")
    org = mastodon_org.account["username"]
    # A reply to Ana's reply (Mastodon's composer names everyone in the thread).
    mastodon_server.post(bob, f"@ana @{org} Même question", in_reply_to_id=first["id"])
    mastodon_server.mention(bob, mastodon_org.id, "Bravo pour l'expo !")
    mastodon_server.direct_message(ana, mastodon_org.id, "Bonjour, une question privée")
    mastodon_server.favourite(ana, ours)
    mastodon_server.follow(bob, mastodon_org.id)
    read_now(rt, 1)

    convs = conversations(rt)
    assert len(convs) == 3  # likes and follows are not conversations
    thread, mention, dm = convs
    assert thread[0].root_id == ours
    assert [m.text for m in thread[1]] == [
        f"@{org} Est-ce accessible en fauteuil ?",
        f"@ana @{org} Même question",
    ]
    assert thread[0].subject_post_id is not None  # the post of ours they answer
    assert thread[0].status == "new" and thread[0].message_count == 2
    assert "Bravo" in mention[1][0].text and not mention[0].direct
    assert dm[0].direct and dm[1][0].kind == "direct_message"
    assert all(m.category is not None for _, msgs in convs for m in msgs)  # triaged

    read_now(rt, 3)  # read again: nothing twice
    assert sum(len(m) for _, m in conversations(rt)) == 4


def test_a_reply_from_palabre_reaches_the_right_thread_once_and_a_new_message_reopens(
    rt: Runtime, mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    ana = str(mastodon_server.create_account("ana2", "Ana")["id"])
    ws, manager, _channel = add_channel(rt, mastodon_server, mastodon_org)
    dm = mastodon_server.direct_message(ana, mastodon_org.id, "Vous ouvrez dimanche ?")
    read_now(rt, 1)
    [(conv, msgs)] = conversations(rt)

    with rt.db.transaction() as s:
        c = inbox.get_conversation(s, ws.id, conv.id)
        replies.reply(
            s, c, "Oui, de 10 h à 18 h.", actor=person(s, manager.id), seen_message_id=msgs[-1].id
        )
    run(rt, 2)
    run(rt, 5)  # nothing sent twice
    sent = [
        s for s in mastodon_server.statuses_of(mastodon_org.id) if s["in_reply_to_id"] == dm["id"]
    ]
    assert len(sent) == 1
    assert sent[0]["visibility"] == "direct"  # a reply to a direct message stays direct
    [(conv, msgs)] = conversations(rt)
    assert conv.status == "waiting" and conv.first_response_at is not None
    assert msgs[-1].direction == "out" and msgs[-1].state == "sent"
    assert msgs[-1].remote_id == sent[0]["id"]

    # Ana answers our reply: same conversation, reopened.
    mastodon_server.reply(ana, sent[0]["id"], "Merci !")
    read_now(rt, 10)
    [(conv, msgs)] = conversations(rt)
    assert [m.direction for m in msgs] == ["in", "out", "in"]
    assert msgs[-1].kind == "direct_message" and msgs[-1].parent_id == sent[0]["id"]
    assert conv.status == "open" and conv.unread == 2


def test_two_people_replying_at_once_the_second_is_told(
    rt: Runtime, mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    ana = str(mastodon_server.create_account("ana3", "Ana")["id"])
    ws, manager, _channel = add_channel(rt, mastodon_server, mastodon_org)
    mastodon_server.mention(ana, mastodon_org.id, "Le parking est-il gratuit ?")
    read_now(rt, 1)
    [(conv, msgs)] = conversations(rt)
    with rt.db.transaction() as s:
        other = f.user(s, s.merge(ws), "member")
        s.expunge(other)
    with rt.db.transaction() as s:
        c = inbox.get_conversation(s, ws.id, conv.id)
        replies.reply(
            s, c, "Oui, gratuit.", actor=person(s, manager.id), seen_message_id=msgs[-1].id
        )
    with rt.db.transaction() as s:
        c = inbox.get_conversation(s, ws.id, conv.id)
        try:
            replies.reply(s, c, "Oui !", actor=person(s, other.id), seen_message_id=msgs[-1].id)
        except Conflict as exc:
            assert "already replied" in exc.message
        else:
            raise AssertionError("the second reply was not refused")
    with rt.db.transaction(write=False) as s:
        assert len(s.scalars(select(MessageSend)).all()) == 1
        assert s.scalar(select(Conversation.version)) is not None
        assert len(s.scalars(select(Message).where(Message.direction == "out")).all()) == 1


def test_nothing_is_lost_while_the_server_is_down_or_answers_garbage(
    rt: Runtime, mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    ana = str(mastodon_server.create_account("ana4", "Ana")["id"])
    add_channel(rt, mastodon_server, mastodon_org)
    mastodon_server.mention(ana, mastodon_org.id, "Premier message")
    mastodon_server.fail_next(2, 503)
    read_now(rt, 1)
    read_now(rt, 2)
    mastodon_server.mode = "malformed"
    read_now(rt, 3)
    assert conversations(rt) == []  # nothing read, nothing half-stored
    assert mastodon_server.failures == []  # each reading met the outage
    mastodon_server.mode = "mastodon"
    mastodon_server.mention(ana, mastodon_org.id, "Deuxième message")
    read_now(rt, 60)
    texts = sorted(m.text.split(" ", 1)[1] for _, ms in conversations(rt) for m in ms)
    assert texts == ["Deuxième message", "Premier message"]  # each its own conversation
