"""Which network addresses a webhook may be sent to: an explicit allow-list.

An address is public only if it lies in global unicast space (all of IPv4, and 2000::/3 for
IPv6) and in none of the ranges below, and, when it carries an IPv4 address inside (IPv4-mapped,
NAT64, 6to4, Teredo), that IPv4 address is public too. We do not ask `ipaddress`'s `is_global`:
Python 3.11 misclassifies some special-purpose ranges (192.0.0.8, 192.88.99.0/24, NAT64, 6to4).

Name resolution happens once per send; every answer is checked, and the connection goes to a
checked address (see transport.py), so a DNS answer that changes in between cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _networks(ranges: Iterable[str]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(text) for text in ranges)


# IANA IPv4 Special-Purpose Address Registry (iana-ipv4-special-registry), every entry whatever
# its "globally reachable" flag: a webhook has no business with anycast service addresses either.
# Plus 224.0.0.0/4 from the IANA IPv4 Multicast Address Space registry.
SPECIAL_PURPOSE_V4 = _networks(
    [
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private use
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link local (cloud metadata services live here)
        "172.16.0.0/12",  # private use
        "192.0.0.0/24",  # IETF protocol assignments (DS-Lite, dummy 192.0.0.8, NAT64 discovery)
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.31.196.0/24",  # AS112-v4
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private use
        "192.175.48.0/24",  # direct delegation AS112 service
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved
        "255.255.255.255/32",  # limited broadcast
    ]
)

# IANA IPv6 Special-Purpose Address Registry (iana-ipv6-special-registry), every entry, with no
# exception for the few "globally reachable" service addresses inside 2001::/23. Most lie outside
# 2000::/3 and are refused by that already; listing them keeps the registry whole and readable.
# Plus ff00::/8 from the IANA IPv6 Multicast Address Space registry.
SPECIAL_PURPOSE_V6 = _networks(
    [
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::ffff:0:0/96",  # IPv4-mapped
        "64:ff9b::/96",  # IPv4/IPv6 translation (NAT64)
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
        "100::/64",  # discard-only
        "100:0:0:1::/64",  # dummy IPv6 prefix
        "2001::/23",  # IETF protocol assignments (Teredo 2001::/32, benchmarking, ORCHID, …)
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4
        "2620:4f:8000::/48",  # direct delegation AS112 service
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing (SRv6) SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local unicast
        "ff00::/8",  # multicast
    ]
)

GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
NAT64_PREFIXES = _networks(["64:ff9b::/96", "64:ff9b:1::/48"])
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
TEREDO = ipaddress.ip_network("2001::/32")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries, if it is of a form that carries one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if any(address in prefix for prefix in NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in SIX_TO_FOUR:
        return address.sixtofour
    if address in TEREDO:
        return address.teredo[1]  # (server, client): the client is where packets end up
    return None


def _parse(address: str | IPAddress) -> IPAddress | None:
    if not isinstance(address, str):
        return address
    try:
        # A scope ("fe80::1%eth0") names an interface: only link-local addresses have one.
        return ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None


def is_public_address(address: str | IPAddress) -> bool:
    """True only for an ordinary internet address; anything unparsable is not public."""
    parsed = _parse(address)
    if parsed is None:
        return False
    if isinstance(parsed, ipaddress.IPv4Address):
        return not any(parsed in network for network in SPECIAL_PURPOSE_V4)
    inner = embedded_ipv4(parsed)
    if inner is not None and not is_public_address(inner):
        return False
    return parsed in GLOBAL_UNICAST_V6 and not any(
        parsed in network for network in SPECIAL_PURPOSE_V6
    )


class AddressRefused(Exception):
    """The host cannot be resolved, or resolves to an address that is not public."""


class HostUnresolved(AddressRefused):
    """The host name does not resolve (now)."""


def resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to, in the resolver's order, without repeats."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as failure:
        raise HostUnresolved(str(failure)) from failure
    found = [str(info[4][0]) for info in infos]
    return list(dict.fromkeys(found))


def checked_addresses(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Resolve once and check every answer; one non-public answer refuses the host, since the
    connection could otherwise be steered to it."""
    found = resolve(host, port)
    if not found:
        raise HostUnresolved(host)
    if not allow_private and not all(is_public_address(address) for address in found):
        raise AddressRefused(host)
    return found
