"""A local web server for feed and agenda tests: real HTTP on 127.0.0.1, in a thread.

Tests declare what each path answers (``serve``, ``redirect``, ``fail``, ``slow``...);
documents get an ETag and a Last-Modified and are answered 304 when the client already
has them. Every request is recorded (path and headers).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LAST_MODIFIED = "Sat, 14 Nov 2026 08:00:00 GMT"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = True  # ETag / Last-Modified, 304 when unchanged
    chunk_delay: float = 0.0  # seconds between 1 kB chunks (a slow body)
    lie_about_length: bool = False  # no Content-Length: the size is only known as it comes
    then: Route | None = None  # what the path answers after answering this once


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer (a cap reached, a timeout) is what tests
        provoke on purpose: nothing to report."""


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.busy = 0  # requests being answered now
        self.most_busy = 0  # the most answered at once since the last reset
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body are separate writes: without this, Nagle's algorithm and
            # the client's delayed ACK hold every body back ~40 ms on a kept-alive connection
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                with server._lock:
                    server.busy += 1
                    server.most_busy = max(server.most_busy, server.busy)
                try:
                    server._answer(self)
                finally:
                    with server._lock:
                        server.busy -= 1

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -- life --
    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.hits.clear()
            self.most_busy = 0

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    # -- what paths answer --
    def serve(
        self, path: str, body: bytes | str, content_type: str | None = None, **kw: Any
    ) -> str:
        data = body.encode() if isinstance(body, str) else body
        route = Route(body=data, **kw)
        if content_type:
            route.content_type = content_type
        self.routes[path] = route
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302, *, once: bool = False) -> str:
        """``once``: the next request is redirected, the following ones get what the path
        answered before (a server that redirects to the very address it was asked, written
        otherwise, then serves it)."""
        then = self.routes.get(path) if once else None
        self.routes[path] = Route(
            status=status, headers={"Location": to}, conditional=False, then=then
        )
        return self.url(path)

    def fail(self, path: str, status: int, retry_after: str | None = None) -> str:
        headers = {"Retry-After": retry_after} if retry_after else {}
        body = b"<html><body>Error</body></html>"
        self.routes[path] = Route(
            status=status, body=body, content_type="text/html", headers=headers, conditional=False
        )
        return self.url(path)

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for h in self.hits if h.path == path)

    # -- answering --
    def _answer(self, req: BaseHTTPRequestHandler) -> None:
        path = req.path.split("?", 1)[0]
        with self._lock:
            self.hits.append(Hit(req.path, {k.lower(): v for k, v in req.headers.items()}))
        if path.startswith("/loop/"):  # an endless chain of redirects
            n = int(path.rsplit("/", 1)[1] or 0)
            self._send(req, Route(status=302, headers={"Location": f"/loop/{n + 1}"}))
            return
        with self._lock:
            route = self.routes.get(path)
            if route is not None and route.then is not None:
                self.routes[path] = route.then
        if route is None:
            self._send(req, Route(status=404, body=b"not found", content_type="text/plain"))
            return
        if route.conditional and route.status == 200:
            etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            extra = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            same = req.headers.get("If-None-Match") == etag or (
                req.headers.get("If-None-Match") is None
                and req.headers.get("If-Modified-Since") == LAST_MODIFIED
            )
            if same:
                self._send(req, Route(status=304, headers=extra))
                return
            route = Route(**{**route.__dict__, "headers": {**route.headers, **extra}})
        self._send(req, route)

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, route: Route) -> None:
        req.send_response(route.status)
        body = b"" if route.status == 304 else route.body
        if body or route.status != 304:
            req.send_header("Content-Type", route.content_type)
        for k, v in route.headers.items():
            req.send_header(k, v)
        if route.lie_about_length:
            req.send_header("Connection", "close")
            req.close_connection = True
        elif route.status != 304:
            req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        try:
            if route.chunk_delay:
                for i in range(0, len(body), 1024):
                    if i:  # between chunks: the answer is over when its last byte is sent
                        time.sleep(route.chunk_delay)
                    req.wfile.write(body[i : i + 1024])
                    req.wfile.flush()
            else:
                req.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
