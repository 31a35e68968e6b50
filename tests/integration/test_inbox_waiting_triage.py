"""A conversation keeps the urgency of the messages still waiting for an answer: a
follow-up ("voici une photo") never buries "URGENT : une fuite d'eau…"; once the team
answers, the next message starts afresh; a triage correction recomputes it the same way."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox import counters, replies, services
from palabre.inbox.conversation_models import Conversation
from tests import factories as f
from tests.inbox_support import conversations, incoming, person, store

LEAK = "URGENT : une fuite d'eau inonde la salle 2, venez vite"


@pytest.fixture
def setup(rt: Runtime) -> tuple[int, int, int]:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        manager = f.user(s, ws, "manager", language="en")
        channel = f.preview_channel(rt, s, ws, manager)
        return ws.id, channel.id, manager.id


def photo(rt: Runtime, ws: int, ch: int, start: datetime) -> None:
    """The follow-up: "voici une photo", a minute after the first message (p1)."""
    at = start + timedelta(minutes=1)
    store(rt, ws, ch, incoming("voici une photo", post_id="p2", parent="p1", kind="reply", at=at))


def summary(rt: Runtime, root: str = "p1") -> tuple[int, str | None, str | None, bool | None]:
    with rt.db.transaction(write=False) as s:
        c = s.scalar(select(Conversation).where(Conversation.root_id == root))
        assert c is not None
        return c.priority, c.urgency, c.category, c.important


def test_a_follow_up_keeps_the_conversation_urgent_until_answered(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, manager_id = setup
    start = utcnow() - timedelta(minutes=30)
    store(rt, ws, ch, incoming(LEAK, post_id="p1", at=start))
    assert summary(rt) == (4, "urgent", "incident", True)
    photo(rt, ws, ch, start)
    (conv, msgs), *_ = conversations(rt)
    assert len(msgs) == 2 and conv.snippet == "voici une photo"  # the latest is shown
    assert summary(rt) == (4, "urgent", "incident", True)  # still urgent, important
    # The list: the leak still comes before a question that arrived later.
    store(
        rt,
        ws,
        ch,
        incoming("Vous ouvrez dimanche ?", post_id="q1", at=start + timedelta(minutes=2)),
    )
    with rt.db.transaction(write=False) as s:
        order = s.scalars(
            select(Conversation.root_id).order_by(
                Conversation.priority.desc(), Conversation.last_inbound_at
            )
        ).all()
    assert order == ["p1", "q1"]

    # We answer: what comes next starts afresh.
    with rt.db.transaction() as s:
        c = services.get_conversation(s, ws, conv.id)
        replies.reply(s, c, "On arrive !", actor=person(s, manager_id), seen_message_id=msgs[-1].id)
    store(rt, ws, ch, incoming("Merci beaucoup !", post_id="p3", parent="p2", kind="reply"))
    assert summary(rt) == (0, "low", "praise", False)
    # ... and is itself kept against a lesser follow-up.
    store(
        rt,
        ws,
        ch,
        incoming("Je suis très déçu, remboursez-moi", post_id="p4", parent="p3", kind="reply"),
    )
    assert summary(rt) == (2, "normal", "complaint", True)
    store(rt, ws, ch, incoming("voici une photo", post_id="p5", parent="p4", kind="reply"))
    assert summary(rt) == (2, "normal", "complaint", True)
    with rt.db.transaction() as s:  # the badges stay exact
        table = {k: n for k, n in counters.counts(s.connection(), ws).items() if n}
        counters.recount(s.connection(), ws)
        assert counters.counts(s.connection(), ws) == table == {(0, "open"): 1, (0, "new"): 1}


def test_a_correction_recomputes_from_the_messages_waiting(rt: Runtime, setup) -> None:  # type: ignore[no-untyped-def]
    ws, ch, manager_id = setup
    start = utcnow() - timedelta(minutes=30)
    store(rt, ws, ch, incoming("Vous ouvrez dimanche ?", post_id="p1", at=start))
    photo(rt, ws, ch, start)
    assert summary(rt) == (1, "normal", "question", False)
    (conv, msgs), *_ = conversations(rt)

    def correct(message_id: int, category: str, urgency: str, important: bool) -> None:
        with rt.db.transaction() as s:
            c = services.get_conversation(s, ws, conv.id)
            m = services.get_message(s, c, message_id)
            services.correct_triage(
                s,
                c,
                m,
                actor=person(s, manager_id),
                category=category,
                urgency=urgency,
                important=important,
            )

    # The first message, not the latest, is corrected to urgent: the conversation follows.
    correct(msgs[0].id, "incident", "urgent", True)
    assert summary(rt) == (4, "urgent", "incident", True)
    correct(msgs[0].id, "question", "low", False)  # and back down: the photo is the most
    assert summary(rt) == (0, "low", "other", False)

    # Once answered, a correction of the old messages does not touch what waits now.
    with rt.db.transaction() as s:
        c = services.get_conversation(s, ws, conv.id)
        replies.reply(s, c, "Oui, 10 h", actor=person(s, manager_id), seen_message_id=msgs[-1].id)
    store(rt, ws, ch, incoming("Et les chiens ?", post_id="p3", parent="p2", kind="reply"))
    before = summary(rt)
    assert before[:3] == (1, "normal", "question")
    correct(msgs[0].id, "incident", "urgent", True)
    assert summary(rt) == before


def test_a_late_message_from_before_our_reply_does_not_reopen_the_triage(
    rt: Runtime,
    setup,  # type: ignore[no-untyped-def]
) -> None:
    ws, ch, manager_id = setup
    start = utcnow() - timedelta(minutes=30)
    store(rt, ws, ch, incoming("Vous ouvrez dimanche ?", post_id="p1", at=start))
    (conv, msgs), *_ = conversations(rt)
    with rt.db.transaction() as s:
        c = services.get_conversation(s, ws, conv.id)
        replies.reply(s, c, "Oui", actor=person(s, manager_id), seen_message_id=msgs[-1].id)
    # Read late (a channel that was down): written before our reply, already answered.
    store(
        rt,
        ws,
        ch,
        incoming(LEAK, post_id="p2", parent="p1", kind="reply", at=start + timedelta(minutes=1)),
    )
    assert summary(rt) == (1, "normal", "question", False)


def test_the_list_page_shows_the_follow_up_under_urgent(
    rt: Runtime, client: TestClient, setup
) -> None:  # type: ignore[no-untyped-def]
    ws, ch, manager_id = setup
    start = utcnow() - timedelta(minutes=30)
    store(rt, ws, ch, incoming(LEAK, post_id="p1", at=start))
    photo(rt, ws, ch, start)
    with rt.db.transaction(write=False) as s:
        email = person(s, manager_id).email
    f.sign_in(client, email)
    page = client.get("/inbox?view=quadrants")
    assert page.status_code == 200
    urgent_important = page.text.split("Urgent and important", 1)[1]
    assert "voici une photo" in urgent_important.split("</section>", 1)[0]
