"""Newest-first search pages, followed to the end, give exactly the conversations a person
expects — each once, placed by its newest matching message, only those the filters keep —
whatever path finds them: on PostgreSQL the walk of the newest messages in small windows,
short pages when the filters keep few, the GIN index block by block of ids when the words
are rarely together, whole when they are rare; on SQLite the FTS5 index read lazily.
Checked against a plain computation of the answer."""

from __future__ import annotations

import html
import itertools
import random
import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox import queries, search, search_pg, search_sqlite, services
from palabre.inbox.conversation_models import Conversation, Message, Status
from palabre.team.models import User
from tests.inbox_support import incoming, store
from tests.integration.api_support import make_team

WORDS = ["alpha", "beta", "gamma", "delta"]


def _stored(rt: Runtime, seed: int) -> tuple[int, list[int]]:
    """90 messages of one to three words, threads and two channels, arriving in order;
    a third of the conversations closed half-way (some reopened by a later reply), some
    waiting."""
    team = make_team(rt, imitates=("mastodon", "bluesky"))
    rng = random.Random(seed)
    start = utcnow() - timedelta(hours=3)
    posts: list[tuple[str, int]] = []
    for i in range(90):
        if i == 45:
            _set_statuses(rt, team.user_ids["owner"])
        parent = rng.choice(posts) if posts and rng.random() < 0.4 else None
        channel = parent[1] if parent else rng.choice(team.channel_ids)
        text = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
        note = incoming(
            f"{text} {i}",
            post_id=f"s{seed}-{i}",
            parent=parent[0] if parent else None,
            author=f"person{i % 7}@example.org",
            at=start + timedelta(minutes=i),
        )
        store(rt, team.workspace_id, channel, note)
        posts.append((f"s{seed}-{i}", channel))
    return team.workspace_id, team.channel_ids


def _set_statuses(rt: Runtime, actor_id: int) -> None:
    with rt.db.transaction() as s:
        actor = s.get(User, actor_id)
        assert actor is not None
        for conv in s.scalars(select(Conversation)):
            if conv.id % 3 == 0 or conv.id % 5 == 0:
                status = Status.closed if conv.id % 3 == 0 else Status.waiting
                services.set_status(s, conv, status, actor=actor)


def _expected(
    rt: Runtime, words: list[str], channel_id: int | None, todo: bool = False
) -> list[int]:
    with rt.db.transaction(write=False) as s:
        rows = s.execute(select(Message.id, Message.conversation_id, Message.text)).all()
        channels = dict(s.execute(select(Conversation.id, Conversation.channel_id)).all())
        to_handle = set(s.scalars(select(Conversation.id).where(Conversation.to_handle)))
    newest: dict[int, int] = {}
    for mid, cid, body in rows:
        if todo and cid not in to_handle:
            continue
        if set(words) <= set(body.split()) and channel_id in (None, channels[cid]):
            newest[cid] = max(mid, newest.get(cid, 0))
    return sorted(newest, key=lambda cid: -newest[cid])


def _followed(rt: Runtime, ws: int, filters: queries.Filters, limit: int) -> list[int]:
    seen: list[int] = []
    after = None
    for _ in range(500):
        with rt.db.transaction(write=False) as s:
            page = queries.list_conversations(s, ws, filters, user_id=0, after=after, limit=limit)
        assert len(page.rows) <= limit
        seen += [c.id for c in page.rows]
        after = page.next_cursor
        if after is None:
            return seen
    raise AssertionError("the pages never end")


def _paths(rt: Runtime) -> list[dict[str, Any]]:
    if rt.db.is_sqlite:  # at most 6 matches a page: short pages
        return [{"SEARCH_SCAN": 6}, {"SEARCH_SCAN": 5000}]
    often = {"common": True, "together": 1.0}  # the words often together: walks first
    return [
        {**often, "FIRST": 3, "WINDOW": 7, "ENOUGH": 2},  # walks, short pages
        {**often, "FIRST": 7, "WINDOW": 7, "ENOUGH": 1000},  # walks, then a block
        # walks, then blocks of 4 ids, short pages, then the whole index when none found
        {**often, "FIRST": 3, "ENOUGH": 1000, "BLOCK_BITS": 2, "BLOCKS": 2},
        {**often, "FIRST": 2, "ENOUGH": 1000, "BLOCK_BITS": 3, "BLOCKS": 1000},
        {**often, "FIRST": 10, "WINDOW": 20, "ENOUGH": 3},  # results, or counted again
        {**often, "FIRST": 100_000, "WINDOW": 100_000, "ENOUGH": 50},  # all at once
        # the words rarely together (if independent): blocks at once, as many as the
        # share says, then twice as many
        {"common": True, "together": 0.0, "BLOCK_BITS": 2, "BLOCKS": 3},
        {"common": True, "together": 0.05, "BLOCK_BITS": 2, "BLOCKS": 1000},
        {"common": True, "together": 0.001, "BLOCK_BITS": 3, "BLOCKS": 1000},
        {"common": False, "WINDOW": 30_000, "ENOUGH": 50},  # the GIN index
    ]


