"""Fixtures for the poller tests: Redis db 13, a migrated SQLite store, the scripted server."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from aiohttp.test_utils import TestServer
from pollserver import Script, build
from sqlalchemy.orm import Session, sessionmaker

from pipeline.feeds.fetch import FetchPolicy
from pipeline.models import FeedSpec
from pipeline.settings import Settings
from pipeline.store import feeds as feed_store
from pipeline.store.db import transaction
from tests.conftest import flushed_db, make_settings, migrated_sessions
from tests.feeds.fetchserver import ScriptedServer
from workers.poll.poller import CeleryEnqueuer, PollConfig, Poller
from workers.queue.app import configure

POLLER_DB = 13


class Clock:
    """A clock the test moves by hand, so schedules can be checked without waiting."""

    def __init__(self) -> None:
        self.now = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def redis13(redis_server: str) -> Iterator[str]:
    yield from flushed_db(redis_server, POLLER_DB)


@pytest.fixture
def settings(tmp_path: Path, redis13: str) -> Settings:
    s = make_settings(
        tmp_path,
        redis_url=redis13,
        fetch_allow_loopback=True,
        fetch_read_timeout=1.0,
        fetch_total_timeout=3.0,
        fetch_max_bytes=1024 * 1024,
        poll_host_delay=0.0,
        poll_min_interval=60,
        poll_max_interval=3600,
        poll_failing_after=3,
        poll_lease_seconds=30.0,
    )
    configure(s)
    return s


@pytest.fixture
def sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    yield from migrated_sessions(settings)


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
async def server(script: Script) -> AsyncIterator[ScriptedServer]:
    scripted = ScriptedServer(base="")
    test_server = TestServer(build(scripted, script), host="127.0.0.1")
    await test_server.start_server()
    scripted.base = str(test_server.make_url("")).rstrip("/")
    try:
        yield scripted
    finally:
        await test_server.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def poller(
    settings: Settings, sessions: sessionmaker[Session], clock: Clock
) -> AsyncIterator[Poller]:
    client = redis.Redis.from_url(settings.redis_url or "")
    instance = Poller(
        sessions,
        client,
        CeleryEnqueuer(),
        policy=FetchPolicy.from_settings(settings),
        config=PollConfig.from_settings(settings),
        clock=clock,
        rng=random.Random(7),
    )
    async with instance:
        yield instance
    client.close()


def add_feeds(sessions: sessionmaker[Session], *urls: str, **spec: object) -> list[int]:
    ids = []
    with transaction(sessions) as session:
        for url in urls:
            ids.append(feed_store.add_feed(session, FeedSpec(url=url, **spec), origin="cli")[0])
    return ids
