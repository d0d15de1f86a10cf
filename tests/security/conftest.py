"""Fixtures for the security tests: Redis db 9, the hostile feed server, CLI runs with peak RSS."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from pipeline.settings import Settings
from tests.conftest import ROOT, flushed_db, settings_env
from tests.poll.pollserver import queued
from tests.security import hostile

SECURITY_DB = 9
MEASURED = Path(__file__).with_name("measured.py")


@pytest.fixture
def security_redis(redis_server: str) -> Iterator[str]:
    """A flushed Redis database of its own (Celery's queue names have no prefix)."""
    yield from flushed_db(redis_server, SECURITY_DB)


@dataclass
class Servers:
    feeds: str
    """Base URL of the hostile feed server."""
    recorder: hostile.Recorder
    recorder_url: str
    secret_file: Path


@pytest.fixture
async def servers(tmp_path: Path) -> AsyncIterator[Servers]:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(hostile.SECRET)
    recorder = hostile.Recorder()
    rec = TestServer(hostile.build_recorder(recorder), host="127.0.0.1")
    await rec.start_server()
    rec_url = str(rec.make_url("")).rstrip("/")
    feeds = TestServer(hostile.build(secret_file, rec_url, MAX_BYTES), host="127.0.0.1")
    await feeds.start_server()
    try:
        yield Servers(str(feeds.make_url("")).rstrip("/"), recorder, rec_url, secret_file)
    finally:
        await feeds.close()
        await rec.close()


MAX_BYTES = 8 * 1024 * 1024


@dataclass
class CliRun:
    code: int
    output: str
    peak_rss_kib: int


async def run_cli(settings: Settings, *args: str, timeout: float = 60.0) -> CliRun:
    """Run `newsmon ARGS` in a child process while this loop keeps serving; report peak RSS."""
    rss_file = settings.var_dir / f"rss-{args[0]}.txt"
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(MEASURED),
        str(rss_file),
        *args,
        env=settings_env(settings),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    peak = int(rss_file.read_text()) if rss_file.exists() else 0
    return CliRun(proc.returncode or 0, out.decode(errors="replace"), peak)


def queued_articles(redis_url: str, queue: str = "io") -> list[dict[str, Any]]:
    """Every article in the `ingest` tasks waiting on a Celery queue (nothing consumes it)."""
    articles: list[dict[str, Any]] = []
    for task, args in reversed(queued(redis_url, queue)):  # newest first, as before
        if task == "newsmon.ingest":
            articles.extend(args[0])
        elif task == "newsmon.fetch_full_text":
            articles.append(args[0])
    return articles


@dataclass
class LiveApi:
    """A real API server (uvicorn in a thread) over SQLite and the security Redis db."""

    url: str
    deps: Any

    def key(self, owner: str) -> str:
        from pipeline.store import alerts as alert_store
        from pipeline.store.db import transaction

        with transaction(self.deps.sessions) as session:
            return alert_store.create_api_key(session, owner)


@pytest.fixture
def live_api(tmp_path: Path, security_redis: str) -> Iterator[LiveApi]:
    from tests.api.conftest import ThreadedUvicorn
    from tests.conftest import make_settings
    from workers.deps import Deps
    from workers.process.runtime import prepare
    from workers.queue.app import configure
    from workers.web import create_app

    settings = make_settings(tmp_path, redis_url=security_redis, alerts_allow_loopback=True)
    deps = Deps(settings)
    prepare(deps)
    deps.close()
    configure(settings)
    app = create_app(settings)
    server = ThreadedUvicorn(app)
    url = server.start()
    try:
        yield LiveApi(url, app.state.deps)
    finally:
        server.stop()
        app.state.deps.close()
