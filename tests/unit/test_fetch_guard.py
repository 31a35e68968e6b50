"""The guarded fetcher's address check, over generated addresses and spellings (no DNS
query leaves the machine: numeric spellings only), and the banded fingerprint index
against a plain comparison with every fingerprint."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from palabre.core.fetch import FetchError, check_address, is_public, resolve, retry_after
from palabre.core.netpolicy import NetPolicy
from palabre.sources.dedupe import is_near_duplicate
from palabre.sources.dedupe_index import PrintIndex

NONE = NetPolicy.parse("")
PRIVATE_V4 = [
    ipaddress.ip_network(n)
    for n in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "100.64.0.0/10",
        "0.0.0.0/8",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
]


@st.composite
def private_v4(draw: st.DrawFn) -> ipaddress.IPv4Address:
    net = draw(st.sampled_from(PRIVATE_V4))
    offset = draw(st.integers(0, net.num_addresses - 1))
    return ipaddress.IPv4Address(int(net.network_address) + offset)


def spellings(ip: ipaddress.IPv4Address) -> list[str]:
    n = int(ip)
    a, b, c, d = ip.packed
    return [
        str(ip),
        str(n),  # one decimal number
        hex(n),  # hexadecimal
        f"0{a:o}.0{b:o}.0{c:o}.0{d:o}",  # octal parts
        f"{a}.{(b << 16) | (c << 8) | d}",  # a.b-c-d shortened
        f"::ffff:{ip}",  # IPv4-mapped IPv6
        f"::{ip}",  # IPv4-compatible IPv6
        f"64:ff9b::{ip}",  # NAT64
    ]


def refused(host: str) -> bool:
    try:
        check_address(NONE, host, resolve(host, 80))
    except FetchError as exc:
        return exc.refused
    return False


@settings(max_examples=200)
@given(private_v4())
def test_every_spelling_of_a_private_ipv4_address_is_refused(ip: ipaddress.IPv4Address) -> None:
    for host in spellings(ip):
        assert refused(host), host


@given(st.integers(0, 2**64 - 1))
def test_private_ipv6_ranges_are_refused(low: int) -> None:
    for prefix in ("fe80::", "fc00::", "fd00::", "ff02::"):
        net = ipaddress.ip_network(f"{prefix}/16")
        assert refused(str(ipaddress.IPv6Address(int(net.network_address) | low)))
    assert refused("::1") and refused("::")


def test_public_addresses_pass_and_the_allow_list_lifts_the_guard() -> None:
    for host in ("93.184.216.34", "2606:4700:4700::1111", "::ffff:93.184.216.34"):
        assert is_public(ipaddress.ip_address(host)), host
        check_address(NONE, host, resolve(host, 443))  # no error
    allowed = NetPolicy.parse("10.0.0.0/8,intranet.musee")
    assert check_address(allowed, "10.1.2.3", resolve("10.1.2.3", 80))
    assert check_address(allowed, "intranet.musee", [ipaddress.ip_address("192.168.1.5")])
    assert refused("10.1.2.3")


def test_retry_after_in_seconds_or_as_a_date_and_capped() -> None:
    assert retry_after("120") == 120
    assert retry_after("999999999") == 2 * 86400
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: now
    assert retry_after("soon") is None and retry_after(None) is None


fingerprints = st.integers(-(2**63), 2**63 - 1).filter(lambda v: v != 0)


@settings(max_examples=150)
@given(st.lists(fingerprints, max_size=40), fingerprints, st.sets(st.integers(0, 63), max_size=5))
def test_the_banded_index_finds_what_comparing_with_every_print_finds(
    stored: list[int], probe: int, flips: set[int]
) -> None:
    index: PrintIndex[int] = PrintIndex()
    for i, value in enumerate(stored):
        index.put(value, i)
    near = probe
    for bit in flips:
        near ^= 1 << bit
    near = near - (1 << 64) if near >= 1 << 63 else near
    index.put(probe, -1)
    found = index.find(near)
    expected = [i for i, v in enumerate(stored) if is_near_duplicate(near, v)]
    if len(flips) <= 3 and near != 0:
        assert found is not None
    if found is None:
        assert not expected
    else:
        assert found == -1 or found in expected
