"""The SDK client of one channel: its session kept across restarts, and errors in our terms.

The session (atproto's exported session string) is saved through ``config.save_secrets``
each time it is created or refreshed, and reused at the next start: an app password is
sent once, not at every restart. When the server refuses the access token, the session is
refreshed; when the refresh is refused too, the app password logs in again; when that is
refused, the channel needs reconnection (``AuthError``) — or, while connecting,
``ConnectError`` with what to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from atproto import Client, Session, SessionEvent
from atproto_client import exceptions as exc
from atproto_client.request import Request

from palabre.channels.base import (
    AuthError,
    ChannelConfig,
    ConnectError,
    PermanentError,
    RateLimit,
    RateLimited,
    TransientError,
)
from palabre.core.i18n import N_
from palabre.core.netpolicy import URLRefused
from palabre.core.params import whole

T = TypeVar("T")
UNRESOLVED = "No server answers to the name %(host)s."  # core/netpolicy.py's msgid
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# Refused tokens: 401, or 400 with these error names (an expired access token).
TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken", "AuthenticationRequired"})


class BlueskySession:
    def __init__(self, config: ChannelConfig, service: str, handle: str) -> None:
        self.config = config
        self.handle = handle
        self.service = service
        self.rate_limit: RateLimit | None = None
        self.connecting = False  # verify() at connect time: failures are ConnectError
        self.logins = 0  # createSession calls made (tests and benchmarks count them)
        request = Request(timeout=TIMEOUT, event_hooks={"response": [self._read_headers]})
        self.client = Client(base_url=service, request=request)
        self.client.on_session_change(self._session_changed)
        self._ready = False

    # -- session --------------------------------------------------------------------
    def _session_changed(self, event: SessionEvent, session: Session) -> None:
        if event not in (SessionEvent.CREATE, SessionEvent.REFRESH):
            return
        secrets = {**self.config.secrets, "session": session.export()}
        self.config.secrets = secrets
        if self.config.save_secrets is not None:
            self.config.save_secrets(secrets)

    def _read_headers(self, response: httpx.Response) -> None:
        limit = response.headers.get("ratelimit-limit")
        remaining = response.headers.get("ratelimit-remaining")
        reset = response.headers.get("ratelimit-reset")
        if limit is None and remaining is None:
            return
        self.rate_limit = RateLimit(
            whole(limit),
            whole(remaining),
            datetime.fromtimestamp(stamp, UTC) if (stamp := whole(reset)) is not None else None,
        )

    @property
    def did(self) -> str:
        self.ensure()
        session = self.client._session
        assert session is not None
        return session.did

    def ensure(self) -> None:
        if self._ready:
            return
        self._allowed(self.service)  # before any password is sent there
        saved = self.config.secrets.get("session")
        try:
            if not saved:
                raise ValueError("no saved session")
            self.client.login(session_string=saved, fetch_bsky_profile=False)
        except (exc.AtProtocolError, ValueError):  # none, or unreadable: sign in again
            self.login()
        self._check_pds()
        self._ready = True

    def login(self) -> None:
        password = self.config.secrets.get("app_password") or ""
        self.logins += 1
        try:
            self.client.login(self.handle, password, fetch_bsky_profile=False)
        except (exc.UnauthorizedError, exc.BadRequestError) as e:
            detail = _detail(e)
            if isinstance(e, exc.BadRequestError) and self.connecting:
                raise ConnectError(
                    N_("Bluesky refused the sign-in: %(detail)s"), detail=detail
                ) from e
            if self.connecting:
                raise ConnectError(
                    N_(
                        "Wrong handle or app password: Bluesky refused them. Check the handle "
                        "and create a new app password if needed."
                    )
                ) from e
            raise AuthError(
                N_(
                    "Bluesky refused the app password (revoked or changed): reconnect the "
                    "channel with a new app password."
                )
            ) from e
        except (exc.AtProtocolError, ValueError) as e:
            raise self._connect_failure(e) from e
        scope = (
            (self.client._session.access_jwt_payload.scope or "") if self.client._session else ""
        )
        if scope == "com.atproto.access":
            raise ConnectError(
                N_(
                    "This is the account's main password. Create an app password in Bluesky "
                    "(Settings → Privacy and security → App passwords) and use it instead."
                )
            )
        self._check_pds()

    def _connect_failure(self, e: Exception) -> Exception:
        if not self.connecting:
            return self.translate(e)
        response = e.response if isinstance(e, exc.RequestErrorBase) else None
        if response is None and isinstance(e, exc.NetworkError):
            return ConnectError(N_("The server does not answer: check its address."))
        if response is not None and response.status_code in (429, 500, 502, 503, 504):
            return self.translate(e)
        return ConnectError(
            N_("This address is not an AT Protocol (Bluesky) server: it does not answer sign-ins.")
        )

    def _check_pds(self) -> None:
        """The account's own PDS (from its DID document) must be allowed too."""
        session = self.client._session
        if session and session.pds_endpoint:
            self._allowed(session.pds_endpoint.removesuffix("/xrpc"))

    def _allowed(self, url: str) -> None:
        """The network policy (which may have changed since connecting) allows ``url``."""
        try:
            self.config.net.check_url(url)
        except URLRefused as e:
            if self.connecting:
                raise ConnectError(e.message, **e.params) from e
            if e.message == UNRESOLVED:  # DNS down for a moment: not the channel's fault
                raise TransientError(e.message % e.params) from e
            raise AuthError(e.message, **e.params) from e

    def reauthenticate(self) -> None:
        try:
            self.client._refresh_and_set_session()
        except exc.AtProtocolError:
            self.login()

    # -- calls ----------------------------------------------------------------------
    def call(self, fn: Callable[[], T]) -> T:
        """Run one SDK call; on a refused token, refresh or log in again, then once more."""
        self.ensure()
        try:
            try:
                return fn()
            except (exc.UnauthorizedError, exc.BadRequestError) as e:
                if not _token_refused(e):
                    raise
            except exc.LoginRequiredError:
                pass
            self.reauthenticate()
            return fn()
        except (AuthError, ConnectError):
            raise
        except exc.AtProtocolError as e:
            raise self.translate(e) from e

    def translate(self, e: Exception) -> Exception:
        if isinstance(e, exc.RateLimitExceededError):
            wait = e.retry_after
            if wait is None and e.reset_at is not None:
                wait = max((e.reset_at - datetime.now(UTC)).total_seconds(), 1.0)
            return RateLimited(N_("Bluesky asks to slow down."), retry_after=wait)
        if isinstance(e, exc.RequestErrorBase) and _token_refused(e):
            return AuthError(
                N_("Bluesky refused the channel's session: reconnect it with a new app password.")
            )
        response = e.response if isinstance(e, exc.RequestErrorBase) else None
        if response is None or isinstance(e, exc.NetworkError) or response.status_code >= 500:
            return TransientError(N_("Bluesky did not answer; Palabre will try again."))
        return PermanentError(N_("Bluesky refused it: %(detail)s"), detail=_detail(e))


def _token_refused(e: exc.RequestErrorBase) -> bool:
    if isinstance(e, exc.UnauthorizedError):
        return True
    content = e.response.content if e.response is not None else None
    return getattr(content, "error", None) in TOKEN_ERRORS


def _detail(e: Exception) -> str:
    if isinstance(e, exc.RequestErrorBase) and e.response is not None:
        content: Any = e.response.content
        message = getattr(content, "message", None) or getattr(content, "error", None)
        return str(message or e.response.status_code)[:300]
    return type(e).__name__
