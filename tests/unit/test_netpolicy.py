"""Which server addresses a user may give: public https only, unless the administrator
allow-lists a host or a network (no DNS query leaves the machine: literal addresses and
``localhost`` only)."""

from __future__ import annotations

import pytest

from palabre.core.netpolicy import NetPolicy, URLRefused

NONE = NetPolicy.parse("")


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:8080",
        "https://localhost",
        "https://10.1.2.3",
        "https://192.168.1.10/api",
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://[::1]:443",
        "https://[fe80::1]",
        "https://0.0.0.0",
        "https://[::ffff:127.0.0.1]",  # IPv4-mapped
        "https://[::10.0.0.1]",  # the old IPv4-compatible form
        "https://[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "https://[2002:c0a8:0101::1]",  # 6to4 of 192.168.1.1
        "https://224.0.0.1",  # multicast
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(URLRefused) as refused:
        NONE.check_url(url)
    assert "private or local address" in str(refused.value)


def test_plain_http_only_for_allow_listed_hosts() -> None:
    with pytest.raises(URLRefused, match="Use https://"):
        NONE.check_url("http://93.184.215.14")
    allowed = NetPolicy.parse("127.0.0.1, localhost")
    assert allowed.check_url("http://127.0.0.1:3000/") == "http://127.0.0.1:3000"
    assert allowed.check_url("http://LOCALHOST:2583") == "http://localhost:2583"


def test_an_allow_listed_network_admits_its_addresses_only() -> None:
    policy = NetPolicy.parse("10.0.0.0/8")
    assert policy.check_url("https://10.20.30.40") == "https://10.20.30.40"
    with pytest.raises(URLRefused):
        policy.check_url("https://192.168.0.1")


def test_addresses_are_tidied_and_odd_ones_refused() -> None:
    assert NONE.check_url("93.184.215.14/", resolve=False) == "https://93.184.215.14"
    assert NONE.check_url(" https://Piaille.FR/ ", resolve=False) == "https://piaille.fr"
    for bad in ("", "ftp://example.org", "https://user:pw@example.org", "https://"):
        with pytest.raises(URLRefused):
            NONE.check_url(bad, resolve=False)
