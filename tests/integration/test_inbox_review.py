"""A manager approving a volunteer's proposal goes through the same checks as any reply:
a teammate's reply since the proposal is not silently duplicated (unless "send it
anyway"), an edited text with a saved reply's placeholder left or too long is refused
with the manager's text kept; an empty note's error shows under the note box."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.core.deps import LANG_COOKIE
from palabre.core.errors import Conflict, Invalid
from palabre.core.runtime import Runtime
from palabre.inbox import replies, saved, services
from palabre.inbox.conversation_models import Message, MessageSend
from palabre.inbox.saved_models import SavedReplyUse
from tests import factories as f
from tests.inbox_support import conversations, incoming, person, store


@pytest.fixture
def team(rt: Runtime) -> dict[str, int]:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        manager = f.user(s, ws, "manager", language=None)
        member = f.user(s, ws, "member", language=None)
        volunteer = f.user(s, ws, "contributor", language=None)
        channel = f.preview_channel(rt, s, ws, manager)
        ids = {
            "ws": ws.id,
            "channel": channel.id,
            "manager": manager.id,
            "member": member.id,
            "volunteer": volunteer.id,
        }
    store(rt, ids["ws"], ids["channel"], incoming("Vous ouvrez dimanche ?"))
    conv, msgs = conversations(rt)[0]
    return {**ids, "conv": conv.id, "seen": msgs[-1].id}


def _reply(rt: Runtime, team: dict[str, int], who: str, text: str, **kw: object) -> int:
    with rt.db.transaction() as s:
        c = services.get_conversation(s, team["ws"], team["conv"])
        m = replies.reply(
            s,
            c,
            text,
            actor=person(s, team[who]),
            seen_message_id=team["seen"],
            **kw,  # type: ignore[arg-type]
        )
        return m.id


def _approve(rt: Runtime, team: dict[str, int], proposal: int, **kw: object) -> None:
    with rt.db.transaction() as s:
        c = services.get_conversation(s, team["ws"], team["conv"])
        m = services.get_message(s, c, proposal)
        replies.approve_proposal(s, c, m, actor=person(s, team["manager"]), **kw)  # type: ignore[arg-type]


def _sends(rt: Runtime) -> int:
    with rt.db.transaction(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(MessageSend)) or 0)


def test_approving_after_a_teammate_replied_asks_before_sending_twice(
    rt: Runtime, team: dict[str, int]
) -> None:
    proposal = _reply(rt, team, "volunteer", "Oui de 10 h à 18 h")
    _reply(rt, team, "member", "Oui, ouvert dimanche", force=True)  # "mine anyway"
    assert _sends(rt) == 1
    with pytest.raises(Conflict) as refused:
        _approve(rt, team, proposal)
    assert "already replied %(minutes)s min ago" in refused.value.message
    assert refused.value.params["name"].startswith("Member ")
    assert _sends(rt) == 1  # nothing queued, the proposal still awaits
    with rt.db.transaction(write=False) as s:
        assert s.get(Message, proposal).state == "proposed"  # type: ignore[union-attr]
    _approve(rt, team, proposal, force=True)  # a deliberate second answer
    assert _sends(rt) == 2


def test_approving_with_no_reply_since_sends_it(rt: Runtime, team: dict[str, int]) -> None:
    _reply(rt, team, "member", "Oui")  # before the proposal: the volunteer saw it
    proposal = _reply(rt, team, "volunteer", "Et le lundi aussi", force=True)
    _approve(rt, team, proposal)
    assert _sends(rt) == 2


def test_an_edited_text_is_checked_like_any_reply(rt: Runtime, team: dict[str, int]) -> None:
    with rt.db.transaction() as s:
        hello = saved.create(
            s, person(s, team["manager"]), "Horaires", "Bonjour [prénom], ouvert de 10 h à 18 h."
        )
        hello_id = hello.id
    proposal = _reply(
        rt, team, "volunteer", "Bonjour Ana, ouvert de 10 h à 18 h.", saved_reply_id=hello_id
    )
    with pytest.raises(Invalid) as left:
        _approve(rt, team, proposal, text="Bonjour [prénom], ouvert de 10 h à 18 h !")
    assert left.value.errors["text"][1] == {"names": "[prénom]"}
    with pytest.raises(Invalid) as long:
        _approve(rt, team, proposal, text="é" * 600)
    assert "characters; this network allows" in long.value.errors["text"][0]
    assert _sends(rt) == 0
    _approve(rt, team, proposal, text="Bonjour Ana ! Ouvert de 10 h à 18 h, à dimanche.")
    with rt.db.transaction(write=False) as s:
        m = s.get(Message, proposal)
        assert m is not None and m.text.startswith("Bonjour Ana !")
        use = s.scalar(select(SavedReplyUse).where(SavedReplyUse.message_id == proposal))
        assert use is not None and use.text_hash == saved.fingerprint(m.text)  # what went out


def test_the_same_saved_text_to_someone_else_today_is_refused_at_approval(
    rt: Runtime, team: dict[str, int]
) -> None:
    with rt.db.transaction() as s:
        hello = saved.create(s, person(s, team["manager"]), "Horaires", "Ouvert de 10 h à 18 h.")
        hello_id = hello.id
    proposal = _reply(rt, team, "volunteer", "Bonjour, ouvert tous les jours.")
    store(rt, team["ws"], team["channel"], incoming("Ouvert lundi ?", author="bob@example.org"))
    other = conversations(rt)[-1]
    with rt.db.transaction() as s:  # the saved text as it is, to Bob
        c = services.get_conversation(s, team["ws"], other[0].id)
        replies.reply(
            s, c, "Ouvert de 10 h à 18 h.", actor=person(s, team["member"]), saved_reply_id=hello_id
        )
    with pytest.raises(Invalid) as same:
        _approve(rt, team, proposal, text="ouvert de 10 h  à 18 h.")
    assert "word for word" in same.value.errors["text"][0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_shows_the_refusal_and_keeps_the_managers_text(
    rt: Runtime, client: TestClient, team: dict[str, int], lang: str
) -> None:
    with rt.db.transaction() as s:
        saved.create(s, person(s, team["manager"]), "Horaires", "Bonjour [prénom] !")
        email = person(s, team["manager"]).email
    proposal = _reply(rt, team, "volunteer", "Oui de 10 h à 18 h")
    _reply(rt, team, "member", "Oui, ouvert dimanche", force=True)
    f.sign_in(client, email)
    client.cookies.set(LANG_COOKIE, lang)
    cid = team["conv"]
    token = f.csrf_of(client, f"/inbox/{cid}")
    url = f"/inbox/{cid}/messages/{proposal}/review"
    edited = "Oui, de 10 h à 18 h ce dimanche"
    form = {"decision": "approve", "message_id": str(proposal), "csrf_token": token}
    resp = client.post(url, data={**form, "text": edited})
    assert resp.status_code == 409
    review = resp.text.split(f'{url}"', 1)[1].split("</form>", 1)[0]
    assert f">{edited}</textarea>" in review  # kept, in the approval's box
    box = resp.text.split('id="reply-text"', 1)[1].split("</textarea>", 1)[0]
    assert edited not in box  # not pasted into the reply box
    if lang == "fr":
        assert "a déjà répondu il y a" in resp.text and "Envoyer quand même" in review
    else:
        assert "already replied" in resp.text and "Send it anyway" in review
    assert _sends(rt) == 1

    placeholder = client.post(url, data={**form, "text": "Bonjour [prénom] !", "force": "1"})
    assert placeholder.status_code == 422
    review = placeholder.text.split(f'{url}"', 1)[1].split("</form>", 1)[0]
    assert 'class="field-error"' in review and ": [prénom]</p>" in review
    assert ">Bonjour [prénom] !</textarea>" in review
    assert _sends(rt) == 1

    done = client.post(url, data={**form, "text": edited, "force": "1"}, follow_redirects=False)
    assert done.status_code == 303 and _sends(rt) == 2


def test_an_empty_note_is_refused_under_the_note_box(
    rt: Runtime, client: TestClient, team: dict[str, int]
) -> None:
    with rt.db.transaction(write=False) as s:
        email = person(s, team["member"]).email
    f.sign_in(client, email)
    client.cookies.set(LANG_COOKIE, "en")
    cid = team["conv"]
    token = f.csrf_of(client, f"/inbox/{cid}")
    resp = client.post(f"/inbox/{cid}/notes", data={"note": "  ", "csrf_token": token})
    assert resp.status_code == 422
    notes = resp.text.split('id="notes"', 1)[1]
    assert 'id="note-error">Write a note.</p>' in notes
    assert 'id="text-error"' not in resp.text  # not under the reply box


def test_an_empty_note_through_the_api_names_the_bodys_field(
    rt: Runtime, client: TestClient, team: dict[str, int]
) -> None:
    with rt.db.transaction() as s:
        token = f.token(s, person(s, team["member"]))
    resp = client.post(
        f"/api/v1/conversations/{team['conv']}/notes", json={"text": " "}, headers=f.bearer(token)
    )
    assert resp.status_code == 422 and "text" in resp.json()["errors"]
