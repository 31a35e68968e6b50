"""A local Mastodon API server for tests: real HTTP on 127.0.0.1, payloads shaped as the
official client API documentation shows (docs.joinmastodon.org), for the endpoints the
adapter calls. Test controls are Python methods on ``MastodonServer``.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

VAPID_KEY = (
    "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M="
)
INVALID_CLIENT = (
    "Client authentication failed due to unknown client, no client authentication included, "
    "or unsupported authentication method."
)
INVALID_GRANT = (
    "The provided authorization grant is invalid, expired, revoked, does not match the "
    "redirection URI used in the authorization request, or was issued to another client."
)
NOT_PROCESSED = "Cannot attach files that have not finished processing. Try again in a moment!"
URL_RE = re.compile(r"https?://[^\s<]+")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def render_content(text: str) -> str:
    """Plain text as Mastodon renders it: escaped, links, <br /> and paragraphs."""
    paragraphs = []
    for para in re.split(r"\n\n+", text):
        escaped = html.escape(para, quote=False)

        def link(m: re.Match[str]) -> str:
            url = m.group(0)
            scheme, rest = url.split("://", 1)
            return (
                f'<a href="{url}" target="_blank" rel="nofollow noopener" translate="no">'
                f'<span class="invisible">{scheme}://</span><span class="">{rest}</span>'
                '<span class="invisible"></span></a>'
            )

        paragraphs.append("<p>" + URL_RE.sub(link, escaped).replace("\n", "<br />") + "</p>")
    return "".join(paragraphs)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, Any] = field(default_factory=dict)


class MastodonServer:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._ids = itertools.count(110_000_000_000_000_000)
        self.accounts: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, str] = {}  # token -> account id
        self.statuses: dict[str, dict[str, Any]] = {}
        self.deleted: set[str] = set()
        self.notifications: dict[str, list[dict[str, Any]]] = {}  # account id -> newest last
        self.media: dict[str, dict[str, Any]] = {}
        self.media_polls: dict[str, int] = {}
        self.apps: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, tuple[str, str, str]] = {}  # code -> client id, redirect, account
        self.idempotency: dict[tuple[str, str], str] = {}
        self.requests: list[Recorded] = []
        # Controls
        self.failures: list[tuple[int, dict[str, str], str]] = []
        self.ignore_idempotency = False
        self.mode = "mastodon"  # | "html" | "malformed" | "not_mastodon"
        self.bad_token_as_400 = False  # a compatible server's "400 Invalid Bearer token"
        self.missing_paths: set[str] = set()  # endpoints this server lacks (404)
        self.delay = 0.0  # seconds before answering (the work is done all the same)
        self.rate_limit_headers = True
        self.remaining: int | None = None  # X-RateLimit-Remaining to report (None: counted)
        self.media_processing_polls = 1  # GET /api/v1/media/:id answers 206 this many times
        self.max_characters = 500
        self.max_media_attachments = 4
        self.image_size_limit = 16_777_216
        self.signed_in: str | None = None  # who clicks "Authorize" on the authorize page
        self.base_url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- running -------------------------------------------------------------------------
    def start(self) -> MastodonServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        app = Starlette(
            routes=[Route("/{path:path}", self._asgi, methods=["GET", "POST", "DELETE"])]
        )
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Mastodon server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def reset_controls(self) -> None:
        with self.lock:
            self.requests.clear()
            self.failures.clear()
            self.ignore_idempotency = False
            self.mode = "mastodon"
            self.bad_token_as_400 = False
            self.missing_paths = set()
            self.delay = 0.0
            self.rate_limit_headers = True
            self.remaining = None
            self.media_processing_polls = 1
            self.max_characters = 500

    # -- test controls -------------------------------------------------------------------
    def create_account(self, username: str, display_name: str | None = None) -> dict[str, Any]:
        with self.lock:
            account_id = str(next(self._ids))
            host = self.base_url.split("://", 1)[1]
            self.accounts[account_id] = {
                "id": account_id,
                "username": username,
                "acct": username,
                "display_name": display_name or username.capitalize(),
                "locked": False,
                "bot": False,
                "discoverable": True,
                "group": False,
                "created_at": _now(),
                "note": "",
                "url": f"{self.base_url}/@{username}",
                "uri": f"{self.base_url}/users/{username}",
                "avatar": f"{self.base_url}/avatars/original/missing.png",
                "avatar_static": f"{self.base_url}/avatars/original/missing.png",
                "header": f"{self.base_url}/headers/original/missing.png",
                "header_static": f"{self.base_url}/headers/original/missing.png",
                "followers_count": 0,
                "following_count": 0,
                "statuses_count": 0,
                "last_status_at": None,
                "emojis": [],
                "fields": [],
            }
            self.notifications[account_id] = []
            self._host = host
            return self.accounts[account_id]

    def create_token(self, account_id: str) -> str:
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = account_id
        return token

    def revoke_token(self, token: str) -> None:
        with self.lock:
            self.tokens.pop(token, None)

    def fail_next(self, count: int, status: int, retry_after: int | None = None) -> None:
        """The next ``count`` requests answer ``status`` (429 with Retry-After, 500, 503…)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        body = {429: "Too many requests", 500: "Internal server error"}.get(
            status, "Service unavailable"
        )
        with self.lock:
            self.failures.extend([(status, headers, body)] * count)

    def count(self, method: str, path: str) -> int:
        with self.lock:
            return sum(1 for r in self.requests if r.method == method and r.path == path)

    def recorded(self, method: str, path: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    def statuses_of(self, account_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [
                s
                for s in self.statuses.values()
                if s["account"]["id"] == account_id and s["id"] not in self.deleted
            ]

    def post(
        self,
        account_id: str,
        text: str,
        *,
        in_reply_to_id: str | None = None,
        visibility: str = "public",
        quote_of: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Another account publishes (its mentions and replies notify their targets)."""
        with self.lock:
            status = self._make_status(account_id, text, in_reply_to_id, visibility, **extra)
            if quote_of:
                quoted = self.statuses[quote_of]
                status["quote"] = {"state": "accepted", "quoted_status": quoted}
                self._notify(quoted["account"]["id"], "quote", account_id, status)
            return status

    def mention(self, by: str, to: str, text: str) -> dict[str, Any]:
        return self.post(by, f"@{self.accounts[to]['username']} {text}")

    def reply(self, by: str, status_id: str, text: str) -> dict[str, Any]:
        """As Mastodon's composer: names the author, and answers a direct message
        directly (a reply is never more public than what it answers, by default)."""
        parent = self.statuses[status_id]
        author = parent["account"]["username"]
        visibility = "direct" if parent["visibility"] == "direct" else "public"
        return self.post(by, f"@{author} {text}", in_reply_to_id=status_id, visibility=visibility)

    def direct_message(self, by: str, to: str, text: str) -> dict[str, Any]:
        return self.post(by, f"@{self.accounts[to]['username']} {text}", visibility="direct")

    def quote(self, by: str, status_id: str, text: str) -> dict[str, Any]:
        return self.post(by, text, quote_of=status_id)

    def favourite(self, by: str, status_id: str) -> None:
        with self.lock:
            status = self.statuses[status_id]
            status["favourites_count"] += 1
            self._notify(status["account"]["id"], "favourite", by, status)

    def boost(self, by: str, status_id: str) -> None:
        with self.lock:
            status = self.statuses[status_id]
            status["reblogs_count"] += 1
            self._notify(status["account"]["id"], "reblog", by, status)

    def follow(self, by: str, target: str) -> None:
        with self.lock:
            self.accounts[target]["followers_count"] += 1
            self._notify(target, "follow", by, None)

    # -- model ---------------------------------------------------------------------------
    def _make_status(
        self,
        account_id: str,
        text: str,
        in_reply_to_id: str | None,
        visibility: str,
        *,
        spoiler_text: str = "",
        sensitive: bool = False,
        language: str | None = None,
        media: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        status_id = str(next(self._ids))
        account = self.accounts[account_id]
        parent = self.statuses.get(in_reply_to_id or "")
        status = {
            "id": status_id,
            "uri": f"{account['uri']}/statuses/{status_id}",
            "created_at": _now(),
            "account": account,
            "content": render_content(text),
            "visibility": visibility,
            "sensitive": sensitive or bool(spoiler_text),
            "spoiler_text": spoiler_text,
            "media_attachments": media or [],
            "application": {"name": "Palabre", "website": None},
            "mentions": [],
            "tags": [],
            "emojis": [],
            "reblogs_count": 0,
            "favourites_count": 0,
            "replies_count": 0,
            "quotes_count": 0,
            "url": f"{account['url']}/{status_id}",
            "in_reply_to_id": parent["id"] if parent else None,
            "in_reply_to_account_id": parent["account"]["id"] if parent else None,
            "reblog": None,
            "poll": None,
            "card": None,
            "language": language,
            "text": None,
            "edited_at": None,
            "quote": None,
        }
        # As Mastodon: those named in the text are notified (a reply names its author).
        for acc in list(self.accounts.values()):
            if re.search(rf"(^|\s)@{re.escape(acc['username'])}\b", text):
                status["mentions"].append({k: acc[k] for k in ("id", "username", "url", "acct")})
                if acc["id"] != account_id:
                    self._notify(acc["id"], "mention", account_id, status)
        if parent:
            parent["replies_count"] += 1
        account["statuses_count"] += 1
        account["last_status_at"] = status["created_at"][:10]
        self.statuses[status_id] = status
        return status

    def _notify(self, target: str, kind: str, by: str, status: dict[str, Any] | None) -> None:
        notification_id = str(next(self._ids))
        self.notifications[target].append(
            {
                "id": notification_id,
                "type": kind,
                "group_key": f"ungrouped-{notification_id}",
                "created_at": _now(),
                "account": self.accounts[by],
                **({"status": status} if status is not None else {}),
            }
        )

    # -- HTTP ----------------------------------------------------------------------------
    async def _asgi(self, request: Request) -> Response:
        form: dict[str, Any] = {}
        if request.method == "POST":
            if request.headers.get("content-type", "").startswith("application/json"):
                form = await request.json()
            else:
                data = await request.form()
                for key, value in data.multi_items():
                    if key.endswith("[]"):
                        form.setdefault(key[:-2], []).append(value)
                    elif hasattr(value, "read"):
                        form[key] = {
                            "filename": value.filename,
                            "content": await value.read(),
                            "content_type": value.content_type,
                        }
                    else:
                        form[key] = value
        path = request.url.path
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.requests.append(Recorded(request.method, path, dict(request.headers), form))
            response = self._answer(request, path, form)
            if self.rate_limit_headers:
                used = sum(1 for _ in self.requests) % 300
                reset = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
                response.headers["X-RateLimit-Limit"] = "300"
                remaining = self.remaining if self.remaining is not None else max(0, 299 - used)
                response.headers["X-RateLimit-Remaining"] = str(remaining)
                response.headers["X-RateLimit-Reset"] = reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            return response

    def _answer(self, request: Request, path: str, form: dict[str, Any]) -> Response:
        if self.mode == "not_mastodon":
            if path.startswith(("/api/", "/oauth/", "/.well-known/")):
                return HTMLResponse("<html><body><h1>Page not found</h1></body></html>", 404)
            return HTMLResponse("<html><body><h1>Welcome to my blog</h1></body></html>")
        if self.mode == "html":
            return HTMLResponse(
                "<!DOCTYPE html><html><body>We're sorry, but something went wrong.</body></html>",
                200,
            )
        if self.mode == "malformed":
            return Response('{"id": "1", "username": ', 200, media_type="application/json")
        if self.failures:
            status, headers, body = self.failures.pop(0)
            return JSONResponse({"error": body}, status, headers=headers)
        if path != "/" and path.endswith("/"):
            path = path.rstrip("/")  # Rails routes ignore a trailing slash
        if path in self.missing_paths:
            return JSONResponse({"error": "Record not found"}, 404)
        for method, pattern, handler, needs_auth in ROUTES:
            match = re.fullmatch(pattern, path)
            if match and method == request.method:
                account = None
                if needs_auth:
                    auth = request.headers.get("authorization", "")
                    account = self.tokens.get(auth.removeprefix("Bearer ").strip())
                    if account is None:
                        if self.bad_token_as_400:
                            return JSONResponse({"error": "Invalid Bearer token"}, 400)
                        return JSONResponse({"error": "The access token is invalid"}, 401)
                return getattr(self, handler)(request, form, account, **match.groupdict())
        return JSONResponse({"error": "Record not found"}, 404)

    # -- endpoints -----------------------------------------------------------------------
    def create_app(self, request: Request, form: dict[str, Any], _: Any) -> Response:
        if not form.get("client_name") or not form.get("redirect_uris"):
            return JSONResponse(
                {"error": "Validation failed: Application name can't be blank"}, 422
            )
        client_id = secrets.token_urlsafe(32)
        redirect = form["redirect_uris"]
        redirects = redirect if isinstance(redirect, list) else redirect.split()
        app = {
            "id": str(next(self._ids)),
            "name": form["client_name"],
            "website": form.get("website"),
            "scopes": (form.get("scopes") or "read").split(),
            "redirect_uri": "\n".join(redirects),
            "redirect_uris": redirects,
            "vapid_key": VAPID_KEY,
            "client_id": client_id,
            "client_secret": secrets.token_urlsafe(32),
            "client_secret_expires_at": 0,
        }
        self.apps[client_id] = app
        return JSONResponse(app)

    def authorize_page(self, request: Request, form: dict[str, Any], _: Any) -> Response:
        q = request.query_params
        app = self.apps.get(q.get("client_id", ""))
        if app is None or q.get("redirect_uri") not in app["redirect_uris"]:
            return HTMLResponse("<p>The redirect uri included is not valid.</p>", 400)
        fields = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(q.get(k, ""))}">'
            for k in ("client_id", "redirect_uri", "scope", "state")
        )
        return HTMLResponse(
            f"<html><body><h1>Authorize {html.escape(app['name'])}?</h1>"
            f'<form method="post" action="/oauth/authorize">{fields}'
            '<button type="submit">Authorize</button></form></body></html>'
        )

    def authorize_submit(self, request: Request, form: dict[str, Any], _: Any) -> Response:
        account = self.signed_in or next(iter(self.accounts))
        code = secrets.token_urlsafe(24)
        self.codes[code] = (form["client_id"], form["redirect_uri"], account)
        query = urlencode({"code": code, "state": form.get("state", "")})
        return RedirectResponse(f"{form['redirect_uri']}?{query}", 302)

    def token(self, request: Request, form: dict[str, Any], _: Any) -> Response:
        app = self.apps.get(form.get("client_id", ""))
        if app is None or app["client_secret"] != form.get("client_secret"):
            return JSONResponse(
                {
                    "error": "invalid_client",
                    "error_description": INVALID_CLIENT,
                },
                401,
            )
        found = self.codes.pop(form.get("code", ""), None)
        if (
            form.get("grant_type") != "authorization_code"
            or found is None
            or found[:2]
            != (
                form["client_id"],
                form.get("redirect_uri"),
            )
        ):
            return JSONResponse(
                {
                    "error": "invalid_grant",
                    "error_description": INVALID_GRANT,
                },
                400,
            )
        token = self.create_token(found[2])
        return JSONResponse(
            {
                "access_token": token,
                "token_type": "Bearer",
                "scope": " ".join(app["scopes"]),
                "created_at": int(time.time()),
            }
        )

    def oauth_meta(self, request: Request, form: dict[str, Any], _: Any) -> Response:
        b = self.base_url
        return JSONResponse(
            {
                "issuer": f"{b}/",
                "service_documentation": "https://docs.joinmastodon.org/",
                "authorization_endpoint": f"{b}/oauth/authorize",
                "token_endpoint": f"{b}/oauth/token",
                "app_registration_endpoint": f"{b}/api/v1/apps",
                "revocation_endpoint": f"{b}/oauth/revoke",
                "userinfo_endpoint": f"{b}/oauth/userinfo",
                "scopes_supported": ["read", "write", "push", "follow", "profile"],
                "response_types_supported": ["code"],
                "response_modes_supported": ["query", "fragment", "form_post"],
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code", "client_credentials"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
            }
        )

    def verify_credentials(self, request: Request, form: dict[str, Any], account: str) -> Response:
        acc = self.accounts[account]
        return JSONResponse(
            {
                **acc,
                "source": {
                    "privacy": "public",
                    "sensitive": False,
                    "language": "",
                    "note": "",
                    "fields": [],
                    "follow_requests_count": 0,
                },
                "role": {
                    "id": "-99",
                    "name": "",
                    "permissions": "0",
                    "color": "",
                    "highlighted": False,
                },
            }
        )

    def _configuration(self) -> dict[str, Any]:
        return {
            "statuses": {
                "max_characters": self.max_characters,
                "max_media_attachments": self.max_media_attachments,
                "characters_reserved_per_url": 23,
            },
            "media_attachments": {
                "supported_mime_types": [
                    "image/jpeg",
                    "image/png",
                    "image/gif",
                    "image/heic",
                    "image/heif",
                    "image/webp",
                    "image/avif",
                    "video/mp4",
                ],
                "description_limit": 1500,
                "image_size_limit": self.image_size_limit,
                "image_matrix_limit": 33177600,
                "video_size_limit": 103809024,
                "video_frame_rate_limit": 120,
                "video_matrix_limit": 8294400,
            },
            "polls": {
                "max_options": 4,
                "max_characters_per_option": 50,
                "min_expiration": 300,
                "max_expiration": 2629746,
            },
        }

    def instance_v2(self, request: Request, form: dict[str, Any], _: Any) -> Response:
        return JSONResponse(
            {
                "domain": self.base_url.split("://", 1)[1],
                "title": "Local Mastodon",
                "version": "4.5.0",
                "source_url": "https://github.com/mastodon/mastodon",
                "description": "A Mastodon server for tests",
                "usage": {"users": {"active_month": len(self.accounts)}},
                "languages": ["en", "fr"],
                "configuration": {
                    "urls": {"streaming": self.base_url.replace("http", "ws", 1)},
                    "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
                    "translation": {"enabled": False},
                    **self._configuration(),
                },
                "registrations": {"enabled": False, "approval_required": False, "message": None},
                "api_versions": {"mastodon": 7},
                "contact": {"email": "admin@localhost", "account": None},
                "rules": [],
            }
        )

    def instance_v1(self, request: Request, form: dict[str, Any], _: Any) -> Response:
        return JSONResponse(
            {
                "uri": self.base_url.split("://", 1)[1],
                "title": "Local Mastodon",
                "short_description": "A Mastodon server for tests",
                "description": "",
                "email": "admin@localhost",
                "version": "4.5.0",
                "urls": {"streaming_api": self.base_url.replace("http", "ws", 1)},
                "stats": {
                    "user_count": len(self.accounts),
                    "status_count": len(self.statuses),
                    "domain_count": 1,
                },
                "languages": ["en", "fr"],
                "registrations": False,
                "approval_required": False,
                "invites_enabled": False,
                "configuration": self._configuration(),
                "contact_account": None,
                "rules": [],
            }
        )

    def media_create(self, request: Request, form: dict[str, Any], account: str) -> Response:
        upload = form.get("file")
        if not isinstance(upload, dict):
            return JSONResponse({"error": "Validation failed: File can't be blank"}, 422)
        if len(upload["content"]) > self.image_size_limit:
            return JSONResponse(
                {"error": "Validation failed: File file size must be less than 16 MB"}, 422
            )
        media_id = str(next(self._ids))
        attachment = {
            "id": media_id,
            "type": "image",
            "url": None,
            "preview_url": f"{self.base_url}/system/media_attachments/files/{media_id}/small.png",
            "remote_url": None,
            "text_url": None,
            "meta": {"focus": {"x": 0.0, "y": 0.0}},
            "description": form.get("description"),
            "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
        }
        self.media[media_id] = {
            "owner": account,
            "entity": attachment,
            "size": len(upload["content"]),
        }
        self.media_polls[media_id] = self.media_processing_polls
        if self.media_processing_polls == 0:
            attachment["url"] = (
                f"{self.base_url}/system/media_attachments/files/{media_id}/original.png"
            )
            return JSONResponse(attachment, 200)
        return JSONResponse(attachment, 202)

    def media_get(self, request: Request, form: dict[str, Any], account: str, id: str) -> Response:
        item = self.media.get(id)
        if item is None or item["owner"] != account:
            return JSONResponse({"error": "Record not found"}, 404)
        if self.media_polls[id] > 0:
            self.media_polls[id] -= 1
            return JSONResponse(item["entity"], 206)
        item["entity"]["url"] = f"{self.base_url}/system/media_attachments/files/{id}/original.png"
        return JSONResponse(item["entity"], 200)

    def status_create(self, request: Request, form: dict[str, Any], account: str) -> Response:
        key = request.headers.get("idempotency-key")
        if key and not self.ignore_idempotency and (account, key) in self.idempotency:
            existing = self.idempotency[(account, key)]
            if existing in self.deleted:
                return JSONResponse({"error": "Record not found"}, 404)
            return JSONResponse(self.statuses[existing])
        text = form.get("status") or ""
        media_ids = form.get("media_ids") or []
        if not text.strip() and not media_ids:
            return JSONResponse({"error": "Validation failed: Text can't be blank"}, 422)
        length = len(URL_RE.sub("x" * 23, text))
        if length > self.max_characters:
            return JSONResponse(
                {
                    "error": "Validation failed: Text character limit of "
                    f"{self.max_characters} exceeded"
                },
                422,
            )
        if len(media_ids) > self.max_media_attachments:
            return JSONResponse(
                {"error": "Validation failed: Media attachments limit exceeded"}, 422
            )
        attachments = []
        for media_id in media_ids:
            item = self.media.get(media_id)
            if item is None or item["owner"] != account:
                return JSONResponse(
                    {"error": "Validation failed: Media attachments are invalid"}, 422
                )
            if item["entity"]["url"] is None:
                return JSONResponse(
                    {"error": NOT_PROCESSED},
                    422,
                )
            attachments.append(item["entity"])
        reply_to = form.get("in_reply_to_id") or None
        if reply_to and (reply_to not in self.statuses or reply_to in self.deleted):
            return JSONResponse({"error": "Record not found"}, 404)
        visibility = form.get("visibility") or "public"
        if visibility not in {"public", "unlisted", "private", "direct"}:
            return JSONResponse(
                {"error": "Validation failed: Visibility is not included in the list"}, 422
            )
        status = self._make_status(
            account,
            text,
            reply_to,
            visibility,
            spoiler_text=form.get("spoiler_text") or "",
            sensitive=form.get("sensitive") in ("true", "1", True),
            language=form.get("language") or None,
            media=attachments,
        )
        if key:
            self.idempotency[(account, key)] = status["id"]
        return JSONResponse(status)

    def status_get(self, request: Request, form: dict[str, Any], account: str, id: str) -> Response:
        if id not in self.statuses or id in self.deleted:
            return JSONResponse({"error": "Record not found"}, 404)
        return JSONResponse(self.statuses[id])

    def status_delete(
        self, request: Request, form: dict[str, Any], account: str, id: str
    ) -> Response:
        status = self.statuses.get(id)
        if status is None or id in self.deleted or status["account"]["id"] != account:
            return JSONResponse({"error": "Record not found"}, 404)
        self.deleted.add(id)
        text = re.sub(r"<[^>]+>", "", status["content"])
        return JSONResponse({**status, "text": html.unescape(text)})

    def account_statuses(
        self, request: Request, form: dict[str, Any], account: str, id: str
    ) -> Response:
        q = request.query_params
        limit = min(int(q.get("limit", 20)), 40)
        items = sorted(self.statuses_of(id), key=lambda s: int(s["id"]), reverse=True)
        if q.get("max_id"):
            items = [s for s in items if int(s["id"]) < int(q["max_id"])]
        if q.get("exclude_replies") == "true":
            items = [s for s in items if s["in_reply_to_id"] is None]
        page = items[:limit]
        return self._paginated(request, page)

    def notifications_list(self, request: Request, form: dict[str, Any], account: str) -> Response:
        q = request.query_params
        limit = min(int(q.get("limit", 40)), 80)
        types = set(q.getlist("types[]"))
        items = [n for n in self.notifications[account] if not types or n["type"] in types]
        newest_first = sorted(items, key=lambda n: int(n["id"]), reverse=True)
        if q.get("max_id"):
            newest_first = [n for n in newest_first if int(n["id"]) < int(q["max_id"])]
        if q.get("since_id"):
            newest_first = [n for n in newest_first if int(n["id"]) > int(q["since_id"])]
        if q.get("min_id"):
            # The page just above min_id: the oldest ones newer than it.
            above = [n for n in newest_first if int(n["id"]) > int(q["min_id"])]
            page = list(reversed(list(reversed(above))[:limit]))
        else:
            page = newest_first[:limit]
        return self._paginated(request, page)

    def _paginated(self, request: Request, page: list[dict[str, Any]]) -> Response:
        response = JSONResponse(page)
        if page:
            base = f"{self.base_url}{request.url.path}"
            keep = [
                (k, v)
                for k, v in request.query_params.multi_items()
                if k not in {"max_id", "min_id", "since_id"}
            ]
            nxt = urlencode([*keep, ("max_id", page[-1]["id"])])
            prev = urlencode([*keep, ("min_id", page[0]["id"])])
            response.headers["Link"] = f'<{base}?{nxt}>; rel="next", <{base}?{prev}>; rel="prev"'
        return response


ROUTES: list[tuple[str, str, str, bool]] = [
    ("POST", r"/api/v1/apps", "create_app", False),
    ("GET", r"/oauth/authorize", "authorize_page", False),
    ("POST", r"/oauth/authorize", "authorize_submit", False),
    ("POST", r"/oauth/token", "token", False),
    ("GET", r"/\.well-known/oauth-authorization-server", "oauth_meta", False),
    ("GET", r"/api/v1/accounts/verify_credentials", "verify_credentials", True),
    ("GET", r"/api/v2/instance", "instance_v2", False),
    ("GET", r"/api/v1/instance", "instance_v1", False),
    ("POST", r"/api/v2/media", "media_create", True),
    ("GET", r"/api/v1/media/(?P<id>\d+)", "media_get", True),
    ("POST", r"/api/v1/statuses", "status_create", True),
    ("GET", r"/api/v1/statuses/(?P<id>\d+)", "status_get", True),
    ("DELETE", r"/api/v1/statuses/(?P<id>\d+)", "status_delete", True),
    ("GET", r"/api/v1/accounts/(?P<id>\d+)/statuses", "account_statuses", True),
    ("GET", r"/api/v1/notifications", "notifications_list", True),
]
