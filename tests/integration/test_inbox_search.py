"""Full-text search in the inbox: accents folded, newest first with keyset pages that
never repeat a conversation, by relevance, combined with the filters, safe with any text,
and the messages stored before the migration found too."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from palabre.core.db import utcnow
from palabre.core.migrate import alembic_config
from palabre.core.runtime import Runtime
from palabre.inbox import queries
from palabre.inbox.conversation_models import Message
from tests.inbox_support import incoming, store
from tests.integration.api_support import make_team


def _search(client: TestClient, auth: dict[str, str], q: str, **more: str) -> list[str]:
    params = {"q": q, "status": "all", **more}
    body = client.get("/api/v1/conversations", params=params, headers=auth).json()
    return [c["snippet"] for c in body["conversations"]]


def test_accents_case_and_authors_are_found(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    store(rt, ws, ch, incoming("Très DÉÇU par la visite", author="zoe@mastodon.social"))
    store(rt, ws, ch, incoming("Merci, très belle expo", author="marc@example.org"))
    auth = team.auth("viewer")
    assert _search(client, auth, "decu") == ["Très DÉÇU par la visite"]
    assert _search(client, auth, "Déçu visite") == ["Très DÉÇU par la visite"]
    assert _search(client, auth, "zoe") == ["Très DÉÇU par la visite"]  # the handle
    assert _search(client, auth, "Marc") == ["Merci, très belle expo"]  # the name
    assert _search(client, auth, "tres") == ["Merci, très belle expo", "Très DÉÇU par la visite"]
    assert _search(client, auth, "décu absent") == []  # every word must be there
    assert _search(client, auth, '"OR* NEAR( -") AND') == []  # syntax is plain text


def test_newest_first_pages_never_repeat_a_conversation(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    start = utcnow() - timedelta(hours=1)
    # 12 conversations, each with a matching message, then replies in the older ones so
    # that some conversations match at several places of the newest-first scan.
    for i in range(12):
        at = start + timedelta(minutes=i)
        store(rt, ws, ch, incoming(f"Remboursement {i} ?", post_id=f"r{i}", at=at))
    for i in (0, 3, 7):
        at = start + timedelta(minutes=30 + i)
        store(rt, ws, ch, incoming(f"Toujours pas de remboursement ({i})", parent=f"r{i}", at=at))
    auth = team.auth("member")
    seen: list[int] = []
    after = None
    while True:
        params = {"q": "remboursement", "status": "all", "limit": "4"}
        if after:
            params["after"] = after
        body = client.get("/api/v1/conversations", params=params, headers=auth).json()
        seen += [c["id"] for c in body["conversations"]]
        after = body["next_cursor"]
        if not after:
            break
    assert len(seen) == len(set(seen)) == 12
    first = client.get(
        "/api/v1/conversations", params={"q": "remboursement", "status": "all"}, headers=auth
    ).json()["conversations"]
    # The conversations answered again come first, the last answered first.
    assert [c["snippet"] for c in first[:3]] == [
        "Toujours pas de remboursement (7)",
        "Toujours pas de remboursement (3)",
        "Toujours pas de remboursement (0)",
    ]


def test_relevance_and_filters(rt: Runtime, client: TestClient) -> None:
    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    store(rt, ws, ch, incoming("Parking : le parking du parking est plein, quel parking ?"))
    store(rt, ws, ch, incoming("Il y a un parking près du musée, et une boutique, un café…"))
    auth = team.auth("viewer")
    newest = _search(client, auth, "parking")
    assert newest[0].startswith("Il y a")
    ranked = _search(client, auth, "parking", sort="relevance")
    assert ranked[0].startswith("Parking :") and len(ranked) == 2
    assert _search(client, auth, "parking", sort="relevance", limit="1", after="1") == [newest[0]]
    assert _search(client, auth, "parking", status="closed") == []
    bad = client.get("/api/v1/conversations?q=x&sort=best", headers=auth)
    assert bad.status_code == 422


def test_new_and_edited_messages_are_indexed(rt: Runtime) -> None:
    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    store(rt, ws, ch, incoming("Une question sur les horaires"))

    def found(q: str) -> int:
        with rt.db.transaction(write=False) as s:
            page = queries.list_conversations(
                s, ws, queries.Filters(status="all", q=q), user_id=team.user_ids["owner"]
            )
            return len(page.rows)

    assert found("horaires") == 1
    with rt.db.transaction() as s:
        message = s.scalars(select(Message)).one()
        message.text = "Une question sur les tarifs"
    assert (found("horaires"), found("tarifs")) == (0, 1)
    with rt.db.transaction() as s:
        s.delete(s.scalars(select(Message)).one())
    assert found("tarifs") == 0


def test_messages_stored_before_the_migration_are_found(rt: Runtime) -> None:
    from alembic import command

    team = make_team(rt)
    ws, ch = team.workspace_id, team.channel_ids[0]
    config = alembic_config(rt.settings.database_url)
    # Stored with today's code, then the search taken away (before 0008) and built again:
    # the migration fills it from the messages already there.
    store(rt, ws, ch, incoming("Le musée est fermé, quelle déception"))
    rt.db.write_engine.dispose()
    command.downgrade(config, "0007")
    try:
        with rt.db.transaction(write=False) as s:
            seen = sa_inspect(s.connection())
            gone = seen.get_table_names() + [c["name"] for c in seen.get_columns("inbox_messages")]
            assert "inbox_messages_fts" not in gone and "search_vector" not in gone
    finally:
        rt.db.write_engine.dispose()
        command.upgrade(config, "head")
    with rt.db.transaction(write=False) as s:
        page = queries.list_conversations(
            s, ws, queries.Filters(status="all", q="deception"), user_id=team.user_ids["owner"]
        )
    assert [c.snippet for c in page.rows] == ["Le musée est fermé, quelle déception"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=60), sort=st.sampled_from(queries.SORTS), after=st.text(max_size=12))
@example(q="0", sort="relevance", after="¹")  # a digit to str.isdigit, not to int()
@example(q="musée", sort="newest", after="9" * 40)
def test_any_text_is_a_safe_query(rt: Runtime, q: str, sort: str, after: str) -> None:
    with rt.db.transaction(write=False) as s:
        page = queries.list_conversations(
            s, 1, queries.Filters(status="all", q=q, sort=sort), user_id=1, after=after
        )
    assert page.rows == [] and page.next_cursor is None


def test_the_inbox_page_searches_and_offers_relevance(rt: Runtime, client: TestClient) -> None:
    from tests.integration.test_inbox_pages import scene

    scene(rt, client, "viewer", lang="fr")
    page = client.get("/inbox", params={"q": "DIMANCHE ouvrez", "sort": "relevance"})
    assert page.status_code == 200
    assert "vous ouvrez dimanche" in page.text and "Les plus pertinentes d’abord" in page.text
    assert "vous ouvrez dimanche" not in client.get("/inbox", params={"q": "samedi"}).text
