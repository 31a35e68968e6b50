"""The protocol every network adapter implements, and what it declares it can do.

An adapter is built for one channel from a ``ChannelConfig`` (settings, decrypted secrets,
the admin's network policy) and talks to its network synchronously; the worker calls it.
What goes wrong is said with these exceptions, whose messages are English msgids (with
``%(name)s`` parameters) that the interface translates:

- ``AuthError``: the token is expired or revoked — the channel needs reconnection; its
  deliveries wait, nothing is dropped.
- ``TransientError`` (from the stator; ``RateLimited`` is one): try again later, with
  ``retry_after`` if the network said when. Timeouts, 5xx and 429 are transient — never
  a dead token.
- ``PermanentError``: the network refused this content for good; do not retry it.
- ``ConnectError``: connecting failed in a way the person must fix (wrong address, not
  that kind of server, wrong password, garbled answers).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel

from palabre.core.db import Database
from palabre.core.netpolicy import NetPolicy
from palabre.stator.handling import TransientError

__all__ = [
    "Account",
    "AuthError",
    "Capabilities",
    "ChannelAdapter",
    "ChannelConfig",
    "ChannelError",
    "ConnectError",
    "EmptySettings",
    "Media",
    "Metrics",
    "Notification",
    "NotificationKind",
    "NotificationPage",
    "OAuthStart",
    "PermanentError",
    "PublishRequest",
    "PublishResult",
    "RateLimit",
    "RateLimited",
    "RemoteRef",
    "ThreadPart",
    "TransientError",
]


class ChannelError(Exception):
    """An error with a message for people: an English msgid and its parameters."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(message % self.params if self.params else message)


class PermanentError(ChannelError):
    """The network refused for good (content rejected, account gone): do not retry."""


class AuthError(ChannelError):
    """The credentials are expired or revoked: the channel needs reconnection."""


class ConnectError(ChannelError):
    """Connecting failed for a reason the person must fix (address, password, server)."""


class RateLimited(TransientError):
    """The network asks to wait (429, or no request left until the window resets)."""


@dataclass(frozen=True)
class Capabilities:
    text_limit: int
    counting: str  # "graphemes" (Bluesky) or "mastodon" (graphemes, URLs count url_length)
    url_length: int = 23
    max_images: int = 4
    alt_text: bool = True
    alt_text_limit: int = 1500
    image_max_bytes: int = 10 * 1024 * 1024
    image_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/gif", "image/webp")
    threads: bool = False
    replies: bool = True
    content_warnings: bool = False
    direct_messages: bool = False
    metrics: bool = False
    link_cards: bool = False
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
class RemoteRef:
    """A post on a network: its id (a Mastodon status id, a Bluesky ``at://`` URI), its
    web address, and Bluesky's content hash (needed to reply to it or quote it)."""

    id: str
    url: str | None = None
    cid: str | None = None


@dataclass(frozen=True)
class ThreadPart:
    """A follow-up of a thread: published as a reply to the part before it."""

    text: str
    media: list[Media] = field(default_factory=list)


@dataclass(frozen=True)
class PublishRequest:
    text: str
    idempotency_key: str
    media: list[Media] = field(default_factory=list)
    scheduled_for: datetime | None = None
    # Publish as a reply to this post (a reply from the inbox, or a thread continued).
    reply_to: RemoteRef | None = None
    # More parts: a thread, each part replying to the one before.
    thread: list[ThreadPart] = field(default_factory=list)
    content_warning: str | None = None
    language: str | None = None  # ISO 639-1, e.g. "fr"


@dataclass(frozen=True)
class PublishResult:
    remote_id: str
    remote_url: str | None
    published_at: datetime
    cid: str | None = None
    # Every post made, the first one included (one for a post, several for a thread).
    parts: tuple[RemoteRef, ...] = ()


@dataclass(frozen=True)
class Account:
    """An account on a network: the channel's own, or someone who wrote to it."""

    id: str  # Mastodon account id, Bluesky DID
    handle: str  # user@server, name.bsky.social
    display_name: str | None = None
    url: str | None = None
    avatar_url: str | None = None


class NotificationKind(enum.StrEnum):
    mention = "mention"
    reply = "reply"
    quote = "quote"
    follow = "follow"
    like = "like"
    repost = "repost"
    direct_message = "direct_message"


@dataclass(frozen=True)
class Notification:
    remote_id: str  # unique on the channel: ingesting it twice stores it once
    kind: NotificationKind
    created_at: datetime
    author: Account
    text: str = ""  # plain text of a mention, reply, quote or direct message
    post: RemoteRef | None = None  # that message itself
    subject: RemoteRef | None = None  # the post of ours it is about (liked, replied to…)
    root: RemoteRef | None = None  # the thread's first post, to group conversations
    language: str | None = None
    # The post it answers (Mastodon's ``in_reply_to_id``, Bluesky's reply parent): the
    # inbox follows it to the conversation when the network does not name the root.
    parent: RemoteRef | None = None
    # The message as the network's HTML (Mastodon statuses), sanitised before storing.
    html: str | None = None


