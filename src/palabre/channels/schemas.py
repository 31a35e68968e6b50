"""API shapes for channels. Secrets never appear in any of them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from palabre.team.schemas import Model, UtcTime


class ChannelCreate(BaseModel):
    kind: str = Field(description="The adapter, e.g. `preview`", examples=["preview"])
    name: str = Field(max_length=200, examples=["Bluesky (preview)"])
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description="Checked by the adapter's own settings model, then the account is "
        "reached on its network. For `preview`: "
        '`{"imitates": "mastodon"|"bluesky", "text_limit": int?}`; for `mastodon`: '
        '`{"instance": URL, "access_token": ...}`; for `bluesky`: '
        '`{"service": URL, "handle": ..., "app_password": ...}`. A plain-http server '
        "only for hosts on the administrator's PALABRE_FETCH_ALLOWLIST.",
        examples=[{"imitates": "bluesky"}],
    )


class ChannelRef(Model):
    id: int
    name: str
    kind: str


class Health(BaseModel):
    last_success_at: UtcTime | None = None
    last_error: str | None = None
    last_error_at: UtcTime | None = None
    rate_limit_remaining: int | None = Field(
        default=None, description="Requests left in the network's current window"
    )
    rate_limit_limit: int | None = None
    rate_limit_reset_at: UtcTime | None = None


class CapabilitiesOut(Model):
    text_limit: int = Field(description="Longest text the network accepts, by its own count")
    counting: str = Field(
        description="`graphemes` (Bluesky) or `mastodon` (graphemes, each URL counts `url_length`)"
    )
    url_length: int
    max_images: int
    alt_text_limit: int
    threads: bool
    content_warnings: bool
    direct_messages: bool
    metrics: bool


class ChannelOut(Model):
    id: int
    kind: str
    name: str
    status: str = Field(description="active, paused or needs_reconnection")
    account: str | None = Field(description="The connected account (handle)")
    settings: dict[str, Any] = Field(description="The settings that are not secret")
    health: Health
    capabilities: CapabilitiesOut | None = Field(
        description="None when the channel's adapter is not installed any more"
    )
    created_at: UtcTime


class ChannelList(BaseModel):
    channels: list[ChannelOut]
