"""The guarded fetcher: the one way Palabre reads an address a person gave it.

Every hop is checked before Palabre connects: the name is resolved, every address it
resolves to must be public (not private, loopback, link-local, multicast or reserved —
IPv4, IPv6 and IPv4 written inside IPv6) unless the administrator allow-lists the host
or its network (``PALABRE_FETCH_ALLOWLIST``), and the connection is then made to the
address that was checked (no second lookup a hostile name server could answer
differently), the Host header and TLS name staying the site's own. Redirects are
followed by hand, each one checked again. Caps: body size (counted as it arrives,
decompressed), total time, redirect count, concurrent requests per host.

Feeds and agendas are public documents, so plain ``http://`` is accepted here (many
museum sites still serve their feed that way); what is refused is where it points.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
import idna

from palabre import __version__
from palabre.core.i18n import N_
from palabre.core.netpolicy import IP, NetPolicy, effective, is_public

USER_AGENT = f"Palabre/{__version__} (feed reader; +https://palabre.org)"
REDIRECTS = {301, 302, 303, 307, 308}
MAX_RETRY_AFTER = 2 * 86400.0  # a server cannot park a source for longer than this

TOO_SLOW = N_("The server took too long to answer.")
PRIVATE = N_("This address points to a private network; an administrator must allow it (%(host)s).")
TOO_BIG = N_("The page is larger than %(size)s.")
TOO_MANY_REDIRECTS = N_("Too many redirects.")
BAD_ADDRESS = N_("Enter a full web address, starting with https:// or http://.")
USER_IN_URL = N_("The address must not contain a user name or password.")
NO_SUCH_HOST = N_("No server answers to the name %(host)s.")
NO_CONNECTION = N_("Palabre could not connect to the server.")
BAD_CERTIFICATE = N_("The server's security certificate could not be verified.")
SLOW_DOWN = N_("The server asks Palabre to slow down; it will try again later.")
UNAVAILABLE = N_("The server is unavailable for now; Palabre will try again later.")
SERVER_ERROR = N_("The server had an error (HTTP %(code)s); Palabre will try again later.")
NOT_FOUND = N_("Nothing was found at this address (HTTP %(code)s).")
GONE = N_("The server says this address was removed for good (HTTP 410).")
REFUSED = N_("The server refuses access to this address (HTTP %(code)s).")
UNEXPECTED_STATUS = N_("The server answered with an unexpected status (HTTP %(code)s).")
BROKEN = N_("The server's answer was cut off or unreadable.")


class FetchError(Exception):
    """A fetch that did not give a document; ``message`` is a msgid, ``str()`` plain English.

    ``retry_after`` (seconds) when the server asked for a pause (429/503 Retry-After);
    ``refused`` when the address itself is not allowed (not worth retrying as is).
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        refused: bool = False,
        **params: str,
    ) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
        self.retry_after = retry_after
        self.status = status
        self.refused = refused


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    total_seconds: float = 20.0
    connect_seconds: float = 10.0
    max_redirects: int = 5
    per_host: int = 2  # concurrent requests to one host


@dataclass
class FetchResult:
    url: str  # where the document was found (after redirects)
    status: int
    headers: httpx.Headers
    body: bytes = b""
    not_modified: bool = False  # 304: what Palabre has is current
    permanent_redirect: str | None = None  # the source moved for good (301/308)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def text(self) -> str:
        """The body as text: the charset the server named, else detected (httpx's rules)."""
        charset = self.headers.get("content-type", "").partition("charset=")[2]
        charset = charset.split(";")[0].strip().strip('"') or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def human_size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


# -- addresses ---------------------------------------------------------------------------


