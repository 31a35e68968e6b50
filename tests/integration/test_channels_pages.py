"""The channels pages: list with health, the form generated from an adapter's settings
model, pausing, and what a preview channel recorded."""

from __future__ import annotations

from typing import ClassVar, Literal

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, SecretStr
from sqlalchemy import select

from palabre.channels import forms
from palabre.channels import services as channels
from palabre.channels.base import Account, Capabilities, ChannelAdapter
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.preview.adapter import PreviewSettings
from palabre.channels.registry import adapters
from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.team.models import User, Workspace
from palabre.worker import build_runner
from tests import factories as f


def signed_in(rt: Runtime, client: TestClient, role: str = "manager") -> tuple[Workspace, User]:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        me = f.user(s, ws, role)
    f.sign_in(client, me.email)
    client.cookies.set(LANG_COOKIE, "en")  # the assertions read English text
    return ws, me


def submit(client: TestClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": f.csrf_of(client)}, follow_redirects=False)


def field_block(page: str, input_name: str) -> str:
    """The form field (label, input, hint, error) for one input name."""
    start = page.index(f'name="{input_name}"')
    begin = page.rindex('<div class="field">', 0, start)
    return page[begin : page.index("</div>", start)]


# -- a network with a secret, to prove the generic form handles one ----------------------
class FakeNetSettings(BaseModel):
    instance: str = Field(description="Address of the server, e.g. https://mastodon.social")
    access_token: SecretStr
    visibility: Literal["public", "unlisted"] = "public"
    max_posts: int = Field(default=10, ge=1, le=50)
    sensitive: bool = False


class FakeNetAdapter(ChannelAdapter):
    kind = "fakenet"
    label = "FakeNet"
    settings_model = FakeNetSettings
    secret_fields: ClassVar[frozenset[str]] = frozenset({"access_token"})

    def capabilities(self) -> Capabilities:
        return Capabilities(text_limit=280, counting="graphemes")

    def verify(self) -> Account:
        return Account(id="42", handle="musee@fakenet.example")


@pytest.fixture
def fakenet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(adapters(), "fakenet", FakeNetAdapter)


# -- the generic form -------------------------------------------------------------------
def test_settings_model_becomes_form_fields() -> None:
    specs = {s.name: s for s in forms.describe(FakeNetSettings, FakeNetAdapter.secret_fields)}
    assert specs["instance"].widget == "text" and specs["instance"].required
    assert specs["instance"].hint == "Address of the server, e.g. https://mastodon.social"
    assert specs["access_token"].widget == "password" and specs["access_token"].secret
    assert specs["visibility"].widget == "select"
    assert specs["visibility"].choices == ["public", "unlisted"]
    assert specs["max_posts"].widget == "number"
    assert specs["max_posts"].attrs == {"min": 1, "max": 50, "step": "1"}
    assert specs["sensitive"].widget == "checkbox"
    preview = {s.name: s for s in forms.describe(PreviewSettings)}
    assert preview["imitates"].choices == ["mastodon", "bluesky"]
    assert preview["text_limit"].widget == "number" and not preview["text_limit"].required
    parsed = forms.parse(
        list(preview.values()), {"settings.imitates": "bluesky", "settings.text_limit": " "}
    )
    assert parsed == {"imitates": "bluesky"}  # an empty optional box means "not set"


def test_manager_creates_a_preview_channel_from_the_generated_form(
    rt: Runtime, client: TestClient
) -> None:
    signed_in(rt, client)
    chooser = client.get("/channels/new")
    assert chooser.status_code == 200 and "Preview" in chooser.text
    form = client.get("/channels/new", params={"kind": "preview"})
    imitates = field_block(form.text, "settings.imitates")
    assert "<select" in imitates and ">bluesky</option>" in imitates
    assert "counting rule" in imitates  # the model's description, as a hint
    assert 'type="number"' in field_block(form.text, "settings.text_limit")
    r = submit(
        client,
        "/channels",
        kind="preview",
        name="Bluesky (essai)",
        **{"settings.imitates": "bluesky", "settings.text_limit": "280"},
    )
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert "The channel was added." in page.text and "Bluesky (essai)" in page.text
    assert "280 characters" in page.text
    assert "Every visible character counts as one" in page.text
    listing = client.get("/channels").text
    assert "Bluesky (essai)" in listing and "active" in listing


def test_invalid_setting_comes_back_next_to_its_field_with_what_was_typed(
    rt: Runtime, client: TestClient
) -> None:
    signed_in(rt, client)
    r = submit(
        client,
        "/channels",
        kind="preview",
        name="Essai",
        **{"settings.imitates": "bluesky", "settings.text_limit": "-3"},
    )
    assert r.status_code == 422
    limit = field_block(r.text, "settings.text_limit")
    assert 'value="-3"' in limit
    assert "Enter a number of at least 1." in limit and 'class="field-error"' in limit
    assert '<option value="bluesky" selected>' in r.text and 'value="Essai"' in r.text
    r = submit(
        client,
        "/channels",
        kind="preview",
        name="",
        **{"settings.imitates": "bluesky", "settings.text_limit": "beaucoup"},
    )
    assert "Give the channel a name." in field_block(r.text, "name")
    with rt.db.transaction(write=False) as s:
        assert s.scalar(select(Channel.id)) is None


def test_secrets_are_stored_encrypted_and_never_shown(
    rt: Runtime, client: TestClient, fakenet: None
) -> None:
    signed_in(rt, client)
    form = client.get("/channels/new", params={"kind": "fakenet"}).text
    assert 'type="password"' in field_block(form, "settings.access_token")
    assert 'type="checkbox"' in field_block(form, "settings.sensitive")
    secret = "tok-SUPER-SECRET-123"
    bad = submit(
        client,
        "/channels",
        kind="fakenet",
        name="Masto",
        **{
            "settings.instance": "https://example.social",
            "settings.access_token": secret,
            "settings.max_posts": "99",
        },
    )
    assert bad.status_code == 422
    assert "Enter a number of at most 50." in field_block(bad.text, "settings.max_posts")
    assert secret not in bad.text  # not even typed back into the form
    assert 'value="https://example.social"' in bad.text
    ok = submit(
        client,
        "/channels",
        kind="fakenet",
        name="Masto",
        **{
            "settings.instance": "https://example.social",
            "settings.access_token": secret,
            "settings.sensitive": "on",
        },
    )
    assert ok.status_code == 303
    page = client.get(ok.headers["location"]).text
    assert "https://example.social" in page and "Stored encrypted; never shown." in page
    for text in (page, client.get("/channels").text, client.get("/audit").text):
        assert secret not in text
    with rt.db.transaction(write=False) as s:
        channel = s.scalar(select(Channel).where(Channel.name == "Masto"))
        assert channel is not None
        assert "access_token" not in channel.settings and channel.settings["sensitive"] is True
        assert secret not in (channel.secrets_encrypted or "")
        assert rt.box.decrypt(channel.secrets_encrypted) == {"access_token": secret}


# -- list, health, pause ----------------------------------------------------------------
def test_channels_list_shows_health_and_a_banner_when_one_needs_reconnection(
    rt: Runtime, client: TestClient
) -> None:
    ws, _me = signed_in(rt, client, "viewer")
    with rt.db.transaction() as s:
        owner = f.user(s, s.get(Workspace, ws.id), "owner")  # type: ignore[arg-type]
        ok = f.preview_channel(rt, s, ws, owner, name="Mastodon (aperçu)")
        broken = f.preview_channel(rt, s, ws, owner, name="Bluesky (aperçu)", imitates="bluesky")
        channels.record_success(s, ok.id)
        channels.record_error(s, broken.id, "The access token was revoked.", needs_reconnect=True)
    page = client.get("/channels").text
    banner = page.split('id="reconnect-banner"', 1)[1].split("</div>", 1)[0]
    assert "1 channel needs to be reconnected." in banner and "Bluesky (aperçu)" in banner
    broken_row = page.split(f'id="channel-{broken.id}"', 1)[1].split("</tr>", 1)[0]
    assert "needs reconnection" in broken_row and "The access token was revoked." in broken_row
    ok_row = page.split(f'id="channel-{ok.id}"', 1)[1].split("</tr>", 1)[0]
    assert "Last published" in ok_row and "500 characters" in ok_row
    assert "every link counts as 23 characters" in ok_row
    assert "Add a channel" not in page  # a viewer adds nothing


def test_manager_pauses_and_resumes_a_channel(rt: Runtime, client: TestClient) -> None:
    ws, me = signed_in(rt, client, "manager")
    with rt.db.transaction() as s:
        channel = f.preview_channel(rt, s, ws, me)
    r = submit(client, f"/channels/{channel.id}/pause")
    page = client.get(r.headers["location"]).text
    assert "The channel is paused" in page and "Resume" in page
    with rt.db.transaction(write=False) as s:
        assert s.get(Channel, channel.id).status == ChannelStatus.paused  # type: ignore[union-attr]
    r = submit(client, f"/channels/{channel.id}/resume")
    assert "active again" in client.get(r.headers["location"]).text
    assert client.get("/channels/999999").status_code == 404


# -- what a preview channel recorded ----------------------------------------------------
def test_preview_channel_page_shows_what_it_recorded(rt: Runtime, client: TestClient) -> None:
    ws, me = signed_in(rt, client, "member")
    with rt.db.transaction() as s:
        owner = f.user(s, s.get(Workspace, ws.id), "owner")  # type: ignore[arg-type]
        channel = f.preview_channel(rt, s, ws, owner)
        f.post(s, ws, me, [channel], text="Nocturne au musée ce vendredi jusqu'à 22 h !")
    page = client.get(f"/channels/{channel.id}").text
    assert "Nothing recorded yet." in page
    assert build_runner(rt).run_until_idle() > 0
    page = client.get(f"/channels/{channel.id}").text
    recorded = page.split('id="recorded"', 1)[1]
    assert "Nocturne au musée ce vendredi jusqu&#39;à 22 h !" in recorded
    assert "Last published" in page


def test_preview_records_are_paged_newest_first(rt: Runtime, client: TestClient) -> None:
    from palabre.channels.preview.models import PreviewRecord

    ws, _me = signed_in(rt, client, "viewer")
    with rt.db.transaction() as s:
        owner = f.user(s, s.get(Workspace, ws.id), "owner")  # type: ignore[arg-type]
        channel = f.preview_channel(rt, s, ws, owner)
        for i in range(25):
            s.add(
                PreviewRecord(
                    channel_id=channel.id,
                    idempotency_key=f"k{i}",
                    text=f"Post n°{i}",
                    attachments=[
                        {"path": "a.jpg", "content_type": "image/jpeg", "alt_text": f"Tableau {i}"}
                    ],
                )
            )
    first = client.get(f"/channels/{channel.id}").text
    assert first.index("Post n°24") < first.index("Post n°23")
    assert "Post n°4" not in first and "Tableau 24" in first
    older = first.split('rel="next"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    second = client.get(older.replace("&amp;", "&")).text
    assert "Post n°4" in second and "Post n°0" in second and "Post n°24" not in second
