"""V1c: the address guard is an allow-list — global unicast space minus the IANA special-purpose
registries — with embedded IPv4 addresses unwrapped. A pure function: nothing here connects."""

from __future__ import annotations

import ipaddress

import pytest

from notifications.webhooks.addresses import is_public_address

# A security probe's findings: each was taken for a public address.
ISSUE_ADDRESSES = [
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
    "64:ff9b:1::a00:1",  # local-use NAT64 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "192.0.0.8",  # IPv4 dummy address
    "192.88.99.1",  # deprecated 6to4 relay anycast
]

# IANA IPv4 Special-Purpose Address Registry, plus multicast (IANA IPv4 Multicast Address Space).
SPECIAL_V4 = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.31.196.0/24",
    "192.52.193.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "192.175.48.0/24",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "255.255.255.255/32",
]

# IANA IPv6 Special-Purpose Address Registry, plus multicast ff00::/8.
SPECIAL_V6 = [
    "::/128",
    "::1/128",
    "::ffff:0:0/96",
    "64:ff9b::/96",
    "64:ff9b:1::/48",
    "100::/64",
    "100:0:0:1::/64",
    "2001::/23",
    "2001::/32",
    "2001:1::1/128",
    "2001:2::/48",
    "2001:3::/32",
    "2001:4:112::/48",
    "2001:10::/28",
    "2001:20::/28",
    "2001:30::/28",
    "2001:db8::/32",
    "2002::/16",
    "2620:4f:8000::/48",
    "3fff::/20",
    "5f00::/16",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "2a00:1450:4001::1",
    "2606:4700::1111",
    "2001:200::1",  # just past 2001::/23
    # the neighbours of special ranges are ordinary addresses
    "9.255.255.255",
    "11.0.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.0.1.1",
    "192.0.3.1",
    "192.88.98.255",
    "192.167.255.255",
    "192.169.0.0",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.254",
]


def _samples(network: str) -> list[str]:
    """First, middle and last address of a range."""
    net = ipaddress.ip_network(network)
    middle = net.network_address + net.num_addresses // 2
    return sorted({str(net.network_address), str(middle), str(net.broadcast_address)})


def _embedded_forms(v4: str) -> list[str]:
    """The IPv6 addresses that carry an IPv4 address inside: mapped, NAT64 (well-known and
    local-use prefixes), 6to4, and Teredo (client address inverted)."""
    value = int(ipaddress.IPv4Address(v4))
    high, low = value >> 16, value & 0xFFFF
    inverted = value ^ 0xFFFFFFFF
    return [
        f"::ffff:{v4}",
        f"64:ff9b::{high:x}:{low:x}",
        f"64:ff9b:1::{high:x}:{low:x}",
        f"2002:{high:x}:{low:x}::1",
        f"2001:0:4136:e378:8000:63bf:{inverted >> 16:x}:{inverted & 0xFFFF:x}",
    ]


V4_SAMPLES = [address for network in SPECIAL_V4 for address in _samples(network)]
V6_SAMPLES = [address for network in SPECIAL_V6 for address in _samples(network)]
EMBEDDED = [form for address in V4_SAMPLES for form in _embedded_forms(address)]


@pytest.mark.parametrize("address", ISSUE_ADDRESSES)
def test_the_probes_addresses_are_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", V4_SAMPLES)
def test_every_ipv4_special_purpose_range_is_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", V6_SAMPLES)
def test_every_ipv6_special_purpose_range_is_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", EMBEDDED)
def test_a_special_ipv4_address_wrapped_in_ipv6_is_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["4000::1", "8000::1", "e000::1", "fec0::1", "::808:808"])
def test_ipv6_outside_global_unicast_space_is_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_ordinary_global_addresses_are_accepted(address: str) -> None:
    assert is_public_address(address)


@pytest.mark.parametrize("address", ["", "localhost", "999.1.1.1", "fe80::1%eth0"])
def test_anything_that_is_not_a_public_address_is_refused(address: str) -> None:
    assert not is_public_address(address)
