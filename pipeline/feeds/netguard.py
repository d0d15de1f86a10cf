"""SSRF guard for every outbound request: refuse targets that resolve to internal addresses.

The check happens on the *resolved* address, inside the connector, so the socket is opened to
exactly the address that was checked: a DNS answer that changes between check and connect
(DNS rebinding) cannot redirect the request. Use `make_connector` for any aiohttp session that
talks to a URL a stranger chose (feeds, article pages, webhooks, Apprise targets), and
`check_url` to validate a target up front (for example when a subscription is created).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from pipeline.errors import FetchPermanent

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Instance metadata services hand out cloud credentials: the classic SSRF prize.
_METADATA = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, DigitalOcean
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("168.63.129.16"),  # Azure wire server
    }
)
# NAT64 (RFC 6052) embeds an IPv4 address in the last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeTarget(FetchPermanent):
    """The target URL or the address it resolves to is not allowed (an SSRF attempt or a typo)."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_forbidden_address(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why `ip` must not be contacted ("loopback", "private", ...), or None when it is fine.

    IPv6 addresses that embed an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by the
    IPv4 address they carry. Loopback is allowed only when `allow_loopback` is set.
    """
    if ip in _METADATA:
        return "cloud metadata"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return is_forbidden_address(inner, allow_loopback=allow_loopback)
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    for reason, flag in (
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return reason
    # Shared address space (100.64/10), benchmarking (198.18/15) and the like.
    return None if ip.is_global else "reserved"


def _refuse(host: str, ip: str, reason: str) -> UnsafeTarget:
    if host.strip("[]") == ip:
        return UnsafeTarget(f"refused to connect to {ip}: it is a {reason} address")
    return UnsafeTarget(f"refused to connect to {host}: it resolves to {ip}, a {reason} address")


def _parse_ip(text: str) -> IPAddress:
    # Scoped IPv6 results look like fe80::1%eth0; the scope does not change the verdict.
    return ipaddress.ip_address(text.split("%", 1)[0])


def filter_results(
    host: str, results: Sequence[ResolveResult], *, allow_loopback: bool
) -> list[ResolveResult]:
    """Keep only the permitted addresses; raise UnsafeTarget when none is left."""
    allowed: list[ResolveResult] = []
    first_refusal: UnsafeTarget | None = None
    for result in results:
        reason = is_forbidden_address(_parse_ip(result["host"]), allow_loopback=allow_loopback)
        if reason is None:
            allowed.append(result)
        elif first_refusal is None:
            first_refusal = _refuse(host, result["host"], reason)
    if not allowed:
        raise first_refusal or UnsafeTarget(f"refused to connect to {host}: no address found")
    return allowed


class GuardedResolver(AbstractResolver):
    """Resolves names with aiohttp's default resolver, then drops forbidden addresses.

    aiohttp connects to one of the addresses this returns, so what was checked is what is used.
    """

    def __init__(self, *, allow_loopback: bool, inner: AbstractResolver | None = None) -> None:
        self._allow_loopback = allow_loopback
        self._inner = inner or aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        return filter_results(host, results, allow_loopback=self._allow_loopback)

    async def close(self) -> None:
        await self._inner.close()


class GuardedConnector(aiohttp.TCPConnector):
    """A TCPConnector that also checks IP-literal hosts, which aiohttp never sends to a resolver."""

    def __init__(self, *, allow_loopback: bool, **kwargs: Any) -> None:
        kwargs.setdefault("resolver", GuardedResolver(allow_loopback=allow_loopback))
        super().__init__(**kwargs)
        self._allow_loopback = allow_loopback

    async def _resolve_host(  # type: ignore[override]
        self, host: str, port: int, traces: Any = None
    ) -> list[ResolveResult]:
        results = await super()._resolve_host(host, port, traces=traces)
        return filter_results(host, results, allow_loopback=self._allow_loopback)


def make_connector(
    *, allow_loopback: bool, limit: int, limit_per_host: int
) -> aiohttp.TCPConnector:
    """A connector that refuses forbidden addresses (names and IP literals alike)."""
    return GuardedConnector(
        allow_loopback=allow_loopback, limit=limit, limit_per_host=limit_per_host, ttl_dns_cache=60
    )


def check_scheme_and_host(url: str) -> str:
    """The URL's host; UnsafeTarget unless the URL is absolute http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeTarget(f"refused {url!r}: only http and https URLs are allowed")
    if not parts.hostname:
        raise UnsafeTarget(f"refused {url!r}: the URL has no host")
    return parts.hostname


async def check_url(url: str, *, allow_loopback: bool) -> None:
    """Raise UnsafeTarget unless `url` is http(s) and every address it resolves to is allowed.

    For validating a target when it is registered. The connection itself is guarded again by
    `make_connector`, since the name may resolve differently later.
    """
    host = check_scheme_and_host(url)
    try:
        ip = _parse_ip(host)
    except ValueError:
        ip = None
    if ip is not None:
        reason = is_forbidden_address(ip, allow_loopback=allow_loopback)
        if reason:
            raise _refuse(host, str(ip), reason)
        return
    await _check_name(host, allow_loopback=allow_loopback)


async def _check_name(host: str, *, allow_loopback: bool) -> None:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UnsafeTarget(f"refused {host}: the name does not resolve ({exc})") from None
    for info in infos:
        address = str(info[4][0])
        reason = is_forbidden_address(_parse_ip(address), allow_loopback=allow_loopback)
        if reason:
            raise _refuse(host, address, reason)
