"""Connecting a Bluesky channel: settings checked against the network policy, before any
password leaves Palabre."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from palabre.channels.base import ChannelConfig, ConnectError, PermanentError
from palabre.channels.bluesky import BlueskyAdapter
from palabre.channels.bluesky.settings import BlueskySettings
from palabre.core.netpolicy import NetPolicy


def test_a_private_server_is_refused_unless_the_administrator_allows_it() -> None:
    data = {"service": "http://127.0.0.1:2583", "handle": "@Musee.test", "app_password": "x"}
    with pytest.raises(ValidationError, match=r"private or local|plain http"):
        BlueskySettings.model_validate(data, context={"net": NetPolicy()})
    ok = BlueskySettings.model_validate(data, context={"net": NetPolicy.parse("127.0.0.1")})
    assert (ok.service, ok.handle) == ("http://127.0.0.1:2583", "musee.test")


def test_the_defaults_name_bluesky_and_keep_the_password_secret() -> None:
    settings = BlueskySettings.model_validate({"handle": "a.bsky.social", "app_password": "x"})
    assert settings.service == "https://bsky.social"
    assert "x" not in repr(settings)
    assert BlueskyAdapter.secret_fields == {"app_password"}
    assert BlueskyAdapter.help and all(isinstance(m, str) for m in BlueskyAdapter.help)


def test_connecting_to_a_refused_address_sends_nothing_and_says_why() -> None:
    config = ChannelConfig(
        1,
        {"service": "http://10.9.8.7:1", "handle": "a.test"},
        {"app_password": "aaaa-bbbb-cccc-dddd"},
        net=NetPolicy(),
    )
    adapter = BlueskyAdapter(config)
    with pytest.raises(ConnectError, match=r"plain http|private or local"):
        adapter.verify()
    assert adapter.session.logins == 0


def test_deleting_something_that_is_not_a_post_address_is_refused_for_good() -> None:
    config = ChannelConfig(1, {"handle": "a.test"}, {"app_password": "x"}, net=NetPolicy())
    with pytest.raises(PermanentError, match="Not a Bluesky post address"):
        BlueskyAdapter(config).delete("12345")
