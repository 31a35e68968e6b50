"""The HTTP session to one Mastodon-compatible server, and how its answers become errors.

Plain httpx rather than Mastodon.py here, because Mastodon.py gets in the way of what a
worker needs: its errors do not carry the response headers (Retry-After,
X-RateLimit-Reset) a ``RateLimited`` must report, and its default 429 handling sleeps in
the calling thread; ``media_post`` and ``log_in`` probe ``/api/v1/instance/`` (trailing
slash, a 404 on some compatible servers) and fall back to v1 endpoints silently; HTML
pages and malformed JSON come out as one generic ``MastodonAPIError``. The endpoints used
are few and documented, so each request is written here with its exact payload.

Every request goes only to the address the ``NetPolicy`` accepted (checked again on each
request, redirects are not followed), with time caps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from palabre.channels.base import (
    AuthError,
    ChannelError,
    ConnectError,
    PermanentError,
    RateLimit,
    RateLimited,
    TransientError,
)
from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy, URLRefused

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
USER_AGENT = "Palabre (+https://palabre.example/docs/channels/mastodon)"
# How compatible servers say "bad token" when they answer 400/403 instead of 401.
_TOKEN_MESSAGE = re.compile(r"token|unauthori[sz]ed|authenticat|bearer|revoked", re.I)


class NotFound(PermanentError):
    """404: the post (or the endpoint) is not there."""


def checked_base(server: str, net: NetPolicy) -> str:
    try:
        return net.check_url(server)
    except URLRefused as exc:
        raise ConnectError(exc.message, **exc.params) from None


class MastodonClient:
    """Requests to one server. ``connecting``: errors are ``ConnectError`` the person must
    fix (wrong address, not Mastodon, wrong token) rather than transient or auth errors."""

    def __init__(
        self,
        base: str,
        token: str | None,
        *,
        connecting: bool = False,
        on_rate_limit: Callable[[RateLimit], None] | None = None,
    ) -> None:
        self.base = base.rstrip("/")
        parts = urlsplit(self.base)
        self.origin = (parts.scheme, parts.hostname, parts.port)
        self.server = parts.netloc
        self.connecting = connecting
        self.on_rate_limit = on_rate_limit
        self.last_rate_limit: RateLimit | None = None
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(
            timeout=TIMEOUT,
            follow_redirects=False,
            headers=headers,
            trust_env=False,
            event_hooks={"request": [self._guard]},
        )

    def close(self) -> None:
        self.http.close()

    def _guard(self, request: httpx.Request) -> None:
        url = request.url
        if (url.scheme, url.host, url.port) != self.origin:
            raise PermanentError(
                N_("Palabre only talks to %(server)s for this channel."), server=self.server
            )

    # -- requests ------------------------------------------------------------------------
    def get(self, path: str, **params: Any) -> tuple[Any, httpx.Response]:
        return self.request("GET", path, params=params or None)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        data: Any = None,
        files: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[Any, httpx.Response]:
        """The decoded JSON answer and the response; any failure as a ``ChannelError`` or
        ``TransientError``. ``path`` may be a full URL on the same server (Link headers)."""
        url = path if "://" in path else self.base + path
        self._wait_for_window()
        try:
            response = self.http.request(
                method, url, params=params, data=data, files=files, headers=headers
            )
        except httpx.TimeoutException:
            raise self._unreachable(
                N_("%(server)s did not answer in time."), timeout=True
            ) from None
        except httpx.HTTPError:
            raise self._unreachable(
                N_("No server answers at %(server)s: check the address.")
            ) from None
        self._note_rate_limit(response)
        if response.status_code >= 300:
            raise self._error(response)
        return self._json(response), response

    def _unreachable(self, message: str, *, timeout: bool = False) -> Exception:
        if self.connecting:
            return ConnectError(message, server=self.server)
        if timeout:
            return TransientError(N_("The Mastodon server did not answer in time."))
        return TransientError(N_("Could not reach the Mastodon server; Palabre will try again."))

    def _json(self, response: httpx.Response) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        ctype = response.headers.get("content-type", "")
        if "json" not in ctype:
            raise self._garbled(
                N_(
                    "%(server)s answered with a web page instead of Mastodon data: "
                    "it does not look like a Mastodon server."
                )
            )
        try:
            return response.json()
        except ValueError:
            raise self._garbled(
                N_("%(server)s sent a garbled answer (malformed JSON). Try again later.")
            ) from None

    def _garbled(self, message: str) -> ChannelError | TransientError:
        if self.connecting:
            return ConnectError(message, server=self.server)
        return TransientError(
            N_("The Mastodon server sent an answer Palabre cannot read; it will try again.")
        )

    def _error(self, response: httpx.Response) -> Exception:
        status = response.status_code
        text = _error_text(response)
        if status == 401 or (status in (400, 403) and _TOKEN_MESSAGE.search(text or "")):
            if self.connecting:
                return ConnectError(
                    N_("%(server)s refused the access token: check it, or connect again."),
                    server=self.server,
                )
            return AuthError(
                N_("%(server)s refused the access token: the channel needs reconnecting."),
                server=self.server,
            )
        if status == 429:
            return RateLimited(
                N_("The Mastodon server asks Palabre to slow down; it will try again later."),
                retry_after=retry_after(response),
            )
        if status >= 500:
            return TransientError(
                N_("The Mastodon server had a problem; Palabre will try again."),
                retry_after=retry_after(response),
            )
        if status == 404:
            return NotFound(N_("Not found on %(server)s."), server=self.server)
        if 300 <= status < 400:
            if self.connecting:
                return ConnectError(
                    N_("%(server)s redirects elsewhere: enter the server's own address."),
                    server=self.server,
                )
            return TransientError(
                N_("The Mastodon server answered with a redirection; Palabre will try again.")
            )
        if self.connecting:
            return ConnectError(
                N_("%(server)s refused: %(error)s"), server=self.server, error=text or status
            )
        return PermanentError(
            N_("%(server)s refused: %(error)s"), server=self.server, error=text or status
        )

    def _wait_for_window(self) -> None:
        """No request left until the window resets (the server said so): do not send one
        that can only be refused."""
        state = self.last_rate_limit
        if state is None or state.remaining != 0 or state.reset_at is None:
            return
        wait = (state.reset_at - datetime.now(UTC)).total_seconds()
        if wait > 0:
            raise RateLimited(
                N_("The Mastodon server asks Palabre to slow down; it will try again later."),
                retry_after=wait,
            )

    def _note_rate_limit(self, response: httpx.Response) -> None:
        h = response.headers
        if "x-ratelimit-limit" not in h:
            return
        self.last_rate_limit = RateLimit(
            _int(h.get("x-ratelimit-limit")),
            _int(h.get("x-ratelimit-remaining")),
            _reset_at(h.get("x-ratelimit-reset")),
        )
        if self.on_rate_limit is not None:
            self.on_rate_limit(self.last_rate_limit)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _reset_at(value: str | None) -> datetime | None:
    """X-RateLimit-Reset: an ISO 8601 time (Mastodon) or epoch seconds (some others)."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait: Retry-After (seconds or a date), else until X-RateLimit-Reset."""
    now = datetime.now(UTC)
    value = response.headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
            except (TypeError, ValueError):
                pass
    reset = _reset_at(response.headers.get("x-ratelimit-reset"))
    if reset is not None and reset.tzinfo is not None:
        return max(0.0, (reset - now).total_seconds())
    return None


def _error_text(response: httpx.Response) -> str | None:
    """The server's ``{"error": …}`` text; None when the answer is not JSON (an HTML page)."""
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        text = body.get("error_description") or body.get("error")
        return str(text)[:500] if text else None
    return None
