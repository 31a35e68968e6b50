"""How the Bluesky adapter names what goes wrong: a local XRPC server on 127.0.0.1 answers
as the PDS does (errors as ``{"error", "message"}``, rate limits as ``429`` with the
``ratelimit-*`` headers Bluesky documents), for the cases the local network cannot show."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from palabre.channels.base import (
    AuthError,
    ChannelConfig,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
)
from palabre.channels.bluesky import BlueskyAdapter
from palabre.core.netpolicy import NetPolicy


def jwt(scope: str) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {"scope": scope, "sub": "did:plc:abc", "exp": int(time.time()) + 7200}
    return f"{part({'alg': 'ES256K'})}.{part(claims)}.c2ln"


class Server:
    """Answers each XRPC method with what ``answers[method]`` says: (status, body, headers)."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, dict[str, object], dict[str, str]]] = {}
        self.calls: list[str] = []
        session = {
            "did": "did:plc:abc",
            "handle": "musee.test",
            "accessJwt": jwt("com.atproto.appPass"),
            "refreshJwt": jwt("com.atproto.refresh"),
        }
        self.answers["com.atproto.server.createSession"] = (200, session, {})
        self.answers["com.atproto.server.refreshSession"] = (200, session, {})


@pytest.fixture
def xrpc() -> Iterator[tuple[Server, str]]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            method = self.path.split("?")[0].removeprefix("/xrpc/")
            state.calls.append(method)
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            status, body, headers = state.answers.get(
                method,
                (501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"}, {}),
            )
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def adapter(url: str) -> BlueskyAdapter:
    config = ChannelConfig(
        1,
        {"service": url, "handle": "musee.test"},
        {"app_password": "aaaa-bbbb-cccc-dddd"},
        net=NetPolicy.parse("127.0.0.1"),
    )
    return BlueskyAdapter(config)


LIST = "app.bsky.notification.listNotifications"
CREATE = "com.atproto.repo.createRecord"


def test_a_429_is_rate_limited_until_the_reset_the_server_gave(xrpc: tuple[Server, str]) -> None:
    state, url = xrpc
    reset = int(time.time()) + 120
    headers = {"ratelimit-limit": "3000", "ratelimit-remaining": "0", "ratelimit-reset": str(reset)}
    state.answers[LIST] = (
        429,
        {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers,
    )
    a = adapter(url)
    with pytest.raises(RateLimited) as caught:
        a.fetch_notifications(None)
    assert caught.value.retry_after is not None and 100 < caught.value.retry_after <= 120
    assert a.rate_limit is not None and (a.rate_limit.limit, a.rate_limit.remaining) == (3000, 0)


def test_rate_limit_headers_of_successful_answers_are_kept(xrpc: tuple[Server, str]) -> None:
    state, url = xrpc
    headers = {
        "ratelimit-limit": "3000",
        "ratelimit-remaining": "2999",
        "ratelimit-reset": "1999999999",
    }
    state.answers[LIST] = (200, {"notifications": []}, headers)
    a = adapter(url)
    a.fetch_notifications(None)
    assert a.rate_limit is not None and a.rate_limit.remaining == 2999
    assert a.rate_limit.reset_at is not None and a.rate_limit.reset_at.year == 2033


def test_server_errors_are_transient_and_refused_content_permanent(
    xrpc: tuple[Server, str],
) -> None:
    state, url = xrpc
    a = adapter(url)
    state.answers[LIST] = (503, {"error": "UpstreamFailure", "message": "Upstream Failure"}, {})
    with pytest.raises(TransientError):
        a.fetch_notifications(None)
    state.answers[CREATE] = (
        400,
        {"error": "InvalidRecord", "message": "Record/text must not be longer than 3000 graphemes"},
        {},
    )
    state.answers["com.atproto.repo.getRecord"] = (
        400,
        {"error": "RecordNotFound", "message": "Could not locate record"},
        {},
    )
    with pytest.raises(PermanentError, match="3000 graphemes"):
        a.publish(PublishRequest("x" * 4000, "k"))


def test_a_refused_token_refreshes_then_signs_in_then_needs_reconnection(
    xrpc: tuple[Server, str],
) -> None:
    state, url = xrpc
    a = adapter(url)
    expired = (400, {"error": "ExpiredToken", "message": "Token has expired"}, {})
    state.answers[LIST] = expired
    state.answers["com.atproto.server.refreshSession"] = (
        400,
        {"error": "ExpiredToken", "message": "Token has been revoked"},
        {},
    )
    with pytest.raises(AuthError):
        a.fetch_notifications(None)  # signs in again, then refused again: the token is dead
    assert state.calls.count("com.atproto.server.refreshSession") == 1
    assert state.calls.count("com.atproto.server.createSession") == 2
    b = adapter(url)
    state.answers["com.atproto.server.createSession"] = (
        401,
        {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        {},
    )
    with pytest.raises(AuthError, match="revoked or changed"):
        b.fetch_notifications(None)
