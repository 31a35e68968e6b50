"""Which servers a user-given address may point to.

Palabre only talks to public servers over https, unless the administrator allow-lists a
host or a network (``PALABRE_FETCH_ALLOWLIST="localhost,10.0.0.0/8"``): then that host
may also be private, loopback, link-local or plain http — so local test servers and an
intranet site work, and a user cannot make Palabre probe the machine's own network.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from palabre.core.i18n import N_

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
IP = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class URLRefused(ValueError):
    """A user-given address Palabre will not use; the message is a msgid with params."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class NetPolicy:
    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, value: str) -> NetPolicy:
        return _parse(value or "")

    def allows_host(self, host: str) -> bool:
        """The host was allow-listed by name, or is an address in an allow-listed network."""
        host = host.lower().rstrip(".").strip("[]")
        if host in self.hosts:
            return True
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(ip in net for net in self.networks)

    def check_url(self, url: str, *, resolve: bool = True) -> str:
        """The address, tidied, if Palabre may use it; else ``URLRefused`` saying why."""
        url = (url or "").strip()
        parts = urlsplit(url if "://" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
        if parts.scheme not in {"http", "https"} or not host:
            raise URLRefused(N_("Enter a full web address, starting with https://"))
        if parts.username or parts.password:
            raise URLRefused(N_("The address must not contain a user name or password."))
        allowed = self.allows_host(host)
        if parts.scheme == "http" and not allowed:
            raise URLRefused(
                N_("Use https:// — plain http is only allowed for hosts the administrator lists.")
            )
        if resolve and not allowed:
            for ip in _addresses(host):
                if not is_public(ip) and not any(ip in net for net in self.networks):
                    raise URLRefused(
                        N_("%(host)s is a private or local address; Palabre does not use it."),
                        host=host,
                    )
        netloc = host if parts.port is None else f"{host}:{parts.port}"
        if ":" in host and not host.startswith("["):
            netloc = f"[{host}]" if parts.port is None else f"[{host}]:{parts.port}"
        path = parts.path.rstrip("/")
        return f"{parts.scheme}://{netloc}{path}"


def effective(ip: IP) -> IP:
    """The IPv4 address an IPv6 form stands for (mapped, compatible, NAT64, 6to4), else
    itself: ``::ffff:127.0.0.1`` is loopback, whatever its spelling."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if int(ip) >> 32 == 0 and int(ip) > 1:  # ::a.b.c.d, the old "compatible" form
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip in NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour is not None:  # 2002:a.b.c.d::/48
            return ip.sixtofour
    return ip


def is_public(ip: IP) -> bool:
    ip = effective(ip)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise URLRefused(N_("No server answers to the name %(host)s."), host=host) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


@lru_cache(maxsize=8)
def _parse(value: str) -> NetPolicy:
    hosts: set[str] = set()
    networks: list[Network] = []
    for item in (part.strip().lower() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item.rstrip("."))
    return NetPolicy(frozenset(hosts), tuple(networks))
