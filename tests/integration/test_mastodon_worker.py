"""A Mastodon channel through Palabre's own machinery (services, worker, database) against
the local Mastodon API server: what people say is read and stored once, the post's
counts come back, and a revoked token makes posts wait instead of failing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from palabre.channels import services as channels
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.sync_models import ChannelSync
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox.models import Notification
from palabre.models import STATOR_MODELS
from palabre.publishing.models import Delivery
from palabre.stator import StatorRunner
from palabre.team.models import User, Workspace
from tests import factories as f
from tests.fakes.mastodon_server import MastodonServer
from tests.fixtures.mastodon import Org


def run(rt: Runtime, minutes: float = 0) -> None:
    StatorRunner(rt.db, list(STATOR_MODELS), services=rt.worker_services()).run_once(
        utcnow() + timedelta(minutes=minutes)
    )


def add_channel(rt: Runtime, server: MastodonServer, org: Org) -> tuple[Workspace, User, Channel]:
    """A workspace, its manager, and the organisation's Mastodon account connected."""
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        manager = f.user(s, ws, "manager")
        channel = channels.create_channel(
            s,
            ws,
            kind="mastodon",
            name="Mastodon du musée",
            settings={"instance": server.base_url, "access_token": org.token},
            actor=manager,
            box=rt.box,
            net=rt.net,
        )
    return ws, manager, channel


def channel_page(rt: Runtime, channel_id: int) -> str:
    from fastapi.testclient import TestClient

    from palabre.core.web import create_app

    with rt.db.transaction() as s:
        channel = s.get(Channel, channel_id)
        assert channel is not None
        viewer = f.user(s, s.get(Workspace, channel.workspace_id), "viewer")  # type: ignore[arg-type]
    with TestClient(create_app(rt)) as client:
        f.sign_in(client, viewer.email)
        return client.get(f"/channels/{channel_id}").text


def test_the_worker_publishes_reads_notifications_and_counts(
    rt: Runtime, mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    visitor = mastodon_server.create_account("visiteuse", "Ana")
    ws, manager, channel = add_channel(rt, mastodon_server, mastodon_org)
    with rt.db.transaction() as s:
        ws, manager, channel = s.merge(ws), s.merge(manager), s.merge(channel)
        f.post(s, ws, manager, [channel], text="Vernissage jeudi à 18 h")
    assert channel.account_handle and "org" in channel.account_handle
    assert channel.settings.get("max_characters")  # limits read from the instance
    run(rt)
    with rt.db.transaction(write=False) as s:
        delivery = s.scalars(select(Delivery)).one()
    assert delivery.state == "published" and delivery.remote_id
    status_id = delivery.remote_id

    mastodon_server.reply(str(visitor["id"]), status_id, "Est-ce accessible en fauteuil ?")
    mastodon_server.favourite(str(visitor["id"]), status_id)
    mastodon_server.boost(str(visitor["id"]), status_id)
    mastodon_server.follow(str(visitor["id"]), mastodon_org.id)
    with rt.db.transaction() as s:  # the next reading is due now, metrics too
        s.execute(
            ChannelSync.__table__.update().values(next_attempt_at=utcnow(), metrics_due_at=None)
        )
    run(rt, 1)
    run(rt, 3)
    with rt.db.transaction(write=False) as s:
        kinds = sorted(n.kind for n in s.scalars(select(Notification)))
        reply = s.scalar(select(Notification).where(Notification.kind == "reply"))
        delivery = s.scalars(select(Delivery)).one()
    assert kinds == ["follow", "like", "reply", "repost"]
    assert reply is not None and "fauteuil" in reply.text and reply.subject_id == status_id
    assert reply.author_handle.startswith("visiteuse")
    assert delivery.metrics is not None
    assert (delivery.metrics["likes"], delivery.metrics["reposts"]) == (1, 1)
    assert delivery.metrics["replies"] == 1

    page = channel_page(rt, channel.id)
    heard = page.split('id="heard"', 1)[1].split("</section>", 1)[0]
    assert "Est-ce accessible en fauteuil ?" in heard and "replied" in heard
    assert "followed the account" in heard

    run(rt, 10)  # read again: nothing is stored twice
    with rt.db.transaction(write=False) as s:
        assert len(s.scalars(select(Notification)).all()) == 4

    # The server's admin raises the limit: read again the next day, the composer follows.
    mastodon_server.max_characters = 5000
    run(rt, 60 * 25)
    with rt.db.transaction(write=False) as s:
        row = s.get(Channel, channel.id)
        assert row is not None and channels.capabilities(row).text_limit == 5000


def test_a_revoked_token_makes_the_post_wait_and_marks_the_channel(
    rt: Runtime, mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    ws, manager, channel = add_channel(rt, mastodon_server, mastodon_org)
    mastodon_server.revoke_token(mastodon_org.token)
    with rt.db.transaction() as s:
        f.post(s, s.merge(ws), s.merge(manager), [s.merge(channel)], text="Atelier")
    for minutes in (0, 30, 120, 600):
        run(rt, minutes)
    with rt.db.transaction(write=False) as s:
        row = s.get(Channel, channel.id)
        delivery = s.scalars(select(Delivery)).one()
    assert row is not None and row.status == ChannelStatus.needs_reconnection
    assert delivery.state == "scheduled"
    assert mastodon_server.statuses_of(mastodon_org.id) == []
