"""WebSub through a local hub (subscribe, verify, signed and forged pushes) and full-text pages."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest
import redis
from conftest import Clock, add_feeds
from pollserver import Script, changing_feed, queued_articles
from sqlalchemy.orm import Session, sessionmaker

from pipeline.feeds.fetch import FetchPolicy
from pipeline.models import ArticleIn
from pipeline.settings import Settings
from pipeline.store.tables import Feed
from tests.feeds.fetchserver import ScriptedServer
from workers.poll.poller import Poller
from workers.poll.websub import WebSub, signature_ok
from workers.queue.fetch import complete, wait_host_turn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def websub(poller: Poller) -> AsyncIterator[WebSub]:
    port = free_port()
    instance = WebSub(
        poller,
        callback_base=f"http://127.0.0.1:{port}/websub",
        host="127.0.0.1",
        port=port,
        lease_seconds=3600,
        renew_before=600,
        max_bytes=1024 * 1024,
    )
    async with instance:
        poller.websub = instance
        yield instance


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    return f"{method}=" + hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()


async def test_websub_subscribe_verify_and_signed_push(
    poller: Poller,
    websub: WebSub,
    server: ScriptedServer,
    script: Script,
    sessions: sessionmaker[Session],
    clock: Clock,
    redis13: str,
) -> None:
    script.hub_url = server.url("/hub")
    (feed_id,) = add_feeds(sessions, server.url("/changing"), full_text=False)
    await poller.run_once()
    [request] = script.hub_requests
    callback = websub.callback_for(feed_id)
    assert request["hub.mode"] == "subscribe" and request["hub.callback"] == callback
    assert request["hub.topic"] == server.url("/changing")
    secret = request["hub.secret"]
    assert len(secret) >= 32

    async with aiohttp.ClientSession() as http:
        verify = {"hub.mode": "subscribe", "hub.challenge": "c-123", "hub.lease_seconds": "3600"}
        async with http.get(callback, params={**verify, "hub.topic": "http://evil.test/"}) as r:
            assert r.status == 404
        async with http.get(callback, params={**verify, "hub.topic": request["hub.topic"]}) as r:
            assert (r.status, await r.text()) == (200, "c-123")
        with sessions() as session:
            assert session.get_one(Feed, feed_id).websub_expires_at == clock.now + timedelta(
                seconds=3600
            )

        pushed = changing_feed(2)
        before = len(queued_articles(redis13))
        headers = {"X-Hub-Signature": sign(secret, pushed), "Content-Type": "application/rss+xml"}
        async with http.post(callback, data=pushed, headers=headers) as r:
            assert r.status == 202
        new = [a["title"] for a in queued_articles(redis13)[before:]]
        assert new == ["Beta falls further (edited)", "Gamma"]  # ingested at once

        forged = changing_feed(3).replace(b"Gamma", b"Forged")
        for signature in (sign("wrong-secret", forged), None, sign(secret, pushed, "sha1")):
            headers = {"X-Hub-Signature": signature} if signature else {}
            async with http.post(callback, data=forged, headers=headers) as r:
                assert r.status == 202  # 2xx per spec, content ignored
        assert len(queued_articles(redis13)) == before + 2

    # Push is live: polling slows to the safety-net rate, and no second subscription is sent.
    clock.now = clock.now + timedelta(seconds=300)
    with sessions() as session:
        session.get_one(Feed, feed_id).next_check_at = clock.now
        session.commit()
    await poller.run_once()
    with sessions() as session:
        gap = session.get_one(Feed, feed_id).next_check_at - clock.now
    assert gap >= timedelta(seconds=0.85 * 3600)
    assert len(script.hub_requests) == 1


@pytest.mark.parametrize(
    ("method", "ok"), [("sha1", True), ("sha256", True), ("sha512", True), ("md5", False)]
)
def test_signature_methods(method: str, ok: bool) -> None:
    body = b"<feed/>"
    header = f"{method}=" + hmac.new(b"s", body, getattr(hashlib, method)).hexdigest()
    assert signature_ok(header, "s", body) is ok
    assert signature_ok(header, "other", body) is False


ARTICLE = "bbc__obama-gun-laws-frustration.html"


async def test_full_text_replaces_the_summary_and_follows_canonical(
    server: ScriptedServer, settings: Settings, redis13: str
) -> None:
    teaser = ArticleIn(
        title="Obama",
        text="A short teaser.",
        summary="A short teaser.",
        url=server.url(f"/articles/{ARTICLE}"),
        feed_id=1,
    )
    client = redis.Redis.from_url(redis13)
    policy = FetchPolicy.from_settings(settings)
    try:
        done = await asyncio.to_thread(complete, teaser, client, policy)
        gone = replace(teaser, url=server.url("/articles/none.html"))
        missing = await asyncio.to_thread(complete, gone, client, policy)
    finally:
        client.close()
    assert len(done.text) > 1000 and "Obama" in done.text
    assert done.url == "http://www.bbc.com/news/world-us-canada-33646704"  # rel=canonical
    assert done.summary == "A short teaser."
    assert missing.text == "A short teaser."  # a 404 keeps the summary


def test_host_gate_spaces_requests_across_clients(redis13: str) -> None:
    first, second = redis.Redis.from_url(redis13), redis.Redis.from_url(redis13)
    try:
        assert wait_host_turn(first, "example.test", 0.3, limit=5) < 0.05
        started = time.monotonic()
        waited = wait_host_turn(second, "example.test", 0.3, limit=5)
        assert waited >= 0.2 and time.monotonic() - started >= 0.2
        assert wait_host_turn(second, "other.test", 0.3, limit=5) < 0.05
    finally:
        first.close()
        second.close()
