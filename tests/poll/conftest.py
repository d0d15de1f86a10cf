"""Fixtures for the poller tests: Redis db 13, a migrated SQLite store, the scripted server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pollserver import Script, build, poll_settings, running_poller
from sqlalchemy.orm import Session, sessionmaker

from pipeline.models import FeedSpec
from pipeline.settings import Settings
from pipeline.store import feeds as feed_store
from pipeline.store.db import transaction
from tests.conftest import flushed_db, migrated_sessions
from tests.feeds.fetchserver import ScriptedServer, serving
from workers.poll.poller import Poller

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
    return poll_settings(
        tmp_path,
        redis13,
        fetch_allow_loopback=True,
        fetch_read_timeout=1.0,
        fetch_max_bytes=1024 * 1024,
        poll_min_interval=60,
        poll_max_interval=3600,
        poll_failing_after=3,
        poll_lease_seconds=30.0,
    )


@pytest.fixture
def sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    yield from migrated_sessions(settings)


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
async def server(script: Script) -> AsyncIterator[ScriptedServer]:
    async with serving(lambda scripted: build(scripted, script)) as scripted:
        yield scripted


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def poller(
    settings: Settings, sessions: sessionmaker[Session], clock: Clock
) -> AsyncIterator[Poller]:
    async with running_poller(settings, sessions, seed=7, clock=clock) as instance:
        yield instance


def add_feeds(sessions: sessionmaker[Session], *urls: str, **spec: object) -> list[int]:
    ids = []
    with transaction(sessions) as session:
        for url in urls:
            ids.append(feed_store.add_feed(session, FeedSpec(url=url, **spec), origin="cli")[0])
    return ids
