"""SSRF guard on every outbound request: feeds, article pages, webhooks, Apprise targets.

A hostile DNS is played by a scripted `socket.getaddrinfo` (the system resolver every client
here goes through): it answers names under `.rebind.test` with the addresses a test scripts,
one answer per query, so a name can resolve to an allowed address first and an internal one
next (DNS rebinding). Real receivers on 127.0.0.1 record whatever reaches them.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.orm import Session, sessionmaker

from pipeline.alerts.channels import Delivery, get_channel
from pipeline.feeds.fetch import Fetcher, FetchPolicy
from pipeline.feeds.netguard import UnsafeTarget
from pipeline.models import ArticleIn, FeedSpec
from pipeline.settings import Settings
from pipeline.store import feeds as feed_store
from pipeline.store.db import transaction
from tests.conftest import migrated_sessions
from tests.poll import pollserver
from tests.security.hostile import FEEDS_DIR

BBC = (FEEDS_DIR / "bbc__uk-politics-2018.xml").read_bytes()


class ScriptedDNS:
    """Answers `*.rebind.test` from a script (the last answer repeats); other names as usual."""

    def __init__(self) -> None:
        self.answers: list[list[str]] = []
        self.queries: list[str] = []
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if not str(host).endswith(".rebind.test"):
            return self._real(host, port, *args, **kwargs)
        self.queries.append(str(host))
        addresses = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        number = int(port) if str(port).isdigit() else 0
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, number)) for address in addresses
        ]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> ScriptedDNS:
    scripted = ScriptedDNS()
    monkeypatch.setattr(socket, "getaddrinfo", scripted)
    return scripted


class Receiver:
    """A real HTTP server on 127.0.0.1 that records every request and serves a feed."""

    def __init__(self) -> None:
        self.hits: list[tuple[str, str, bytes]] = []
        self.port = 0

    def app(self) -> web.Application:
        async def anything(request: web.Request) -> web.Response:
            self.hits.append((request.method, request.path, await request.read()))
            if request.path == "/to-metadata":
                return web.Response(status=302, headers={"Location": "http://169.254.169.254/"})
            if request.path == "/article":
                return web.Response(text=ARTICLE_PAGE, content_type="text/html")
            return web.Response(body=BBC, content_type="application/rss+xml")

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", anything)
        return app


ARTICLE_PAGE = (
    "<html><head><title>A page</title></head><body><article><h1>Headline</h1>"
    + "".join(
        f"<p>Paragraph {i} of the main text says that witness {i} saw {i * 7} convoys pass "
        f"the border crossing near the river before dawn on day {i}.</p>"
        for i in range(20)
    )
    + "</article></body></html>"
)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    recv = Receiver()
    server = TestServer(recv.app(), host="127.0.0.1")
    await server.start_server()
    recv.port = server.port or 0
    try:
        yield recv
    finally:
        await server.close()


# -- feeds through the Fetcher


async def test_fetcher_connects_to_the_checked_address_only(
    dns: ScriptedDNS, receiver: Receiver
) -> None:
    """First answer loopback (allowed here), every later answer private: the first fetch
    goes to 127.0.0.1; a new name answering 10.0.0.1 is refused before any connection."""
    dns.answers = [["127.0.0.1"], ["10.0.0.1"]]
    policy = FetchPolicy(allow_loopback=True, host_delay=0.0, total_timeout=3.0)
    async with Fetcher(policy) as fetcher:
        result = await fetcher.fetch(f"http://feed.rebind.test:{receiver.port}/feed.xml")
        assert result.body == BBC
        with pytest.raises(UnsafeTarget, match=r"resolves to 10\.0\.0\.1, a private address"):
            await fetcher.fetch(f"http://other.rebind.test:{receiver.port}/feed.xml")
    assert [path for _, path, _ in receiver.hits] == ["/feed.xml"]
    assert dns.queries == ["feed.rebind.test", "other.rebind.test"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (["169.254.169.254"], "cloud metadata"),
        (["10.1.2.3"], "private"),
        (["172.16.0.9"], "private"),
        (["192.168.1.1"], "private"),
        (["169.254.10.10"], "link-local"),
        (["224.0.0.1"], "multicast"),
        (["240.0.0.1"], "reserved"),
        (["0.0.0.0"], "unspecified"),
        (["127.0.0.1"], "loopback"),
    ],
)
async def test_fetcher_refuses_names_resolving_inside(
    dns: ScriptedDNS, answer: list[str], reason: str
) -> None:
    dns.answers = [answer]
    async with Fetcher(FetchPolicy(allow_loopback=False, host_delay=0.0)) as fetcher:
        with pytest.raises(UnsafeTarget, match=f"a {reason} address"):
            await fetcher.fetch("http://inside.rebind.test/feed.xml")


# -- the poller: loopback refused unless the setting allows it


@pytest.fixture
def poll_settings(tmp_path: Path, security_redis: str) -> Settings:
    return pollserver.poll_settings(
        tmp_path, security_redis, fetch_allow_loopback=False, poll_failing_after=1
    )


@pytest.fixture
def sessions(poll_settings: Settings) -> Iterator[sessionmaker[Session]]:
    yield from migrated_sessions(poll_settings)


async def poll_once(settings: Settings, sessions: sessionmaker[Session], urls: list[str]) -> dict:
    with transaction(sessions) as session:
        for url in urls:
            feed_store.add_feed(session, FeedSpec(url=url), origin="cli")
    async with pollserver.running_poller(settings, sessions, seed=3) as poller:
        await poller.run_once()
    with sessions() as session:
        return {f.url: (f.failing, f.last_error) for f in feed_store.list_feeds(session)}


async def test_loopback_feed_is_refused_and_failing_without_the_setting(
    poll_settings: Settings, sessions: sessionmaker[Session], receiver: Receiver, dns: ScriptedDNS
) -> None:
    dns.answers = [["10.0.0.7"]]
    literal = f"http://127.0.0.1:{receiver.port}/feed.xml"
    named = f"http://localhost:{receiver.port}/feed.xml"
    rebound = f"http://feed.rebind.test:{receiver.port}/feed.xml"
    state = await poll_once(poll_settings, sessions, [literal, named, rebound])
    assert state[literal] == (True, "refused to connect to 127.0.0.1: it is a loopback address")
    failing, error = state[named]
    assert failing and "refused" in error and "loopback address" in error
    failing, error = state[rebound]
    assert failing and "resolves to 10.0.0.7, a private address" in error
    assert receiver.hits == []


# -- article pages (the full-text task)


async def test_article_pages_are_guarded_and_the_summary_is_kept(
    receiver: Receiver, security_redis: str
) -> None:
    from workers.queue.fetch import complete

    article = ArticleIn(title="t", text="", summary="the feed's summary", url="")
    client = redis.Redis.from_url(security_redis)
    base = f"http://127.0.0.1:{receiver.port}"
    try:
        allowed = FetchPolicy(allow_loopback=True, host_delay=0.0, total_timeout=3.0)
        refused = FetchPolicy(allow_loopback=False, host_delay=0.0, total_timeout=3.0)
        cases = [
            (f"{base}/article", allowed, True),
            (f"{base}/article", refused, False),
            (f"{base}/to-metadata", allowed, False),
        ]
        for url, policy, fetched in cases:
            page = ArticleIn(**{**article.to_json(), "url": url})  # type: ignore[arg-type]
            done = await asyncio.to_thread(complete, page, client, policy)
            assert ("main text" in done.text) is fetched, (url, policy.allow_loopback)
            assert done.summary == "the feed's summary"
    finally:
        client.close()
    assert [path for _, path, _ in receiver.hits] == ["/article", "/to-metadata"]


# -- webhooks and Apprise targets


def delivery(target: str, *, allow_loopback: bool = True) -> Delivery:
    payload = {"summary": "North Korea supplies Wagner", "story": {"title": "t"}}
    return Delivery(
        delivery_id="msg_ssrf",
        subscription_id=1,
        target=target,
        payload=payload,
        timeout=3.0,
        allow_loopback=allow_loopback,
    )


async def test_webhook_registered_then_rebound_is_refused(
    dns: ScriptedDNS, receiver: Receiver
) -> None:
    """Checked at registration (loopback, allowed in tests), rebound to metadata when sent."""
    channel = get_channel("webhook")
    target = f"http://hook.rebind.test:{receiver.port}/hook"
    dns.answers = [["127.0.0.1"], ["127.0.0.1"], ["169.254.169.254"]]
    await channel.validate_target_async(target, allow_loopback=True)  # type: ignore[attr-defined]
    first = await channel.send_async(delivery(target))  # type: ignore[attr-defined]
    assert first.ok, first
    second = await channel.send_async(delivery(target))  # type: ignore[attr-defined]
    assert not second.ok and not second.retryable
    assert "169.254.169.254, a cloud metadata address" in second.detail
    assert [path for _, path, _ in receiver.hits] == ["/hook"]


async def test_apprise_target_rebound_between_check_and_send_is_refused(
    dns: ScriptedDNS, receiver: Receiver
) -> None:
    """Apprise opens its own connections: the guard sits in name resolution while it sends."""
    channel = get_channel("apprise")
    target = f"json://hook.rebind.test:{receiver.port}/hook"
    dns.answers = [["127.0.0.1"], ["127.0.0.1"], ["127.0.0.1"], ["10.9.8.7"]]
    ok = await asyncio.to_thread(channel.send, delivery(target))
    assert ok.ok, ok
    assert json.loads(receiver.hits[0][2])["title"] == "North Korea supplies Wagner"
    # The pre-send check still sees loopback; the connection's own look-up gets 10.9.8.7.
    dns.answers = [["127.0.0.1"], ["10.9.8.7"]]
    refused = await asyncio.to_thread(channel.send, delivery(target))
    assert not refused.ok and not refused.retryable, refused
    assert "10.9.8.7, a private address" in refused.detail
    assert len(receiver.hits) == 1


async def test_email_smtp_host_resolving_inside_is_refused(dns: ScriptedDNS) -> None:
    dns.answers = [["169.254.169.254"]]
    result = await asyncio.to_thread(
        get_channel("email").send,
        delivery("smtp://mail.rebind.test:2525/?to=analyst@example.org"),
    )
    assert not result.ok and "metadata" in result.detail, result
