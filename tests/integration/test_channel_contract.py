"""The contract every registered channel adapter passes.

Parametrized over the registry, so an adapter added without passing it fails here. Adapters
that need a real server get a connected adapter from a fixture named ``<kind>_adapter``.
"""

from __future__ import annotations

import uuid

import pytest
from pydantic import BaseModel

from palabre.channels.base import (
    Account,
    Capabilities,
    ChannelAdapter,
    ChannelConfig,
    Metrics,
    NotificationPage,
    PublishRequest,
    RemoteRef,
    ThreadPart,
)
from palabre.channels.registry import adapters, get_adapter_class
from palabre.core.runtime import Runtime
from tests import factories as f

KINDS = sorted(adapters())


def test_the_preview_channel_is_registered_through_entry_points() -> None:
    assert "preview" in KINDS
    assert get_adapter_class("preview").kind == "preview"


@pytest.fixture
def connected(request: pytest.FixtureRequest, rt: Runtime) -> ChannelAdapter:
    """An adapter connected to a working account of its network."""
    kind = request.param
    if kind != "preview":
        return request.getfixturevalue(f"{kind}_adapter")  # type: ignore[no-any-return]
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        owner = f.user(s, ws, "owner")
        channel = f.preview_channel(rt, s, ws, owner)
    return get_adapter_class(kind)(ChannelConfig(channel.id, channel.settings, {}, rt.db))


@pytest.mark.parametrize("kind", KINDS)
def test_adapter_declares_itself(kind: str) -> None:
    cls = get_adapter_class(kind)
    assert cls.kind == kind
    assert cls.label and isinstance(cls.label, str)
    assert issubclass(cls.settings_model, BaseModel)
    assert cls.secret_fields <= set(cls.settings_model.model_fields)


@pytest.mark.parametrize("connected", KINDS, indirect=True)
def test_capabilities_are_sane(connected: ChannelAdapter) -> None:
    caps = connected.capabilities()
    assert isinstance(caps, Capabilities)
    assert caps.text_limit > 0
    assert caps.counting in {"graphemes", "mastodon"}
    assert caps.max_images >= 0


@pytest.mark.parametrize("connected", KINDS, indirect=True)
def test_publish_is_idempotent_and_findable(connected: ChannelAdapter) -> None:
    a = connected
    key = f"contract-{uuid.uuid4().hex[:12]}"
    request = PublishRequest("Bonjour de Palabre ! Été 🌞 https://example.org", key)
    assert a.find_published(request) is None
    first = a.publish(request)
    assert first.remote_id
    again = a.publish(request)  # a retry after a crash with the same key
    assert again.remote_id == first.remote_id
    found = a.find_published(request)
    assert found is not None and found.remote_id == first.remote_id
    a.delete(first.remote_id)
    assert a.find_published(request) is None
    a.delete(first.remote_id)  # already gone: not an error


@pytest.mark.parametrize("connected", KINDS, indirect=True)
def test_verify_names_the_account(connected: ChannelAdapter) -> None:
    account = connected.verify()
    assert isinstance(account, Account)
    assert account.id and account.handle


@pytest.mark.parametrize("connected", KINDS, indirect=True)
def test_a_thread_is_published_in_order_and_found_whole(connected: ChannelAdapter) -> None:
    a = connected
    if not a.capabilities().threads:
        pytest.skip("this network has no threads")
    key = f"contract-{uuid.uuid4().hex[:12]}"
    request = PublishRequest(
        "1/3 Un fil sur la nuit des musées 🌙",
        key,
        thread=[ThreadPart("2/3 Ouverture à 19 h."), ThreadPart("3/3 Entrée libre, café ☕")],
    )
    result = a.publish(request)
    assert len(result.parts) == 3
    assert result.parts[0].id == result.remote_id
    assert len({p.id for p in result.parts}) == 3
    again = a.publish(request)  # a retry after a crash: no part made twice
    assert [p.id for p in again.parts] == [p.id for p in result.parts]
    found = a.find_published(request)
    assert found is not None and [p.id for p in found.parts] == [p.id for p in result.parts]


@pytest.mark.parametrize("connected", KINDS, indirect=True)
def test_notifications_and_metrics_answer_in_shape(connected: ChannelAdapter) -> None:
    page = connected.fetch_notifications(None)
    assert isinstance(page, NotificationPage)
    for notification in page.notifications:
        assert notification.remote_id and notification.author.handle
    again = connected.fetch_notifications(page.cursor)  # nothing new since the cursor
    assert {n.remote_id for n in again.notifications} <= {n.remote_id for n in page.notifications}
    published = connected.publish(PublishRequest("Des chiffres ?", uuid.uuid4().hex))
    metrics = connected.fetch_metrics([RemoteRef(published.remote_id, cid=published.cid)])
    if connected.capabilities().metrics:
        assert metrics[published.remote_id] == Metrics(0, 0, 0, metrics[published.remote_id].quotes)
    else:
        assert metrics == {}
