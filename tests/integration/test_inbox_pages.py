"""The inbox pages for each role: the list by priority with filters, search and the
four quadrants, a conversation with its thread (sanitised HTML), reply box, notes,
assignment and status; the nav badge; French; forms refused without their token."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.inbox.conversation_models import Message, Note
from tests import factories as f
from tests.inbox_support import conversations, incoming, store

WRITERS = {"owner", "manager", "member", "contributor"}
PUBLISHERS = {"owner", "manager", "member"}


def scene(rt: Runtime, client: TestClient, role: str, lang: str = "en") -> tuple[int, int]:
    """A workspace with one conversation; ``role`` signed in. Returns (conversation, me)."""
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner", language=None)
        me = owner if role == "owner" else f.user(s, ws, role, language=None)
        channel = f.preview_channel(rt, s, ws, owner)
        ids = (ws.id, channel.id, me.id, me.email)
    html = (
        '<p>Bonjour <a href="https://x.org" onclick="steal()">lien</a><script>alert(1)</script></p>'
    )
    store(rt, ids[0], ids[1], incoming("Bonjour lien, vous ouvrez dimanche ?", html=html))
    f.sign_in(client, ids[3])
    client.cookies.set(LANG_COOKIE, lang)
    return conversations(rt)[0][0].id, ids[2]


def csrf(client: TestClient, cid: int) -> str:
    return f.csrf_of(client, f"/inbox/{cid}")


@pytest.mark.parametrize("role", f.ROLES)
def test_pages_open_for_everyone_and_show_what_each_role_may_do(
    rt: Runtime, client: TestClient, role: str
) -> None:
    cid, _ = scene(rt, client, role)
    inbox = client.get("/inbox")
    assert inbox.status_code == 200
    assert "Bonjour lien" in inbox.text and "<kbd>j</kbd>" in inbox.text
    assert re.search(r'class="inbox-link"[^>]*>Inbox <span class="badge"[^>]*>1</span>', inbox.text)
    assert client.get("/inbox?view=quadrants").status_code == 200
    page = client.get(f"/inbox/{cid}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "onclick" not in page.text
    assert 'href="https://x.org"' in page.text  # the sanitised HTML, links kept
    assert ("Send the reply" in page.text) == (role in PUBLISHERS)
    assert ("Propose a reply" in page.text) == (role == "contributor")
    assert ('name="status" value="closed"' in page.text) == (role in PUBLISHERS)


@pytest.mark.parametrize("role", f.ROLES)
def test_forms_by_role(rt: Runtime, client: TestClient, role: str) -> None:
    cid, _me = scene(rt, client, role)
    token = csrf(client, cid)
    mid = conversations(rt)[0][1][0].id
    posts = {
        "reply": ({"text": "Oui, de 10 h à 18 h."}, WRITERS),
        "notes": ({"note": "À voir"}, WRITERS),
        "assign": ({"assignee": "me"}, WRITERS),
        f"messages/{mid}/triage": ({"category": "question", "urgency": "normal"}, WRITERS),
        "status": ({"status": "closed"}, PUBLISHERS),
    }
    for suffix, (data, allowed) in posts.items():
        resp = client.post(
            f"/inbox/{cid}/{suffix}", data={**data, "csrf_token": token}, follow_redirects=False
        )
        expected = 303 if role in allowed else 403
        assert resp.status_code == expected, (suffix, resp.text[:300])
    with rt.db.transaction(write=False) as s:
        out = s.scalar(select(func.count()).where(Message.direction == "out"))
        notes = s.scalar(select(func.count()).select_from(Note))
    assert (out, notes) == ((1, 1) if role in WRITERS else (0, 0))


def test_a_reply_too_long_is_shown_again_with_its_error(rt: Runtime, client: TestClient) -> None:
    cid, _ = scene(rt, client, "member")
    resp = client.post(
        f"/inbox/{cid}/reply", data={"text": "é" * 600, "csrf_token": csrf(client, cid)}
    )
    assert resp.status_code == 422
    assert "This reply has 600 characters; this network allows 500." in resp.text
    assert "é" * 600 in resp.text  # what was typed is kept
    assert 'data-limit="500"' in resp.text and 'data-rule="mastodon"' in resp.text


def test_a_second_reply_is_refused_with_who_answered(rt: Runtime, client: TestClient) -> None:
    cid, _ = scene(rt, client, "manager")
    token = csrf(client, cid)
    seen = conversations(rt)[0][1][-1].id
    first = client.post(
        f"/inbox/{cid}/reply",
        data={"text": "Oui", "seen_message_id": str(seen), "csrf_token": token},
        follow_redirects=False,
    )
    assert first.status_code == 303
    again = client.post(
        f"/inbox/{cid}/reply",
        data={"text": "Oui !", "seen_message_id": str(seen), "csrf_token": token},
    )
    assert again.status_code == 409 and "already replied" in again.text
    assert "Send mine anyway" in again.text


def test_french_interface_and_forms_need_their_token(rt: Runtime, client: TestClient) -> None:
    cid, _ = scene(rt, client, "manager", lang="fr")
    page = client.get("/inbox")
    assert "Boîte de réception" in page.text and "À traiter" in page.text
    conv = client.get(f"/inbox/{cid}")
    assert "Envoyer la réponse" in conv.text and "Notes internes" in conv.text
    refused = client.post(f"/inbox/{cid}/notes", data={"note": "x"}, follow_redirects=False)
    assert refused.status_code == 403


def test_next_and_previous_follow_the_list_order(rt: Runtime, client: TestClient) -> None:
    cid, _ = scene(rt, client, "member")
    [(_conv, _msgs)] = conversations(rt)
    with rt.db.transaction(write=False) as s:
        from palabre.inbox.conversation_models import Conversation

        row = s.get(Conversation, cid)
        assert row is not None
        ws, ch = row.workspace_id, row.channel_id
    store(rt, ws, ch, incoming("URGENT : une fuite d'eau inonde la salle 2", post_id="urgent-1"))
    urgent = next(c.id for c, _ in conversations(rt) if c.root_id == "urgent-1")
    first = client.get(f"/inbox/{urgent}").text
    assert f'href="http://testserver/inbox/{cid}" data-next' in first and "data-prev" not in first
    second = client.get(f"/inbox/{cid}").text
    assert f'href="http://testserver/inbox/{urgent}" data-prev' in second
    assert "data-next" not in second


def test_each_persons_load_is_visible(rt: Runtime, client: TestClient) -> None:
    cid, me = scene(rt, client, "manager")
    assert "nobody assigned</a> 1" in client.get("/inbox").text
    client.post(f"/inbox/{cid}/assign", data={"assignee": "me", "csrf_token": csrf(client, cid)})
    page = client.get("/inbox").text
    assert re.search(rf'assignee={me}">[^<]+</a> 1', page)
    assert "nobody assigned</a>" not in page
