"""The contract every registered channel adapter passes.

Parametrized over the registry, so an adapter added without passing it fails here. Adapters
that need a real server get a connected adapter from a fixture named ``<kind>_adapter``.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from palabre.channels.base import Capabilities, ChannelAdapter, ChannelConfig, PublishRequest
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
    request = PublishRequest("Bonjour de Palabre ! Été 🌞 https://example.org", "contract-key-1")
    assert a.find_published("contract-key-1") is None
    first = a.publish(request)
    assert first.remote_id
    again = a.publish(request)  # a retry after a crash with the same key
    assert again.remote_id == first.remote_id
    found = a.find_published("contract-key-1")
    assert found is not None and found.remote_id == first.remote_id
    a.delete(first.remote_id)
    assert a.find_published("contract-key-1") is None
