"""The SSRF guard: address classification, guarded connections, DNS answers that try to rebind."""

from __future__ import annotations

import ipaddress
import socket

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from fetchserver import ScriptedServer

from pipeline.feeds.netguard import (
    GuardedConnector,
    GuardedResolver,
    UnsafeTarget,
    check_url,
    is_forbidden_address,
    make_connector,
)

ADDRESSES = [
    # (address, allow_loopback, expected reason)
    ("127.0.0.1", False, "loopback"),
    ("127.0.0.1", True, None),
    ("::1", False, "loopback"),
    ("::1", True, None),
    ("10.0.0.1", True, "private"),
    ("172.16.5.4", True, "private"),
    ("192.168.1.1", True, "private"),
    ("fd12:3456::1", True, "private"),
    ("169.254.169.254", True, "cloud metadata"),
    ("fd00:ec2::254", True, "cloud metadata"),
    ("::ffff:169.254.169.254", True, "cloud metadata"),
    ("::ffff:10.1.2.3", True, "private"),
    ("::ffff:127.0.0.1", False, "loopback"),
    ("2002:a00:1::", True, "private"),  # 6to4 wrapping 10.0.0.1
    ("64:ff9b::a00:1", True, "private"),  # NAT64 wrapping 10.0.0.1
    ("169.254.1.1", True, "link-local"),
    ("fe80::1", True, "link-local"),
    ("224.0.0.1", True, "multicast"),
    ("ff02::1", True, "multicast"),
    ("0.0.0.0", True, "unspecified"),
    ("::", True, "unspecified"),
    ("240.0.0.1", True, "reserved"),
    ("100.64.0.1", True, "reserved"),  # carrier-grade NAT
    ("8.8.8.8", False, None),
    ("93.184.216.34", False, None),
    ("2606:4700:4700::1111", False, None),
]


@pytest.mark.parametrize(("address", "allow_loopback", "reason"), ADDRESSES)
def test_is_forbidden_address(address: str, allow_loopback: bool, reason: str | None) -> None:
    ip = ipaddress.ip_address(address)
    assert is_forbidden_address(ip, allow_loopback=allow_loopback) == reason


@pytest.mark.parametrize(
    ("url", "allow_loopback", "refused"),
    [
        ("http://127.0.0.1/", False, True),
        ("http://127.0.0.1/", True, False),
        ("http://localhost:8080/x", False, True),
        ("http://localhost:8080/x", True, False),
        ("http://10.0.0.1/", True, True),
        ("http://[::ffff:169.254.169.254]/", True, True),
        ("https://169.254.169.254/latest/meta-data/", True, True),
        ("ftp://example.org/feed", True, True),
        ("file:///etc/passwd", True, True),
        ("http:///no-host", True, True),
        ("https://8.8.8.8/", False, False),
    ],
)
async def test_check_url(url: str, allow_loopback: bool, refused: bool) -> None:
    if refused:
        with pytest.raises(UnsafeTarget):
            await check_url(url, allow_loopback=allow_loopback)
    else:
        await check_url(url, allow_loopback=allow_loopback)


async def test_connector_refuses_loopback_unless_allowed(server: ScriptedServer) -> None:
    url = server.url("/feeds/bbc__uk-politics-2018.xml")
    connector = make_connector(allow_loopback=False, limit=4, limit_per_host=2)
    async with aiohttp.ClientSession(connector=connector) as session:
        with pytest.raises(UnsafeTarget, match="loopback"):
            await session.get(url)
    assert server.hits == []
    connector = make_connector(allow_loopback=True, limit=4, limit_per_host=2)
    async with aiohttp.ClientSession(connector=connector) as session, session.get(url) as resp:
        assert resp.status == 200
    assert len(server.hits) == 1


async def test_connector_refuses_private_literal_even_with_loopback_allowed() -> None:
    connector = make_connector(allow_loopback=True, limit=4, limit_per_host=2)
    async with aiohttp.ClientSession(connector=connector) as session:
        with pytest.raises(UnsafeTarget, match=r"10\.0\.0\.1: it is a private address"):
            await session.get("http://10.0.0.1:9/")


class ScriptedDNS(AbstractResolver):
    """Stands in for a hostile DNS server: answers every name with the given addresses."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses
        self.queries = 0

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.queries += 1
        return [
            ResolveResult(hostname=host, host=a, port=port, family=socket.AF_INET, proto=0, flags=0)
            for a in self.addresses
        ]

    async def close(self) -> None:
        return None


async def test_name_resolving_to_metadata_is_refused() -> None:
    dns = ScriptedDNS(["169.254.169.254"])
    resolver = GuardedResolver(allow_loopback=True, inner=dns)
    connector = GuardedConnector(allow_loopback=True, resolver=resolver)
    async with aiohttp.ClientSession(connector=connector) as session:
        with pytest.raises(UnsafeTarget, match=r"rebind\.test: it resolves to 169\.254\.169\.254"):
            await session.get("http://rebind.test/")
    assert dns.queries == 1


async def test_connection_goes_to_the_checked_address(server: ScriptedServer) -> None:
    """A mixed answer (private + loopback) is narrowed to the allowed address, which is used."""
    port = int(server.base.rsplit(":", 1)[1])
    dns = ScriptedDNS(["10.0.0.1", "127.0.0.1"])
    resolver = GuardedResolver(allow_loopback=True, inner=dns)
    connector = GuardedConnector(allow_loopback=True, resolver=resolver, use_dns_cache=False)
    url = f"http://rebind.test:{port}/feeds/bbc__uk-politics-2018.xml"
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.get(url) as resp:
            assert resp.status == 200
        # The next answer switches to a private address only: refused, not connected.
        dns.addresses = ["10.0.0.1"]
        with pytest.raises(UnsafeTarget, match="private"):
            await session.get(f"http://rebind2.test:{port}/")
    assert [h.path for h in server.hits] == ["/feeds/bbc__uk-politics-2018.xml"]
