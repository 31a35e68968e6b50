"""Reading channels and living with dead tokens, on the real database with the real worker:
notifications stored once with the cursor, metrics, rate limits, "needs reconnection"
(deliveries wait, managers are told), reconnection sending what waited.

The network is a scripted adapter (the real networks' adapters have their own tests
against real servers); what is checked here is what Palabre does with its answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, SecretStr
from sqlalchemy import func, select

from palabre.channels import services as channels
from palabre.channels.base import (
    Account,
    AuthError,
    Capabilities,
    ChannelAdapter,
    Metrics,
    Notification,
    NotificationKind,
    NotificationPage,
    PublishRequest,
    PublishResult,
    RateLimit,
    RemoteRef,
    TransientError,
)
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.registry import adapters
from palabre.channels.sync_models import ChannelSync
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox.models import Notification as Stored
from palabre.models import STATOR_MODELS
from palabre.publishing.models import Delivery, Post, PostState
from palabre.stator import StatorRunner
from palabre.team import notices
from palabre.team.models import Notice, User, Workspace
from tests import factories as f


@dataclass
class Network:
    """What the scripted network holds and how it behaves next."""

    notifications: list[Notification] = field(default_factory=list)
    posts: dict[str, str] = field(default_factory=dict)
    likes: dict[str, int] = field(default_factory=dict)
    token_valid: bool = True
    fail_next: list[Exception] = field(default_factory=list)
    page_size: int = 3
    publish_calls: int = 0
    logins: int = 0


NET = Network()


class ScriptedSettings(BaseModel):
    token: SecretStr


class ScriptedAdapter(ChannelAdapter):
    kind = "scripted"
    label = "Scripted"
    settings_model = ScriptedSettings
    secret_fields: ClassVar[frozenset[str]] = frozenset({"token"})

    def _check(self) -> None:
        self.rate_limit = RateLimit(300, 299, utcnow() + timedelta(minutes=5))
        if NET.fail_next:
            raise NET.fail_next.pop(0)
        if not NET.token_valid or self.config.secrets.get("token") != "good":
            raise AuthError("The access token is invalid")

    def capabilities(self) -> Capabilities:
        return Capabilities(text_limit=500, counting="mastodon", metrics=True)

    def verify(self) -> Account:
        self._check()
        return Account(id="acct-1", handle="musee@scripted.example")

    def publish(self, request: PublishRequest) -> PublishResult:
        self._check()
        NET.publish_calls += 1
        remote_id = f"s{len(NET.posts) + 1}"
        NET.posts[remote_id] = request.text
        return PublishResult(remote_id, f"https://scripted.example/{remote_id}", utcnow())

    def find_published(self, request: PublishRequest) -> PublishResult | None:
        return None

    def fetch_notifications(self, cursor: str | None, limit: int = 100) -> NotificationPage:
        self._check()
        start = int(cursor) if cursor else 0
        batch = NET.notifications[start : start + NET.page_size]
        end = start + len(batch)
        return NotificationPage(batch, str(end), more=end < len(NET.notifications))

    def fetch_metrics(self, refs: list[RemoteRef]) -> dict[str, Metrics]:
        self._check()
        return {r.id: Metrics(likes=NET.likes.get(r.id, 0)) for r in refs if r.id in NET.posts}


@dataclass
class Scene:
    ws: Workspace
    owner: User
    manager: User
    member: User
    channel: Channel


@pytest.fixture
def scene(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Scene:
    global NET
    NET = Network()
    monkeypatch.setitem(adapters(), "scripted", ScriptedAdapter)
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner")
        manager = f.user(s, ws, "manager")
        member = f.user(s, ws, "member")
        channel = channels.create_channel(
            s,
            ws,
            kind="scripted",
            name="Mastodon du musée",
            settings={"token": "good"},
            actor=manager,
            box=rt.box,
        )
    return Scene(ws, owner, manager, member, channel)


def mention(n: int) -> Notification:
    return Notification(
        remote_id=f"n{n}",
        kind=NotificationKind.mention,
        created_at=datetime(2026, 11, 20, 10, n, tzinfo=UTC),
        author=Account(id=f"a{n}", handle=f"visiteur{n}@ailleurs.example", display_name="Ana"),
        text=f"Bonjour, le musée est-il ouvert demain ? ({n})",
        post=RemoteRef(f"p{n}", f"https://ailleurs.example/p{n}"),
    )


def run(rt: Runtime, now: datetime | None = None) -> None:
    StatorRunner(rt.db, list(STATOR_MODELS), services=rt.worker_services()).run_once(now)


def later(minutes: float) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


def stored(rt: Runtime) -> list[str]:
    with rt.db.transaction(write=False) as s:
        return list(s.scalars(select(Stored.remote_id).order_by(Stored.id)))


def sync_row(rt: Runtime, channel_id: int) -> ChannelSync:
    with rt.db.transaction(write=False) as s:
        row = s.scalar(select(ChannelSync).where(ChannelSync.channel_id == channel_id))
        assert row is not None
        s.expunge(row)
        return row


def channel_row(rt: Runtime, channel_id: int) -> Channel:
    with rt.db.transaction(write=False) as s:
        row = s.get(Channel, channel_id)
        assert row is not None
        s.expunge(row)
        return row


def test_adding_a_channel_reaches_its_account(rt: Runtime, scene: Scene) -> None:
    channel = channel_row(rt, scene.channel.id)
    assert channel.account_handle == "musee@scripted.example"
    assert "token" not in (channel.settings or {})  # the secret is only stored encrypted
    assert sync_row(rt, channel.id).state == "polling"


def test_a_refused_token_refuses_the_channel_with_a_message(rt: Runtime, scene: Scene) -> None:
    from palabre.core.errors import Invalid

    with rt.db.transaction() as s, pytest.raises(Invalid) as refused:
        channels.create_channel(
            s,
            s.merge(scene.ws),
            kind="scripted",
            name="Autre",
            settings={"token": "bad"},
            actor=s.merge(scene.manager),
            box=rt.box,
        )
    assert "access token is invalid" in str(refused.value)
    with rt.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Channel)) == 1


def test_notifications_are_read_page_by_page_and_stored_once(rt: Runtime, scene: Scene) -> None:
    NET.notifications = [mention(n) for n in range(1, 8)]  # 7: three pages of 3
    run(rt)
    assert stored(rt) == ["n1", "n2", "n3"]
    row = sync_row(rt, scene.channel.id)
    assert row.cursor == "3"
    assert row.next_attempt_at is not None and row.next_attempt_at < later(0.5)  # more soon
    run(rt, later(1))
    run(rt, later(2))
    assert stored(rt) == [f"n{n}" for n in range(1, 8)]
    row = sync_row(rt, scene.channel.id)
    assert row.cursor == "7" and row.attempts == 0
    assert row.next_attempt_at is not None and row.next_attempt_at > later(2.5)  # caught up

    # The cursor lost (a crash after storing, before the cursor was written): read again,
    # stored once.
    with rt.db.transaction() as s:
        s.execute(ChannelSync.__table__.update().values(cursor="3", next_attempt_at=utcnow()))
    run(rt, later(5))
    run(rt, later(6))
    assert stored(rt) == [f"n{n}" for n in range(1, 8)]
    with rt.db.transaction(write=False) as s:
        n1 = s.scalar(select(Stored).where(Stored.remote_id == "n1"))
        assert n1 is not None
        assert n1.author_handle == "visiteur1@ailleurs.example" and "ouvert demain" in n1.text
        assert n1.workspace_id == scene.ws.id and n1.kind == "mention"
    assert channel_row(rt, scene.channel.id).rate_limit_remaining == 299


def test_a_network_down_backs_off_and_never_means_a_dead_token(rt: Runtime, scene: Scene) -> None:
    NET.notifications = [mention(1)]
    NET.fail_next = [TransientError("503 Service Unavailable", retry_after=120)]
    run(rt)
    assert stored(rt) == []
    row = sync_row(rt, scene.channel.id)
    assert row.next_attempt_at is not None and row.next_attempt_at >= later(1.9)
    channel = channel_row(rt, scene.channel.id)
    assert channel.status == ChannelStatus.active
    assert channel.last_error and "503" in channel.last_error
    run(rt, later(3))
    assert stored(rt) == ["n1"]


def test_metrics_of_published_posts_are_read(rt: Runtime, scene: Scene) -> None:
    with rt.db.transaction() as s:
        f.post(s, s.merge(scene.ws), s.merge(scene.manager), [s.merge(scene.channel)], "Expo")
    run(rt)  # publishes (and reads the channel)
    with rt.db.transaction(write=False) as s:
        delivery = s.scalars(select(Delivery)).one()
        assert delivery.state == "published"
        remote_id = delivery.remote_id
    assert remote_id is not None
    NET.likes[remote_id] = 12
    with rt.db.transaction() as s:
        s.execute(ChannelSync.__table__.update().values(metrics_due_at=None))
    run(rt, later(2))
    with rt.db.transaction(write=False) as s:
        delivery = s.scalars(select(Delivery)).one()
        assert delivery.metrics is not None and delivery.metrics["likes"] == 12
        assert delivery.metrics_at is not None


def test_a_dead_token_makes_posts_wait_tells_managers_and_reconnecting_sends_them(
    rt: Runtime, scene: Scene
) -> None:
    NET.token_valid = False
    with rt.db.transaction() as s:
        post_id = f.post(
            s, s.merge(scene.ws), s.merge(scene.manager), [s.merge(scene.channel)], "Nocturne"
        ).id
    for minutes in (0, 20, 60, 200, 900):  # much longer than any retry budget
        run(rt, later(minutes))
    assert NET.publish_calls == 0
    channel = channel_row(rt, scene.channel.id)
    assert channel.status == ChannelStatus.needs_reconnection
    with rt.db.transaction(write=False) as s:
        delivery = s.scalars(select(Delivery)).one()
        assert delivery.state == "scheduled"  # waiting, not failed, not dropped
        assert s.get(Post, post_id).state == PostState.scheduled  # type: ignore[union-attr]
        told = {n.user_id for n in s.scalars(select(Notice))}
        assert told == {scene.owner.id, scene.manager.id}  # once each; not the member
        assert notices.unread_count(s, scene.member.id) == 0

    NET.token_valid = True
    connected = channels.connect("scripted", {"token": "good"}, rt.net)
    with rt.db.transaction() as s:
        channels.reconnect_channel(
            s, s.get(Channel, scene.channel.id), connected, actor=s.merge(scene.manager), box=rt.box
        )
    run(rt, later(901))
    run(rt, later(902))
    assert NET.publish_calls == 1
    with rt.db.transaction(write=False) as s:
        assert s.scalars(select(Delivery)).one().state == "published"
        assert s.get(Post, post_id).state == PostState.published  # type: ignore[union-attr]
    assert channel_row(rt, scene.channel.id).status == ChannelStatus.active


def test_reconnecting_with_another_accounts_token_is_refused(rt: Runtime, scene: Scene) -> None:
    from palabre.core.errors import Invalid

    connected = channels.connect("scripted", {"token": "good"}, rt.net)
    connected.account = Account(id="someone-else", handle="autre@scripted.example")
    with rt.db.transaction() as s, pytest.raises(Invalid) as refused:
        channels.reconnect_channel(
            s, s.get(Channel, scene.channel.id), connected, actor=s.merge(scene.manager), box=rt.box
        )
    assert refused.value.errors["settings"][1] == {"handle": "autre@scripted.example"}


def test_a_refreshed_session_is_saved_encrypted(rt: Runtime, scene: Scene) -> None:
    with rt.db.transaction(write=False) as s:
        channel = s.get(Channel, scene.channel.id)
        assert channel is not None
        adapter = channels.adapter_for(channel, box=rt.box, db=rt.db)
    assert adapter.config.save_secrets is not None
    adapter.config.save_secrets({"session": "fresh-session-string"})
    with rt.db.transaction(write=False) as s:
        row = s.get(Channel, scene.channel.id)
        assert row is not None and row.secrets_encrypted
        assert "fresh-session-string" not in row.secrets_encrypted
        assert rt.box.decrypt(row.secrets_encrypted) == {
            "token": "good",
            "session": "fresh-session-string",
        }


# -- what people see -----------------------------------------------------------------------
def break_channel(rt: Runtime, scene: Scene) -> None:
    NET.token_valid = False
    run(rt)  # the worker reads the channel and finds the token refused


def test_managers_see_a_banner_on_every_page_and_a_notice(
    rt: Runtime, scene: Scene, client: TestClient
) -> None:
    break_channel(rt, scene)
    f.sign_in(client, scene.manager.email)
    for path in ("/", "/calendar", "/posts", "/team"):
        page = client.get(path).text
        banner = page.split('id="reconnect-alert"', 1)[1].split("</div>", 1)[0]
        assert "1 channel needs to be reconnected." in banner
        assert f"/channels/{scene.channel.id}#reconnect" in banner
    assert '<span class="badge"' in client.get("/").text  # one unread notice
    notices_page = client.get("/notices").text
    assert "The channel “Mastodon du musée” needs to be reconnected" in notices_page
    csrf = f.csrf_of(client)
    client.post("/notices/read", data={"csrf_token": csrf})
    assert '<span class="badge"' not in client.get("/").text


def test_members_are_not_told_to_reconnect(rt: Runtime, scene: Scene, client: TestClient) -> None:
    break_channel(rt, scene)
    f.sign_in(client, scene.member.email)
    page = client.get("/").text
    assert 'id="reconnect-alert"' not in page and '<span class="badge"' not in page
    detail = client.get(f"/channels/{scene.channel.id}").text
    assert 'id="reconnect"' not in detail  # no form for them
    assert "This channel needs to be reconnected." in detail  # but they see the state
    csrf = f.csrf_of(client)
    resp = client.post(
        f"/channels/{scene.channel.id}/reconnect",
        data={"csrf_token": csrf, "settings.token": "good"},
    )
    assert resp.status_code == 403
    assert channel_row(rt, scene.channel.id).status == ChannelStatus.needs_reconnection


def test_a_manager_reconnects_by_typing_a_new_token(
    rt: Runtime, scene: Scene, client: TestClient
) -> None:
    with rt.db.transaction() as s:
        f.post(s, s.merge(scene.ws), s.merge(scene.manager), [s.merge(scene.channel)], "Atelier")
    break_channel(rt, scene)
    assert NET.publish_calls == 0
    f.sign_in(client, scene.manager.email)
    detail = client.get(f"/channels/{scene.channel.id}").text
    form = detail.split('id="reconnect"', 1)[1].split("</section>", 1)[0]
    assert 'name="settings.token"' in form and 'type="password"' in form
    csrf = f.csrf_of(client)
    NET.token_valid = True
    refused = client.post(
        f"/channels/{scene.channel.id}/reconnect",
        data={"csrf_token": csrf, "settings.token": "wrong"},
    )
    assert refused.status_code == 422
    assert "The access token is invalid" in refused.text
    assert channel_row(rt, scene.channel.id).status == ChannelStatus.needs_reconnection
    done = client.post(
        f"/channels/{scene.channel.id}/reconnect",
        data={"csrf_token": csrf, "settings.token": "good"},
    )
    assert done.status_code == 200
    assert "The channel is reconnected" in done.text
    assert channel_row(rt, scene.channel.id).status == ChannelStatus.active
    run(rt, later(1))
    run(rt, later(2))
    assert NET.publish_calls == 1
    assert 'id="reconnect-alert"' not in client.get("/").text


def test_a_stale_or_foreign_connection_link_is_refused_plainly(
    rt: Runtime, scene: Scene, client: TestClient
) -> None:
    f.sign_in(client, scene.manager.email)
    resp = client.get("/channels/connected", params={"state": "forged", "code": "x"})
    assert resp.status_code == 404
    assert "This connection link is not valid any more" in resp.text
    assert "Traceback" not in resp.text