def resolve(host: str, port: int) -> list[IP]:
    """Every address the name stands for (numeric spellings like 2130706433 included)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise FetchError(NO_SUCH_HOST, host=host) from None
    found: list[IP] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if ip not in found:
            found.append(ip)
    if not found:
        raise FetchError(NO_SUCH_HOST, host=host)
    return found


def check_address(net: NetPolicy, host: str, ips: list[IP]) -> IP:
    """The address to connect to, if every address of ``host`` may be used."""
    by_name = net.allows_host(host)
    for ip in ips:
        allowed = by_name or any(effective(ip) in n or ip in n for n in net.networks)
        if not allowed and not is_public(ip):
            raise FetchError(PRIVATE, refused=True, host=host)
    return ips[0]


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait, from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


# -- the pinned connection -----------------------------------------------------------------


def pin_key(host: str) -> str:
    """A host as the connection layer names it: lower case, ASCII (IDNA), no brackets or
    final dot — so the address checked for a name is the one its connection uses."""
    host = host.lower().strip("[]").rstrip(".")
    if host.isascii():
        return host
    try:
        return idna.encode(host).decode("ascii")
    except idna.IDNAError:
        raise FetchError(BAD_ADDRESS, refused=True) from None


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects to the address checked for a host, never to a fresh lookup of its name."""

    def __init__(self) -> None:
        self.pins: dict[str, str] = {}
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        ip = self.pins.get(pin_key(host))
        if ip is None:  # never happens through Fetcher.get: every host is pinned first
            raise httpcore.ConnectError(f"{host} was not checked")
        return self._inner.connect_tcp(ip, port, timeout, local_address, socket_options)

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("no unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _PinnedTransport(httpx.HTTPTransport):
    def __init__(self, backend: _PinnedBackend, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # httpx builds its httpcore pool without a way to pass a network backend.
        self._pool._network_backend = backend


# -- the fetcher ---------------------------------------------------------------------------


@dataclass
class Fetcher:
    net: NetPolicy
    limits: Limits = field(default_factory=Limits)
    user_agent: str = USER_AGENT
    # Which certificates to trust: the system's (certifi) unless a context is given (tests).
    verify: ssl.SSLContext | bool = True

    def __post_init__(self) -> None:
        self._backend = _PinnedBackend()
        self._client = httpx.Client(
            transport=_PinnedTransport(self._backend, retries=0, verify=self.verify),
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would connect on its own terms
            headers={"User-Agent": self.user_agent},
        )
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "*/*",
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url`` within the limits (``max_bytes`` lowers the size cap for this
        request); ``FetchError`` (plain words) otherwise."""
        deadline = time.monotonic() + self.limits.total_seconds
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        moved: str | None = None
        permanent = True
        for _hop in range(self.limits.max_redirects + 1):
            host = self._pin(url)
            with self._host_slot(host, deadline):
                result = self._one(url, headers, deadline, max_bytes)
            if result.status not in REDIRECTS:
                result.permanent_redirect = moved if permanent else None
                return result
            location = result.headers.get("location")
            if not location:
                raise FetchError(UNEXPECTED_STATUS, status=result.status, code=str(result.status))
            permanent = permanent and result.status in {301, 308}
            url = moved = urljoin(url, location.strip())
        raise FetchError(TOO_MANY_REDIRECTS)

    # -- steps --
    def _pin(self, url: str) -> str:
        parts = urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(BAD_ADDRESS, refused=True) from None
        host = (parts.hostname or "").lower().rstrip(".")
        if parts.scheme not in {"http", "https"} or not host:
            raise FetchError(BAD_ADDRESS, refused=True)
        if parts.username or parts.password:
            raise FetchError(USER_IN_URL, refused=True)
        key = pin_key(host)
        ip = check_address(self.net, host, resolve(key, port))
        self._backend.pins[key] = str(ip)
        return key

    @contextmanager
    def _host_slot(self, host: str, deadline: float) -> Iterator[None]:
        with self._lock:
            slot = self._hosts.setdefault(host, threading.BoundedSemaphore(self.limits.per_host))
        if not slot.acquire(timeout=max(deadline - time.monotonic(), 0.01)):
            raise FetchError(TOO_SLOW)
        try:
            yield
        finally:
            slot.release()

    def _one(
        self, url: str, headers: dict[str, str], deadline: float, max_bytes: int | None = None
    ) -> FetchResult:
        left = max(deadline - time.monotonic(), 0.01)
        timeout = httpx.Timeout(left, connect=min(left, self.limits.connect_seconds))
        try:
            with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                if response.status_code in REDIRECTS or response.status_code == 304:
                    return FetchResult(
                        str(response.url),
                        response.status_code,
                        response.headers,
                        not_modified=response.status_code == 304,
                    )
                _raise_for_status(response)
                body = self._read(response, deadline, max_bytes or self.limits.max_bytes)
                return FetchResult(str(response.url), response.status_code, response.headers, body)
        except httpx.TimeoutException:
            raise FetchError(TOO_SLOW) from None
        except httpx.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
                raise FetchError(BAD_CERTIFICATE) from None
            raise FetchError(NO_CONNECTION) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol):
            raise FetchError(BAD_ADDRESS, refused=True) from None
        except httpx.HTTPError:
            raise FetchError(BROKEN) from None

    def _read(self, response: httpx.Response, deadline: float, cap: int) -> bytes:
        size = response.headers.get("content-length", "")
        if size.isdigit() and int(size) > cap:
            raise FetchError(TOO_BIG, size=human_size(cap))
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():  # decompressed: a gzip bomb is counted as it is
            total += len(chunk)
            if total > cap:
                raise FetchError(TOO_BIG, size=human_size(cap))
            if time.monotonic() > deadline:
                raise FetchError(TOO_SLOW)
            chunks.append(chunk)
        return b"".join(chunks)


def _raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    wait = retry_after(response.headers.get("retry-after"))
    if status == 429:
        raise FetchError(SLOW_DOWN, retry_after=wait, status=status)
    if status == 503:
        raise FetchError(UNAVAILABLE, retry_after=wait, status=status)
    if status >= 500:
        raise FetchError(SERVER_ERROR, status=status, retry_after=wait, code=str(status))
    if status == 410:
        raise FetchError(GONE, status=status)
    if status in {401, 403, 407}:
        raise FetchError(REFUSED, status=status, code=str(status))
    if status in {404, 400}:
        raise FetchError(NOT_FOUND, status=status, code=str(status))
    raise FetchError(UNEXPECTED_STATUS, status=status, code=str(status))


@lru_cache(maxsize=16)
def fetcher_for(net: NetPolicy, limits: Limits | None = None) -> Fetcher:
    """One fetcher per process, policy and limits: its per-host caps and connections are
    shared by every thread that uses it."""
    return Fetcher(net, limits or Limits())
