"""The Fetcher against a real local server: validators, redirects, limits, errors, politeness."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import replace

import pytest
from fetchserver import FEEDS_DIR, LAST_MODIFIED, ScriptedServer

from pipeline.errors import FetchPermanent, FetchTransient
from pipeline.feeds.fetch import DEFAULT_USER_AGENT, Fetcher, FetchPolicy, cache_lifetime
from pipeline.feeds.netguard import UnsafeTarget

POLICY = FetchPolicy(
    allow_loopback=True,
    host_delay=0.0,
    connect_timeout=2.0,
    read_timeout=0.5,
    total_timeout=5.0,
    max_bytes=1024 * 1024,
)
BBC = "/feeds/bbc__uk-politics-2018.xml"


async def test_plain_fetch_sends_user_agent_and_returns_body(server: ScriptedServer) -> None:
    async with Fetcher(POLICY) as fetcher:
        result = await fetcher.fetch(server.url(BBC))
    assert result.status == 200
    assert result.body == (FEEDS_DIR / "bbc__uk-politics-2018.xml").read_bytes()
    assert result.etag and result.last_modified == LAST_MODIFIED
    assert not result.not_modified and result.permanent_redirect_to is None
    assert server.hits[0].headers["User-Agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("newsmon/0.")


@pytest.mark.parametrize(
    ("path", "validator"),
    [("/etag-only", "etag"), ("/lm-only", "last_modified"), (BBC, "etag")],
)
async def test_second_fetch_with_validators_is_304(
    server: ScriptedServer, path: str, validator: str
) -> None:
    async with Fetcher(POLICY) as fetcher:
        first = await fetcher.fetch(server.url(path))
        assert getattr(first, validator)
        second = await fetcher.fetch(
            server.url(path), etag=first.etag, last_modified=first.last_modified
        )
    assert second.not_modified and second.status == 304 and second.body is None
    sent = server.hits[-1].headers
    if first.etag:
        assert sent["If-None-Match"] == first.etag
    if first.last_modified:
        assert sent["If-Modified-Since"] == first.last_modified


@pytest.mark.parametrize(
    ("chain", "moved"),
    [
        ("301", True),
        ("308", True),
        ("302", False),
        ("307", False),
        ("301/308", True),
        ("302/301", False),
    ],
)
async def test_redirects_report_only_permanent_moves(
    server: ScriptedServer, chain: str, moved: bool
) -> None:
    async with Fetcher(POLICY) as fetcher:
        result = await fetcher.fetch(server.url(f"/redirect/{chain}"))
    assert result.status == 200 and result.url == server.url(BBC)
    assert result.permanent_redirect_to == (server.url(BBC) if moved else None)


async def test_permanent_then_temporary_reports_the_permanent_hop(server: ScriptedServer) -> None:
    async with Fetcher(POLICY) as fetcher:
        result = await fetcher.fetch(server.url("/redirect/301/302"))
    assert result.permanent_redirect_to == server.url("/redirect/302")
    assert result.url == server.url(BBC)


async def test_redirect_loop_is_permanent(server: ScriptedServer) -> None:
    async with Fetcher(POLICY) as fetcher:
        with pytest.raises(FetchPermanent, match="redirect loop"):
            await fetcher.fetch(server.url("/loop/a"))
    assert len(server.hits) == 2


async def test_too_many_redirects(server: ScriptedServer) -> None:
    policy = replace(POLICY, max_redirects=2)
    async with Fetcher(policy) as fetcher:
        with pytest.raises(FetchPermanent, match="too many redirects"):
            await fetcher.fetch(server.url("/redirect/302/302/302/302"))


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/to-private", "private"), ("/to-metadata", "cloud metadata"), ("/to-file", "only http")],
)
async def test_redirect_to_forbidden_target_is_refused(
    server: ScriptedServer, path: str, reason: str
) -> None:
    async with Fetcher(POLICY) as fetcher:
        with pytest.raises(UnsafeTarget, match=reason):
            await fetcher.fetch(server.url(path))
    assert [h.path for h in server.hits] == [path]


async def test_loopback_refused_by_default(server: ScriptedServer) -> None:
    async with Fetcher(replace(POLICY, allow_loopback=False)) as fetcher:
        with pytest.raises(UnsafeTarget, match="loopback"):
            await fetcher.fetch(server.url(BBC))
    assert server.hits == []


@pytest.mark.parametrize(
    ("path", "retry_after"),
    [("/rate-limited", 120.0), ("/unavailable", None)],
)
async def test_429_and_503_honour_retry_after(
    server: ScriptedServer, path: str, retry_after: float | None
) -> None:
    async with Fetcher(POLICY) as fetcher:
        with pytest.raises(FetchTransient) as caught:
            await fetcher.fetch(server.url(path))
    if retry_after is not None:
        assert caught.value.retry_after == retry_after
    else:  # an HTTP date in 2099
        assert caught.value.retry_after is not None and caught.value.retry_after > 365 * 86400
    assert "asks to wait" in str(caught.value)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (404, FetchPermanent),
        (410, FetchPermanent),
        (403, FetchPermanent),
        (401, FetchPermanent),
        (408, FetchTransient),
        (500, FetchTransient),
        (502, FetchTransient),
        (504, FetchTransient),
    ],
)
async def test_status_classification(server: ScriptedServer, code: int, error: type) -> None:
    async with Fetcher(POLICY) as fetcher:
        with pytest.raises(error, match=f"answered {code}"):
            await fetcher.fetch(server.url(f"/status/{code}"))


async def test_slow_server_trips_read_timeout(server: ScriptedServer) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with Fetcher(POLICY) as fetcher:
        with pytest.raises(FetchTransient, match="timed out"):
            await fetcher.fetch(server.url("/slow"))
    assert loop.time() - started < 4.0  # the server would take 5 s


async def test_trickle_trips_total_timeout(server: ScriptedServer) -> None:
    policy = replace(POLICY, read_timeout=10.0, total_timeout=0.5)
    async with Fetcher(policy) as fetcher:
        with pytest.raises(FetchTransient, match="timed out"):
            await fetcher.fetch(server.url("/slow"))


@pytest.mark.parametrize("path", ["/big", "/endless"])
async def test_body_over_limit_is_permanent(server: ScriptedServer, path: str) -> None:
    async with Fetcher(POLICY) as fetcher:
        with pytest.raises(FetchPermanent, match="larger than the limit"):
            await fetcher.fetch(server.url(path))


@pytest.mark.parametrize("path", ["/gzip", "/deflate"])
async def test_compressed_body_is_decoded(server: ScriptedServer, path: str) -> None:
    async with Fetcher(POLICY) as fetcher:
        result = await fetcher.fetch(server.url(path))
    assert result.body == (FEEDS_DIR / "heise__developer-news.atom").read_bytes()
    assert "gzip" in server.hits[0].headers["Accept-Encoding"]


async def test_gzip_bomb_is_refused(server: ScriptedServer) -> None:
    async with Fetcher(POLICY) as fetcher:
        with pytest.raises(FetchPermanent, match=r"decompressed response .* larger than the limit"):
            await fetcher.fetch(server.url("/gzip-bomb"))


async def test_cache_control_max_age_is_reported(server: ScriptedServer) -> None:
    async with Fetcher(POLICY) as fetcher:
        result = await fetcher.fetch(server.url("/cached"))
    assert result.cache_max_age == 900.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"cache-control": "max-age=60"}, 60.0),
        ({"cache-control": "public, s-maxage=300, max-age=60"}, 300.0),
        (
            {
                "expires": "Wed, 01 Jan 2020 01:00:00 GMT",
                "date": "Wed, 01 Jan 2020 00:00:00 GMT",
                "cache-control": "max-age=60",
            },
            3600.0,
        ),
        ({"expires": "0", "date": "Wed, 01 Jan 2020 00:00:00 GMT"}, None),
        ({"cache-control": "no-cache"}, None),
    ],
)
def test_cache_lifetime(headers: dict[str, str], expected: float | None) -> None:
    assert cache_lifetime(headers) == expected


async def test_connection_refused_is_transient() -> None:
    async with Fetcher(POLICY) as fetcher:
        with pytest.raises(FetchTransient, match="could not connect"):
            await fetcher.fetch("http://127.0.0.1:9/feed")


async def test_per_host_minimum_delay(server: ScriptedServer) -> None:
    policy = replace(POLICY, host_delay=0.15, host_concurrency=4)
    async with Fetcher(policy) as fetcher:
        await asyncio.gather(*(fetcher.fetch(server.url(BBC)) for _ in range(4)))
    starts = [h.at for h in server.hits]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 3
    assert min(gaps) >= 0.14


async def test_other_hosts_are_not_delayed(server: ScriptedServer) -> None:
    """127.0.0.1 and localhost are two hosts: each gets its own gate."""
    policy = replace(POLICY, host_delay=2.0)
    port = server.base.rsplit(":", 1)[1]
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with Fetcher(policy) as fetcher:
        await asyncio.gather(
            fetcher.fetch(server.url(BBC)), fetcher.fetch(f"http://localhost:{port}{BBC}")
        )
    assert loop.time() - started < 1.5
    assert len(server.hits) == 2
