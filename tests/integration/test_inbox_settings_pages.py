"""Settings › Inbox for each role (response times, saved replies), and saved replies in
the reply box: inserted, refused while a placeholder is empty, in French too."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.inbox.saved_models import SavedReply
from palabre.inbox.sla_models import SlaPolicy
from tests import factories as f
from tests.inbox_support import conversations, incoming, store

MANAGERS = {"owner", "manager"}
SLA_FORM = {
    "urgent_hours": "0,5",
    "normal_hours": "8",
    "low_hours": "27",
    **{f"{d}_opens": "09:00" for d in ("tue", "wed", "thu", "fri", "sat", "sun")},
    **{f"{d}_closes": "18:00" for d in ("tue", "wed", "thu", "fri", "sat", "sun")},
    "closed_days": "2026-12-25 2027-01-01",
}


def scene(rt: Runtime, client: TestClient, role: str, lang: str = "en") -> int:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner", language=None)
        me = owner if role == "owner" else f.user(s, ws, role, language=None)
        channel = f.preview_channel(rt, s, ws, owner)
        ids = (ws.id, channel.id, me.email)
    store(rt, ids[0], ids[1], incoming("Vous ouvrez dimanche ?"))
    f.sign_in(client, ids[2])
    client.cookies.set(LANG_COOKIE, lang)
    return conversations(rt)[0][0].id


def count(rt: Runtime, model: type) -> int:
    with rt.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("role", f.ROLES)
def test_managers_change_response_times_and_saved_replies_others_read(
    rt: Runtime, client: TestClient, role: str
) -> None:
    scene(rt, client, role)
    page = client.get("/settings/inbox")
    assert page.status_code == 200 and "Response times" in page.text
    token = f.csrf_of(client, "/settings/inbox")
    sla = client.post("/settings/inbox/sla", data={**SLA_FORM, "csrf_token": token})
    new = client.post(
        "/settings/inbox/saved",
        data={"name": "Horaires", "text": "Bonjour [prénom] !", "csrf_token": token},
    )
    if role in MANAGERS:
        assert sla.status_code == 200 and "Response times saved" in sla.text
        assert 'value="0.5"' in sla.text and "2027-01-01" in sla.text
        assert new.status_code == 200 and "[prénom]" in new.text
        with rt.db.transaction(write=False) as s:
            sid = s.scalar(select(SavedReply.id))
        edit = client.post(
            f"/settings/inbox/saved/{sid}",
            data={"name": "Horaires", "text": "", "version": "1", "csrf_token": token},
        )
        assert edit.status_code == 422 and "Write the reply." in edit.text
        gone = client.post(
            f"/settings/inbox/saved/{sid}", data={"delete": "1", "csrf_token": token}
        )
        assert gone.status_code == 200 and "Saved reply deleted" in gone.text
        assert count(rt, SavedReply) == 0
    else:
        assert sla.status_code == 403 and new.status_code == 403
        assert count(rt, SavedReply) == 0 and count(rt, SlaPolicy) <= 1


def test_a_bad_policy_is_shown_again_with_each_message_in_french(
    rt: Runtime, client: TestClient
) -> None:
    scene(rt, client, "manager", "fr")
    token = f.csrf_of(client, "/settings/inbox")
    bad = {**SLA_FORM, "urgent_hours": "zéro", "tue_closes": "08:00", "csrf_token": token}
    resp = client.post("/settings/inbox/sla", data=bad)
    assert resp.status_code == 422
    assert "Entre 1 minute et 30 jours." in resp.text
    assert "heure de fermeture plus tardive" in resp.text
    assert 'value="zéro"' in resp.text  # what was typed is kept


def test_a_saved_reply_is_inserted_and_refused_until_filled(
    rt: Runtime, client: TestClient
) -> None:
    cid = scene(rt, client, "member")
    with rt.db.transaction() as s:
        ws_id = s.scalar(select(f.Workspace.id))
        s.add(SavedReply(workspace_id=ws_id, name="Horaires", text="Bonjour [prénom], à [heure] !"))
    with rt.db.transaction(write=False) as s:
        sid = s.scalar(select(SavedReply.id))
    page = client.get(f"/inbox/{cid}?saved={sid}")
    assert "Bonjour [prénom], à [heure] !" in page.text
    assert f'name="saved_reply_id" value="{sid}"' in page.text
    token = f.csrf_of(client, f"/inbox/{cid}")
    resp = client.post(
        f"/inbox/{cid}/reply",
        data={
            "text": "Bonjour [prénom], à 10 h !",
            "saved_reply_id": str(sid),
            "csrf_token": token,
        },
    )
    assert resp.status_code == 422 and "[prénom]" in resp.text
    assert len(conversations(rt)[0][1]) == 1  # nothing sent
    resp = client.post(
        f"/inbox/{cid}/reply",
        data={"text": "Bonjour Ana, à 10 h !", "saved_reply_id": str(sid), "csrf_token": token},
    )
    assert resp.status_code == 200 and len(conversations(rt)[0][1]) == 2
