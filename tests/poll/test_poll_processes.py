"""Real `newsmon poll --once` processes: two share the feeds, a killed one loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import redis
from conftest import add_feeds
from pollserver import Script, queued_articles
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pipeline.settings import Settings
from pipeline.store.tables import Feed, FeedItemSeen
from tests.conftest import ROOT, settings_env
from tests.feeds.fetchserver import ScriptedServer
from workers.cli.poll import PAUSE_ENV
from workers.poll.poller import LEASE_KEY, Poller


async def eventually(condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Wait for `condition` without blocking the loop the test's servers run on."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {condition}"
        await asyncio.sleep(0.05)


async def start_poller(settings: Settings, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "workers.cli.main",
        "poll",
        "--once",
        env={**settings_env(settings), **env},
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def finish(process: asyncio.subprocess.Process) -> str:
    out, _ = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode == 0, out.decode(errors="replace")[-3000:]
    return out.decode(errors="replace")


async def test_two_pollers_fetch_each_feed_once(
    server: ScriptedServer,
    script: Script,
    sessions: sessionmaker[Session],
    settings: Settings,
    redis13: str,
) -> None:
    script.delay = 0.3  # each fetch lasts long enough for both pollers to reach every feed
    paths = [f"/numbered/{n}" for n in range(6)]
    add_feeds(sessions, *(server.url(p) for p in paths), full_text=False)
    pollers = [await start_poller(settings) for _ in range(2)]
    outputs = await asyncio.gather(*(finish(p) for p in pollers))
    assert all("polled:" in out for out in outputs)
    assert {p: len(server.hits_for(p)) for p in paths} == dict.fromkeys(paths, 1)
    urls = [a["url"] for a in queued_articles(redis13)]
    assert len(urls) == len(set(urls)) == 12


async def test_poller_killed_between_enqueue_and_commit_loses_nothing(
    server: ScriptedServer,
    sessions: sessionmaker[Session],
    settings: Settings,
    redis13: str,
    poller: Poller,
    tmp_path: Path,
) -> None:
    (feed_id,) = add_feeds(sessions, server.url("/changing"), full_text=False)
    marker = tmp_path / "paused"
    short_lease = settings.model_copy(update={"poll_lease_seconds": 1.0})
    victim = await start_poller(short_lease, **{PAUSE_ENV: str(marker)})
    try:
        await eventually(marker.exists, 60)
        assert len(queued_articles(redis13)) == 2  # enqueued...
        with sessions() as session:  # ...but nothing committed yet
            assert session.get_one(Feed, feed_id).last_polled_at is None
        os.kill(victim.pid, signal.SIGKILL)
    finally:
        await victim.wait()
    assert victim.returncode == -signal.SIGKILL

    client = redis.Redis.from_url(redis13)
    await eventually(lambda: not client.exists(LEASE_KEY.format(feed_id)), 10)
    client.close()
    report = await poller.run_once()

    assert report.counts["new"] == 1 and report.enqueued == 2
    urls = [a["url"] for a in queued_articles(redis13)]
    assert urls == ["https://news.test/a", "https://news.test/b"] * 2
    with sessions() as session:
        seen = select(func.count()).select_from(FeedItemSeen).where(FeedItemSeen.feed_id == feed_id)
        assert session.scalar(seen) == 2
        assert session.get_one(Feed, feed_id).last_success_at is not None
