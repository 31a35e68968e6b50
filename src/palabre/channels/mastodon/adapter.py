"""Mastodon and compatible servers (GoToSocial, Akkoma, Takahē…) through the documented
client API: statuses with media and alt text, threads, content warnings, notifications,
counts, OAuth connection. See docs/channels/mastodon.md."""

from __future__ import annotations

import contextlib
import re
import time
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlencode

from palabre.channels.base import (
    Account,
    Capabilities,
    ChannelAdapter,
    ConnectError,
    Media,
    Metrics,
    NotificationPage,
    OAuthStart,
    PermanentError,
    PublishRequest,
    PublishResult,
    RateLimit,
    RemoteRef,
    TransientError,
)
from palabre.channels.mastodon import convert, instance, statuses
from palabre.channels.mastodon.client import MastodonClient, NotFound, checked_base
from palabre.channels.mastodon.settings import MastodonSettings
from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy

SCOPES = "read write"
DEFAULT_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# find_published looks at statuses made this recently (a retry comes within hours).
RECENT = timedelta(days=2)
# From the most public to the most private.
_PRIVACY = {"public": 0, "unlisted": 1, "private": 2, "direct": 3}
MEDIA_WAIT = 60.0  # seconds an upload may stay "processing" before we try later


class MastodonAdapter(ChannelAdapter):
    kind = "mastodon"
    label = N_("Mastodon")
    description = N_("Mastodon and compatible servers (GoToSocial, Akkoma, Takahē…).")
    help: ClassVar[tuple[str, ...]] = (
        N_("Connect with your server in the browser, or paste an access token."),
    )
    settings_model = MastodonSettings
    secret_fields = frozenset({"access_token"})
    oauth = True
    page_size = 40  # notifications per request (Mastodon's default; at most 80)

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        self._me: str | None = None
        # Parts of a thread that ``find_published`` found on the server (a crash cut the
        # thread short): ``publish`` then completes it instead of repeating them, even on
        # a server that ignores Idempotency-Key.
        self._found: dict[str, list[dict[str, Any]]] = {}

    # -- setup ---------------------------------------------------------------------------
    @property
    def _settings(self) -> dict[str, Any]:
        return self.config.settings

    @cached_property
    def client(self) -> MastodonClient:
        return self._client(connecting=False)

    @cached_property
    def connect_client(self) -> MastodonClient:
        """For ``verify`` and ``server_settings`` (connecting, refreshing): a wrong address,
        a server that is not Mastodon, a wrong token or a garbled answer is a
        ``ConnectError`` the person can act on."""
        return self._client(connecting=True)

    def _client(self, *, connecting: bool) -> MastodonClient:
        token = self.config.secrets.get("access_token") or self._settings.get("access_token")
        base = checked_base(str(self._settings.get("instance", "")), self.config.net)
        return MastodonClient(base, token, connecting=connecting, on_rate_limit=self._rate_limited)

    def _rate_limited(self, state: RateLimit) -> None:
        self.rate_limit = state

    def capabilities(self) -> Capabilities:
        s = self._settings
        types = tuple(t for t in s.get("image_types") or () if t.startswith("image/"))
        return Capabilities(
            text_limit=s.get("max_characters") or 500,
            counting="mastodon",
            url_length=s.get("url_length") or 23,
            max_images=s.get("max_images") or 4,
            alt_text_limit=s.get("alt_text_limit") or 1500,
            image_max_bytes=s.get("image_size_limit") or 10 * 1024 * 1024,
            image_types=types or DEFAULT_IMAGE_TYPES,
            threads=True,
            replies=True,
            content_warnings=True,
            direct_messages=True,
            metrics=True,
            idempotent_publish=True,
        )

    # -- account and server --------------------------------------------------------------
    def verify(self) -> Account:
        data, _ = self.connect_client.get("/api/v1/accounts/verify_credentials")
        self._me = str(data["id"])
        return convert.account(data, self.connect_client.base)

    def server_settings(self) -> dict[str, Any]:
        return instance.read_limits(self.connect_client)

    def _account_id(self) -> str:
        """The channel's own account id (while working: a revoked token is an AuthError)."""
        if self._me is None:
            data, _ = self.client.get("/api/v1/accounts/verify_credentials")
            self._me = str(data["id"])
        return self._me

    # -- publishing ----------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> PublishResult:
        found = self._found.pop(request.idempotency_key, [])
        first_text, visibility = self._reply_context(request)
        made: list[dict[str, Any]] = []
        parts = [(first_text, request.media), *((p.text, p.media) for p in request.thread)]
        for number, (text, media) in enumerate(parts, start=1):
            if number <= len(found):
                made.append(found[number - 1])
                continue
            key = request.idempotency_key if number == 1 else f"{request.idempotency_key}#{number}"
            if made:
                reply_to: str | None = str(made[-1]["id"])
            else:
                reply_to = request.reply_to.id if request.reply_to else None
            made.append(self._post(request, key, text, media, reply_to, visibility))
        return statuses.result(made)

    def _reply_context(self, request: PublishRequest) -> tuple[str, str]:
        """The first part's text and the visibility. A reply to someone names them (or
        Mastodon does not notify them) and is never more public than what it answers: a
        reply to a direct message stays direct."""
        visibility = self._settings.get("visibility") or "public"
        if request.reply_to is None:
            return request.text, visibility
        try:
            status, _ = self.client.get(f"/api/v1/statuses/{request.reply_to.id}")
        except NotFound:
            raise PermanentError(
                N_("The post to answer is no longer on %(server)s."), server=self.client.server
            ) from None
        theirs = str(status.get("visibility") or "public")
        if _PRIVACY.get(theirs, _PRIVACY["private"]) > _PRIVACY.get(visibility, 0):
            visibility = theirs if theirs in _PRIVACY else "private"
        author = status.get("account") or {}
        text = request.text
        if author.get("id") and str(author["id"]) != self._account_id():
            name = str(author.get("username") or "")
            mentioned = re.search(rf"(^|\s)@{re.escape(name)}(\b|@)", text, re.I)
            if name and not mentioned:
                text = f"@{author.get('acct') or name} {text}"
        return text, visibility

    def _post(
        self,
        request: PublishRequest,
        key: str,
        text: str,
        media: list[Media],
        reply_to: str | None,
        visibility: str,
    ) -> dict[str, Any]:
        form: dict[str, Any] = {"status": text}
        if media:
            form["media_ids[]"] = [self._upload(m) for m in media]
        if reply_to:
            form["in_reply_to_id"] = reply_to
        if request.content_warning:
            form |= {"spoiler_text": request.content_warning, "sensitive": "true"}
        form["visibility"] = visibility
        language = request.language or self._settings.get("language")
        if language:
            form["language"] = language
        status, _ = self.client.request(
            "POST", "/api/v1/statuses", data=form, headers={"Idempotency-Key": key}
        )
        return dict(status)

    def _upload(self, media: Media) -> str:
        """POST /api/v2/media (202 while processing), then wait until it has a URL."""
        with media.path.open("rb") as fh:
            files = {"file": (media.path.name, fh, media.content_type)}
            data = {"description": media.alt_text} if media.alt_text else None
            attachment, response = self.client.request(
                "POST", "/api/v2/media", data=data, files=files
            )
        media_id = str(attachment["id"])
        delay, waited = 0.1, 0.0
        while response.status_code in (202, 206) or attachment.get("url") is None:
            if waited > MEDIA_WAIT:
                raise TransientError(N_("The Mastodon server is still processing an image."))
            time.sleep(delay)
            waited += delay
            delay = min(delay * 2, 2.0)
            attachment, response = self.client.get(f"/api/v1/media/{media_id}")
        return media_id

    def find_published(self, request: PublishRequest) -> PublishResult | None:
        """What a request made, read from the account's recent statuses (text compared
        after removing the HTML): the safety net for servers that ignore Idempotency-Key."""
        recent = self._recent_statuses(request)
        first_text, _visibility = self._reply_context(request)
        texts = [(first_text, len(request.media))]
        texts += [(p.text, len(p.media)) for p in request.thread]
        found: list[dict[str, Any]] = []
        parent = request.reply_to.id if request.reply_to else None
        for text, images in texts:
            cw = request.content_warning or ""
            match = statuses.oldest_match(recent, text, parent, cw, images)
            if match is None:
                break
            found.append(match)
            parent = str(match["id"])
        if len(found) < len(texts):
            if found:
                self._found[request.idempotency_key] = found
            return None
        return statuses.result(found)

    def _recent_statuses(self, request: PublishRequest) -> list[dict[str, Any]]:
        cutoff = datetime.now(UTC) - RECENT
        if request.scheduled_for is not None:
            planned = request.scheduled_for
            planned = planned if planned.tzinfo else planned.replace(tzinfo=UTC)
            cutoff = max(cutoff, planned - timedelta(minutes=10))
        path: str | None = f"/api/v1/accounts/{self._account_id()}/statuses"
        params: dict[str, Any] | None = {"limit": 40}
        recent: list[dict[str, Any]] = []
        for _page in range(3):  # up to 120 statuses
            assert path is not None
            page, response = self.client.request("GET", path, params=params)
            fresh = [s for s in page if convert.parse_time(s.get("created_at")) >= cutoff]
            recent += fresh
            path = response.links.get("next", {}).get("url")
            if not page or len(fresh) < len(page) or path is None:
                break
            params = None
        return recent

    def delete(self, remote_id: str) -> None:
        with contextlib.suppress(NotFound):  # already gone: fine
            self.client.request("DELETE", f"/api/v1/statuses/{remote_id}")

    # -- reading -------------------------------------------------------------------------
    def fetch_notifications(self, cursor: str | None, limit: int = 100) -> NotificationPage:
        """Newest page on the first call; then, following the Link header's ``prev``
        (newer) pages from ``min_id=cursor``, up to ``limit`` notifications."""
        per_page = max(1, min(limit, self.page_size, 80))
        first: list[tuple[str, Any]] = [("limit", per_page)]
        first += [("types[]", t) for t in convert.TYPES]
        if cursor is not None:
            first.append(("min_id", cursor))
        params: list[tuple[str, Any]] | None = first
        path: str | None = "/api/v1/notifications"
        items: list[dict[str, Any]] = []
        more = False
        while path is not None:
            page, response = self.client.request("GET", path, params=params)
            items += page
            more = cursor is not None and len(page) >= per_page
            if not more or len(items) >= limit:
                break
            path, params = response.links.get("prev", {}).get("url"), None
        if cursor is not None:  # a server that ignored min_id must not repeat old ones
            items = [n for n in items if statuses.id_key(n["id"]) > statuses.id_key(cursor)]
        items.sort(key=lambda n: statuses.id_key(n["id"]))
        newest = str(items[-1]["id"]) if items else cursor
        notifications = [convert.notification(n, self.client.base) for n in items]
        return NotificationPage([n for n in notifications if n], newest, more)

    def fetch_metrics(self, refs: list[RemoteRef]) -> dict[str, Metrics]:
        counts: dict[str, Metrics] = {}
        for item in refs:
            try:
                status, _ = self.client.get(f"/api/v1/statuses/{item.id}")
            except NotFound:
                continue
            quotes = status.get("quotes_count")
            counts[item.id] = Metrics(
                likes=int(status.get("favourites_count") or 0),
                reposts=int(status.get("reblogs_count") or 0),
                replies=int(status.get("replies_count") or 0),
                quotes=int(quotes) if quotes is not None else None,
            )
        return counts

    # -- connecting ----------------------------------------------------------------------
    @classmethod
    def oauth_start(cls, server: str, redirect_uri: str, state: str, net: NetPolicy) -> OAuthStart:
        base = checked_base(server, net)
        client = MastodonClient(base, None, connecting=True)
        try:
            instance.read_limits(client)  # is it a Mastodon server at all? (clear message if not)
            app, _ = instance.not_found_is_not_mastodon(
                client,
                client.request,
                "POST",
                "/api/v1/apps",
                data={
                    "client_name": "Palabre",
                    "redirect_uris": redirect_uri,
                    "scopes": SCOPES,
                },
            )
        finally:
            client.close()
        query = urlencode(
            {
                "response_type": "code",
                "client_id": app["client_id"],
                "redirect_uri": redirect_uri,
                "scope": SCOPES,
                "state": state,
            }
        )
        return OAuthStart(
            authorize_url=f"{base}/oauth/authorize?{query}",
            state_data={
                "server": base,
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
            },
        )

    @classmethod
    def oauth_finish(
        cls, state_data: dict[str, Any], code: str, redirect_uri: str, net: NetPolicy
    ) -> dict[str, Any]:
        base = checked_base(state_data["server"], net)
        client = MastodonClient(base, None, connecting=True)
        try:
            token, _ = client.request(
                "POST",
                "/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "client_id": state_data["client_id"],
                    "client_secret": state_data["client_secret"],
                    "redirect_uri": redirect_uri,
                    "scope": SCOPES,
                },
            )
        except ConnectError as exc:
            raise ConnectError(
                N_("%(server)s did not accept the authorisation; please connect again."),
                server=client.server,
            ) from exc
        finally:
            client.close()
        if not isinstance(token, dict) or not token.get("access_token"):
            raise ConnectError(
                N_("%(server)s sent a garbled answer (malformed JSON). Try again later."),
                server=client.server,
            )
        return {"instance": base, "access_token": token["access_token"]}
