"""The protocol every network adapter implements, and what it declares it can do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel

from palabre.core.db import Database


class PermanentError(Exception):
    """The network refused for good (content rejected, account gone): do not retry."""


class AuthError(Exception):
    """The credentials are expired or revoked: the channel needs reconnection."""


@dataclass(frozen=True)
class Capabilities:
    text_limit: int
    counting: str  # "graphemes" (Bluesky) or "mastodon" (graphemes, URLs count url_length)
    url_length: int = 23
    max_images: int = 4
    alt_text_limit: int = 1500
    threads: bool = False
    direct_messages: bool = False
    metrics: bool = False
    # The network honours idempotency keys (Mastodon's Idempotency-Key): publishing twice
    # with one key makes one post. The worker may then commit several outcomes together:
    # a crash before that commit leaves rows that are checked with ``find_published`` and,
    # should that miss, sent again with the same key, which makes no second post.
    idempotent_publish: bool = False


@dataclass(frozen=True)
class Media:
    path: Path
    content_type: str
    alt_text: str


@dataclass(frozen=True)
class PublishRequest:
    text: str
    idempotency_key: str
    media: list[Media] = field(default_factory=list)
    scheduled_for: datetime | None = None


@dataclass(frozen=True)
class PublishResult:
    remote_id: str
    remote_url: str | None
    published_at: datetime


@dataclass
class ChannelConfig:
    """What an adapter is given: the channel's id, settings, decrypted secrets, the db."""

    channel_id: int
    settings: dict[str, Any]
    secrets: dict[str, Any]
    db: Database | None = None


class EmptySettings(BaseModel):
    pass


class ChannelAdapter:
    """Base class of adapters. Subclasses set the class attributes and override methods."""

    kind: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str] = ""
    settings_model: ClassVar[type[BaseModel]] = EmptySettings
    secret_fields: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config

    def capabilities(self) -> Capabilities:
        raise NotImplementedError

    def verify(self) -> str:
        """Check the credentials; return the account's display name."""
        raise NotImplementedError

    def publish(self, request: PublishRequest) -> PublishResult:
        raise NotImplementedError

    def find_published(self, idempotency_key: str) -> PublishResult | None:
        """After a crash: the post made with this key, if it reached the network."""
        raise NotImplementedError

    def delete(self, remote_id: str) -> None:
        raise NotImplementedError