def _use(path: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in path.items():
        if name == "common":
            monkeypatch.setattr(search, "is_common", lambda _conn, _words, v=value: v)
        elif name == "together":  # the share of messages the words would meet in
            monkeypatch.setattr(search, "together", lambda _conn, _words, v=value: v)
        elif name == "BLOCK_BITS":  # the index no longer serves them: still the same answer
            monkeypatch.setattr(search, name, value)
        elif name.startswith("SEARCH_"):
            monkeypatch.setattr(search_sqlite, name, value)
        else:
            monkeypatch.setattr(search_pg, name, value)


@pytest.mark.parametrize("seed", [1, 2])
def test_every_page_followed_gives_the_expected_conversations(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    ws, channels = _stored(rt, seed)
    cases = [(["alpha"], None), (["alpha", "beta"], None), (["gamma", "delta"], channels[1])]
    cases.append((["beta", "delta", "gamma"], channels[0]))
    for path in _paths(rt):
        _use(path, monkeypatch)
        for (words, channel), status in itertools.product(cases, ("all", "todo")):
            filters = queries.Filters(status=status, q=" ".join(words), channel_id=channel)
            expected = _expected(rt, words, channel, todo=status == "todo")
            assert expected, "the data should have matches"
            for limit in (1, 4, 50):
                got = _followed(rt, ws, filters, limit)
                assert got == expected, (path, words, channel, status, limit)


def test_each_message_knows_whether_its_conversation_is_to_handle(rt: Runtime) -> None:
    # What the index of the messages to handle stands on (search_todo.py): kept by the
    # database through arrivals, closings, waits and replies that reopen.
    _stored(rt, 4)
    with rt.db.transaction(write=False) as s:
        pairs = s.execute(
            text(
                "SELECT m.search_todo, c.to_handle FROM inbox_messages m "
                "JOIN conversations c ON c.id = m.conversation_id"
            )
        ).all()
    assert {bool(todo) for todo, _ in pairs} == {True, False}
    assert all(bool(todo) == bool(handle) for todo, handle in pairs)


def test_a_search_without_match_finds_nothing_and_ends(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _channels = _stored(rt, 3)
    for path in _paths(rt):
        _use(path, monkeypatch)
        filters = queries.Filters(status="all", q="alpha zebra")
        assert _followed(rt, ws, filters, 10) == []


def test_a_page_that_found_nothing_recent_offers_older_messages(
    rt: Runtime, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.integration.test_inbox_pages import scene

    scene(rt, client, "viewer", lang="fr")  # "Bonjour lien, vous ouvrez dimanche ?", a question
    with rt.db.transaction(write=False) as s:
        ws, channel = s.execute(select(Conversation.workspace_id, Conversation.channel_id)).one()
    store(rt, ws, channel, incoming("Merci pour dimanche, bravo à toute l'équipe !"))  # praise
    # Read one message at a time: the newest match (the praise) is not a question.
    _use({"SEARCH_SCAN": 1, "common": True, "WINDOW": 1, "ENOUGH": 1}, monkeypatch)
    page = client.get("/inbox", params={"q": "dimanche", "category": "question", "status": "all"})
    assert "Rien parmi les messages les plus récents" in page.text
    assert "vous ouvrez dimanche" not in page.text
    older = re.search(r'href="([^"]+)">Chercher dans les messages plus anciens', page.text)
    assert older is not None
    follow = client.get(html.unescape(older.group(1)))
    assert "vous ouvrez dimanche" in follow.text and "Merci pour dimanche" not in follow.text
    none = client.get("/inbox", params={"q": "samedi", "status": "all"})
    assert "Aucune conversation ne correspond à ces filtres." in none.text
    assert "Les messages arrivent" not in none.text
