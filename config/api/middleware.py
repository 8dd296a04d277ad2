"""Request-wide rules for the API and for proxies.

- `TrustedProxyMiddleware`: X-Forwarded-* headers are believed only from a proxy listed in
  TRUSTED_PROXIES. Anyone else could claim to be on HTTPS (SECURE_PROXY_SSL_HEADER) or to come
  from another address (and so escape every per-address throttle).
- `ApiNoStoreMiddleware`: an authenticated API answer is private to whoever asked; no browser,
  proxy or CDN may keep it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
    "HTTP_X_REAL_IP",
)
# Where the address the request really came from (the proxy's) is kept, for logs.
PROXY_ADDRESS_KEY = "samverkan.proxy_address"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(
        ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()
    )


def trusted_networks() -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks (read at request time, so tests and operators can change it)."""
    entries = getattr(settings, "TRUSTED_PROXIES", ())
    if isinstance(entries, str):
        entries = entries.split(",")
    return _networks(tuple(entries))


def _is_trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _client_behind(remote: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The first address, from the right, that is not one of our proxies.

    Each proxy appends the address it received the request from, so only the right-hand entries
    written by our own proxies can be believed; anything further left the client wrote itself.
    """
    client = remote
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        client = hop
        if not _is_trusted(hop, networks):
            break
    return client


def client_address(request: HttpRequest) -> str:
    """The client's address under the trusted-proxy rule (REMOTE_ADDR after the middleware)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class TrustedProxyMiddleware:
    """Honour X-Forwarded-* only from TRUSTED_PROXIES; then REMOTE_ADDR is the real client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        networks = trusted_networks()
        remote = meta.get("REMOTE_ADDR", "")
        if networks and _is_trusted(remote, networks):
            forwarded_for = meta.pop("HTTP_X_FORWARDED_FOR", "")
            meta[PROXY_ADDRESS_KEY] = remote
            meta["REMOTE_ADDR"] = _client_behind(remote, forwarded_for, networks)
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


class ApiNoStoreMiddleware:
    """`Cache-Control: no-store` on API answers to anyone who presented credentials.

    Every API answer varies by Authorization and Cookie, so a shared cache never serves one
    user's public-case list to another with different rights.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/"):
            return response
        patch_vary_headers(response, ("Authorization", "Cookie"))
        user = getattr(request, "user", None)
        if "HTTP_AUTHORIZATION" in request.META or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
        return response
