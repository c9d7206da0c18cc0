"""Where connectors may send requests: no server-side request forgery through a connection's settings.

A manager can set a connection's ``base_url`` (or a WooCommerce ``store_url``) and the server then calls it
with the connection's keys. So every outgoing request (redirects included) is checked: https only, an
overridden base URL only on the provider's own hosts, and never a private, loopback or link-local address,
unless the host is listed in ``GRASSROOTS_CONNECTOR_ALLOWED_HOSTS`` (tests list their local servers there).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from functools import lru_cache

import httpx

from grassroots.config import get_settings
from grassroots.errors import GrassrootsError


class ForbiddenHost(GrassrootsError):
    """A connection setting points the server at a host it must not call."""

    status = 422
    title = "Host not allowed"


@lru_cache(maxsize=1024)
def _addresses(host: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...]:
    """The host's addresses: itself when it is an IP literal, else what DNS says (nothing when it cannot tell)."""
    try:
        return (ipaddress.ip_address(host.strip("[]")),)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return ()  # unresolvable: the request would fail anyway
    return tuple(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos)


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
        or address.is_multicast or address.is_unspecified
    )  # fmt: skip


def check_url(url: str | httpx.URL, *, official: Iterable[str] = (), allowed: Iterable[str] | None = None) -> None:
    """Raise ForbiddenHost unless the server may call ``url`` (see the module's docstring)."""
    parsed = httpx.URL(str(url))
    host = (parsed.host or "").lower()
    allow = {h.lower() for h in (get_settings().connector_allowed_hosts if allowed is None else allowed)}
    if not host:
        raise ForbiddenHost(f"{url} has no host")
    if host in allow:
        return
    if parsed.scheme != "https":
        raise ForbiddenHost(f"{host}: only https:// addresses may be called (keys travel with the request)")
    hosts = tuple(h.lower() for h in official)
    if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
        raise ForbiddenHost(f"{host} is not one of this provider's hosts ({', '.join(hosts)})")
    if any(_internal(a) for a in _addresses(host)):
        raise ForbiddenHost(f"{host} is a private, loopback or link-local address")


def guard(official: Iterable[str] = ()) -> list[Callable[[httpx.Request], None]]:
    """httpx request hooks that check every request, redirects included, with ``check_url``."""
    hosts = tuple(official)

    def on_request(request: httpx.Request) -> None:
        check_url(request.url, official=hosts)

    return [on_request]
