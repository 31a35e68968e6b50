"""Publishing to Bluesky and reading what happens there, for one channel.

Exactly once: each post's record key is a TID derived from its idempotency key (``<key>``,
then ``<key>#2``… for a thread's parts). A retry after a crash writes the same key: the
PDS refuses it (its answer for an existing key is a 500), and the record there is read
back instead — so no post is ever made twice, and ``find_published`` is a ``getRecord``.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from atproto_core.uri import AtUri

from palabre.channels.base import (
    Account,
    Capabilities,
    ChannelAdapter,
    Media,
    Metrics,
    NotificationPage,
    PermanentError,
    PublishRequest,
    PublishResult,
    RemoteRef,
    TransientError,
)
from palabre.channels.bluesky import cards, facets, images, notifications
from palabre.channels.bluesky.settings import HELP, BlueskySettings
from palabre.channels.bluesky.tid import tid_for
from palabre.core.i18n import N_

if TYPE_CHECKING:
    # The SDK's models weigh ~25 MB: loaded only when a Bluesky channel talks to its
    # network (the worker), not in every web process that only reads capabilities.
    from palabre.channels.bluesky.session import BlueskySession

POST = "app.bsky.feed.post"
Ref = dict[str, Any]
CAPABILITIES = Capabilities(
    text_limit=300,
    counting="graphemes",
    max_images=4,
    alt_text=True,
    alt_text_limit=2000,
    image_max_bytes=1_000_000,
    image_types=("image/jpeg", "image/png", "image/gif", "image/webp"),
    threads=True,
    replies=True,
    metrics=True,
    link_cards=True,
    idempotent_publish=True,  # deterministic record keys, see the module's docstring
)


class BlueskyAdapter(ChannelAdapter):
    kind = "bluesky"
    label = N_("Bluesky")
    description = N_("Publishes to a Bluesky account and reads its notifications.")
    help = HELP
    settings_model = BlueskySettings
    secret_fields = frozenset({"app_password"})

    @cached_property
    def settings(self) -> BlueskySettings:
        data = {"app_password": "-", **self.config.settings}
        return BlueskySettings.model_validate(data)

    @cached_property
    def session(self) -> BlueskySession:
        from palabre.channels.bluesky.session import BlueskySession

        return BlueskySession(self.config, self.settings.service, self.settings.handle)

    @cached_property
    def _dids(self) -> dict[str, str | None]:
        """Handles already resolved (None: no such account)."""
        return {}

    @property
    def client(self) -> Any:
        return self.session.client

    def _call(self, fn: Any) -> Any:
        try:
            return self.session.call(fn)
        finally:
            if self.session.rate_limit is not None:
                self.rate_limit = self.session.rate_limit

    def capabilities(self) -> Capabilities:
        return CAPABILITIES

    def verify(self) -> Account:
        self.session.connecting = True
        try:
            self.session.ensure()
            did = self.session.did
            profile = self._call(lambda: self.client.app.bsky.actor.get_profile({"actor": did}))
        finally:
            self.session.connecting = False
        return Account(
            id=profile.did,
            handle=profile.handle,
            display_name=profile.display_name,
            url=f"https://bsky.app/profile/{profile.handle}",
            avatar_url=profile.avatar,
        )

    # -- publishing -----------------------------------------------------------------
    def publish(self, request: PublishRequest) -> PublishResult:
        reply = self._reply_refs(request.reply_to) if request.reply_to else None
        parts = [(request.idempotency_key, request.text, request.media)] + [
            (f"{request.idempotency_key}#{n}", p.text, p.media)
            for n, p in enumerate(request.thread, start=2)
        ]
        made: list[RemoteRef] = []
        for key, text, media in parts:
            ref = self._create(key, text, media, reply, request.language)
            made.append(ref)
            root = reply["root"] if reply else _strong(ref)
            reply = {"root": root, "parent": _strong(ref)}
        return self._result(made)

    def reply(self, to: RemoteRef, text: str, idempotency_key: str) -> PublishResult:
        return self.publish(PublishRequest(text, idempotency_key, reply_to=to))

    def _result(self, made: list[RemoteRef]) -> PublishResult:
        return PublishResult(
            made[0].id, made[0].url, datetime.now(UTC), cid=made[0].cid, parts=tuple(made)
        )

    def _reply_refs(self, to: RemoteRef) -> dict[str, Any]:
        """Root and parent of a reply: the parent record says which thread it is in."""
        at = _uri(to.id)
        got = self._call(
            lambda: self.client.com.atproto.repo.get_record(
                {"repo": at.host, "collection": at.collection, "rkey": at.rkey}
            )
        )
        parent = {"uri": got.uri, "cid": got.cid}
        reply = getattr(got.value, "reply", None)
        root = {"uri": reply.root.uri, "cid": reply.root.cid} if reply else parent
        return {"root": root, "parent": parent}

    def _create(
        self,
        key: str,
        text: str,
        media: list[Media],
        reply: dict[str, Any] | None,
        lang: str | None,
    ) -> RemoteRef:
        rkey = tid_for(key)
        record = self._record(text, media, reply, lang)
        data = {"repo": self.session.did, "collection": POST, "rkey": rkey, "record": record}
        try:
            made = self._call(lambda: self.client.com.atproto.repo.create_record(data))
        except TransientError:
            # An existing key is refused with a 500, like a real failure: look.
            found = self._get(rkey, text)
            if found is None:
                raise
            return found
        return RemoteRef(made.uri, notifications.web_url(made.uri, self.settings.handle), made.cid)

    def _record(
        self, text: str, media: list[Media], reply: Ref | None, lang: str | None
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
        found = facets.build_facets(text, self._resolve)
        if found:
            record["facets"] = found
        if reply:
            record["reply"] = reply
        if lang:
            record["langs"] = [lang]
        if media:
            record["embed"] = self._images(media)
        else:
            links = facets.find_links(text)
            card = self._card(links[0].value) if links else None
            if card:
                record["embed"] = card
        return record

    def _resolve(self, handle: str) -> str | None:
        cache = self._dids
        if handle not in cache:
            try:
                cache[handle] = self._call(
                    lambda: self.client.com.atproto.identity.resolve_handle({"handle": handle})
                ).did
            except PermanentError:
                cache[handle] = None  # unknown handle: left as plain text
        return cache[handle]

    def _upload(self, data: bytes, content_type: str) -> dict[str, Any]:
        blob = self._call(
            lambda: self.client.com.atproto.repo.upload_blob(
                data, headers={"Content-Type": content_type}
            )
        ).blob
        from atproto_client.models.utils import get_model_as_dict

        return get_model_as_dict(blob)

    def _images(self, media: list[Media]) -> dict[str, Any]:
        entries = []
        for item in media[: CAPABILITIES.max_images]:
            data = item.path.read_bytes()
            entry: dict[str, Any] = {
                "alt": item.alt_text or "",
                "image": self._upload(data, item.content_type),
            }
            size = images.dimensions(data)
            if size and all(size):
                entry["aspectRatio"] = {"width": size[0], "height": size[1]}
            entries.append(entry)
        return {"$type": "app.bsky.embed.images", "images": entries}

    def _card(self, url: str) -> dict[str, Any] | None:
        card = cards.read_card(url, self.config.net)
        if card is None:
            return None
        external: dict[str, Any] = {
            "uri": card.uri,
            "title": card.title,
            "description": card.description,
        }
        thumb = cards.read_thumbnail(card, self.config.net)
        if thumb:
            with suppress(PermanentError, TransientError):  # else a card without its picture
                external["thumb"] = self._upload(*thumb)
        return {"$type": "app.bsky.embed.external", "external": external}

    # -- finding and deleting -------------------------------------------------------
    def _get(self, rkey: str, text: str | None = None) -> RemoteRef | None:
        did = self.session.did
        try:
            got = self._call(
                lambda: self.client.com.atproto.repo.get_record(
                    {"repo": did, "collection": POST, "rkey": rkey}
                )
            )
        except PermanentError:  # RecordNotFound
            return None
        if text is not None and getattr(got.value, "text", None) != text:
            raise PermanentError(N_("Another post already has this post's record key."))
        return RemoteRef(got.uri, notifications.web_url(got.uri, self.settings.handle), got.cid)

    def find_published(self, request: PublishRequest) -> PublishResult | None:
        keys = [request.idempotency_key] + [
            f"{request.idempotency_key}#{n}" for n in range(2, len(request.thread) + 2)
        ]
        found = []
        for key in keys:
            ref = self._get(tid_for(key))
            if ref is None:
                return None
            found.append(ref)
        return self._result(found)

    def delete(self, remote_id: str) -> None:
        at = _uri(remote_id)
        self._call(
            lambda: self.client.com.atproto.repo.delete_record(
                {"repo": at.host, "collection": at.collection, "rkey": at.rkey}
            )
        )

    # -- reading --------------------------------------------------------------------
    def fetch_notifications(self, cursor: str | None, limit: int = 100) -> NotificationPage:
        def page(page_cursor: str | None) -> tuple[list[Any], str | None]:
            params = {"limit": min(max(limit, 1), 100), "cursor": page_cursor}
            got = self._call(lambda: self.client.app.bsky.notification.list_notifications(params))
            return list(got.notifications), got.cursor

        read = notifications.newer_than(page, cursor)
        items = list(notifications.oldest_first(read.items, self.settings.handle))
        return NotificationPage(items, read.cursor, read.more)

    def fetch_metrics(self, refs: list[RemoteRef]) -> dict[str, Metrics]:
        uris = [r.id for r in refs]
        out: dict[str, Metrics] = {}
        for start in range(0, len(uris), 25):
            batch = uris[start : start + 25]
            got = self._call(lambda b=batch: self.client.app.bsky.feed.get_posts({"uris": b}))
            for post in got.posts:
                out[post.uri] = Metrics(
                    likes=post.like_count or 0,
                    reposts=post.repost_count or 0,
                    replies=post.reply_count or 0,
                    quotes=post.quote_count or 0,
                )
        # Not indexed by the AppView yet (just published): still there, nothing counted.
        did = self.session.did
        for uri in uris:
            at = AtUri.from_str(uri)
            if uri not in out and at.host == did and self._get(at.rkey) is not None:
                out[uri] = Metrics(0, 0, 0, 0)
        return out


def _strong(ref: RemoteRef) -> dict[str, Any]:
    return {"uri": ref.id, "cid": ref.cid}


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _uri(value: str) -> AtUri:
    at = None
    if value.startswith("at://"):
        with suppress(Exception):  # the SDK raises its own error kinds for a malformed URI
            at = AtUri.from_str(value)
    if at is None or not (at.collection and at.rkey):
        raise PermanentError(N_("Not a Bluesky post address: %(id)s"), id=value)
    return at