@dataclass(frozen=True)
class NotificationPage:
    """Notifications newer than the cursor given, oldest first, and the cursor to store.
    ``more`` says another call would return more right away."""

    notifications: list[Notification]
    cursor: str | None
    more: bool = False


@dataclass(frozen=True)
class Metrics:
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int | None = None  # None: the network does not count quotes


@dataclass(frozen=True)
class RateLimit:
    """The last rate-limit state a network reported (headers), for the channel's health."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None


@dataclass(frozen=True)
class OAuthStart:
    """Where to send the person to authorise Palabre, and what to keep until they return
    (the app's client id and secret: kept encrypted)."""

    authorize_url: str
    state_data: dict[str, Any]


@dataclass
class ChannelConfig:
    """What an adapter is given: the channel's id, settings, decrypted secrets, the db,
    the admin's network policy, and how to save secrets that change (a refreshed session)."""

    channel_id: int
    settings: dict[str, Any]
    secrets: dict[str, Any]
    db: Database | None = None
    net: NetPolicy = field(default_factory=NetPolicy)
    save_secrets: Callable[[dict[str, Any]], None] | None = None


class EmptySettings(BaseModel):
    pass


class ChannelAdapter:
    """Base class of adapters. Subclasses set the class attributes and override methods.

    Settings models are validated with ``context={"net": NetPolicy}`` so a server
    address can be checked against the administrator's allow-list.
    """

    kind: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str] = ""
    # Explanations shown above the settings form (msgids), e.g. what an app password is.
    help: ClassVar[tuple[str, ...]] = ()
    settings_model: ClassVar[type[BaseModel]] = EmptySettings
    secret_fields: ClassVar[frozenset[str]] = frozenset()
    # Connect by an OAuth flow in the browser (then ``oauth_start``/``oauth_finish``);
    # the setting that holds the server's address, to reconnect through it.
    oauth: ClassVar[bool] = False
    oauth_server_field: ClassVar[str] = "instance"

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config
        # The last rate-limit state seen; the worker stores it on the channel's health.
        self.rate_limit: RateLimit | None = None

    def capabilities(self) -> Capabilities:
        raise NotImplementedError

    def verify(self) -> Account:
        """Check the credentials; return the connected account."""
        raise NotImplementedError

    def server_settings(self) -> dict[str, Any]:
        """What the server says about itself that ``capabilities`` needs (limits read
        from the server): merged into the channel's settings when connecting and on each
        refresh, so ``capabilities`` never needs the network."""
        return {}

    def publish(self, request: PublishRequest) -> PublishResult:
        raise NotImplementedError

    def find_published(self, request: PublishRequest) -> PublishResult | None:
        """After a crash: the post this request made, if it reached the network (for a
        thread, the whole thread — ``None`` unless every part is there, the first part
        included; a resend then completes it without repeating parts)."""
        raise NotImplementedError

    def reply(self, to: RemoteRef, text: str, idempotency_key: str) -> PublishResult:
        """Answer a post of someone else's, threaded under it."""
        return self.publish(PublishRequest(text, idempotency_key, reply_to=to))

    def delete(self, remote_id: str) -> None:
        """Remove a post; a post already gone is not an error."""
        raise NotImplementedError

    def fetch_notifications(self, cursor: str | None, limit: int = 100) -> NotificationPage:
        """What happened since ``cursor`` (``None``: the first time; the most recent page).

        At least once: a network whose order is not the order of arrival (Bluesky lists a
        late-indexed reply below newer ones) may return again notifications from just
        before the cursor; the inbox stores a notification once (its remote id)."""
        raise NotImplementedError

    def fetch_metrics(self, refs: list[RemoteRef]) -> dict[str, Metrics]:
        """Counts for published posts, by remote id (posts gone are left out)."""
        raise NotImplementedError

    # -- connecting with OAuth (adapters with ``oauth = True``) ------------------------
    @classmethod
    def oauth_start(cls, server: str, redirect_uri: str, state: str, net: NetPolicy) -> OAuthStart:
        """Register Palabre on the server if needed; say where to send the person."""
        raise NotImplementedError

    @classmethod
    def oauth_finish(
        cls, state_data: dict[str, Any], code: str, redirect_uri: str, net: NetPolicy
    ) -> dict[str, Any]:
        """Exchange the code for a token; return the channel's settings (secrets included)."""
        raise NotImplementedError
