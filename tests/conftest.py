"""Shared fixtures: real Redis, real PostgreSQL, settings in a temp folder, a real Celery worker."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import psycopg
import pytest
import redis
from sqlalchemy.orm import Session, sessionmaker

from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_ADMIN = os.environ.get("NEWSMON_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_BASE = os.environ.get("NEWSMON_TEST_REDIS", "redis://127.0.0.1:6379")
# Our pipeline tests own these Redis databases and flush them; db 0 is left to others.
PIPELINE_DBS = (11, 12, 13, 14)


def wait_for(
    condition: Callable[[], object], timeout: float = 30.0, interval: float = 0.05, what: str = ""
) -> object:
    """Poll `condition` until it returns something truthy; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(interval)


@pytest.fixture(scope="session")
def redis_server() -> str:
    """Base URL of a live Redis: the machine's, or skip loudly if none answers."""
    try:
        redis.Redis.from_url(REDIS_BASE, socket_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"no Redis at {REDIS_BASE}: {exc} (CI starts one; see .ci/run)")
    return REDIS_BASE


def flushed_db(server: str, db: int) -> Iterator[str]:
    """A Redis database of one's own, flushed before and after (Celery's queue names have no
    prefix, so each test folder that runs workers uses its own database)."""
    url = f"{server}/{db}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """A flushed Redis database for one test."""
    yield from flushed_db(redis_server, PIPELINE_DBS[0])


@pytest.fixture(scope="session")
def pg_server() -> str:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            pass
    except psycopg.Error as exc:
        pytest.fail(f"no PostgreSQL at {PG_ADMIN}: {exc} (CI starts one; see .ci/run)")
    return PG_ADMIN


def pg_database(admin: str, prefix: str = "newsmon_test") -> Iterator[str]:
    """The URL of a new PostgreSQL database on the server of `admin`, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{admin.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    yield from pg_database(pg_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs a storage test on SQLite and again on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'newsmon.db'}"
    return request.getfixturevalue("pg_url")


def write_wagner_subscription(path: Path, alerts_file: Path) -> Path:
    """A subscriptions.yaml with one file-channel subscription to the Wagner Group."""
    path.write_text(
        "subscriptions:\n  - name: wagner-watch\n    owner: analyst\n"
        "    rule: {any_actors: [wagner-group]}\n    channel: file\n"
        f"    target: {alerts_file}\n"
    )
    return path


def migrated_sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on the settings' database, migrated first; the engine is disposed after."""
    from pipeline.store.db import make_engine, make_sessionmaker, migrate

    migrate(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    base: dict[str, object] = {
        "var_dir": tmp_path / "var",
        "database_url": f"sqlite:///{tmp_path / 'newsmon.db'}",
        "entities_file": ROOT / "config" / "entities.yaml",
        "feeds_file": tmp_path / "feeds.yaml",
        "subscriptions_file": ROOT / "config" / "subscriptions.yaml",
        "alerts_file": tmp_path / "alerts.jsonl",
    }
    base.update(overrides)
    return Settings(_env_file=None, **base)  # type: ignore[arg-type, call-arg]


def settings_env(settings: Settings) -> dict[str, str]:
    """The NEWSMON_* environment that makes a child process use `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        if isinstance(value, tuple | list):
            import json

            value = json.dumps(list(value))
        env[f"NEWSMON_{name.upper()}"] = str(value)
    return env


def newsmon_cmd(*args: str) -> list[str]:
    """The argv that runs `newsmon ARGS` with this interpreter."""
    return [sys.executable, "-m", "workers.cli.main", *args]


class Background:
    """A process in its own session with stdout+stderr in a log file."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT):
        self.log = log
        self.env = env
        self.handle = log.open("wb")
        self.process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=self.handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_text(self, needle: str, timeout: float = 90.0) -> None:
        wait_for(
            lambda: needle in self.text() or self.process.poll() is not None, timeout, what=needle
        )
        if needle not in self.text():
            pytest.fail(f"{self.log.name} exited before {needle!r}:\n{self.text()[-3000:]}")

    def tree(self) -> list[int]:
        """This process and every descendant, by pid."""
        try:
            me = psutil.Process(self.pid)
            return [self.pid, *(c.pid for c in me.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []

    def killpg(self) -> list[int]:
        pids = self.tree()
        os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(10)
        return pids

    def stop(self, timeout: float = 30.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, signal.SIGKILL)
                self.process.wait()
        self.handle.close()


class WorkerProcess(Background):
    """A real `newsmon worker` process in the background, with its output in a log file."""

    def __init__(
        self, env: dict[str, str], log: Path, queues: str = "cpu,io", concurrency: int = 2
    ):
        name = f"test-{uuid.uuid4().hex[:6]}@%h"
        argv = newsmon_cmd(
            "worker", "--queues", queues, "--concurrency", str(concurrency), "--name", name
        )
        super().__init__(argv, env, log)

    def wait_ready(self, timeout: float = 90.0) -> None:
        self.wait_text("ready.", timeout)


# CI runs the property tests on a fixed sequence of examples, so a red build is reproducible;
# locally every run explores new ones.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")
