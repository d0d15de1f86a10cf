"""End to end: `newsmon reprocess seeds/` through a real Celery worker on a real Redis."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pipeline.store.db import make_engine, make_sessionmaker
from pipeline.store.tables import AlertRow, Article, ClaimRow, MentionRow
from tests.conftest import (
    ROOT,
    WorkerProcess,
    make_settings,
    settings_env,
    write_wagner_subscription,
)

pytestmark = pytest.mark.slow


def newsmon(
    *args: str, env: dict[str, str], cwd: Path = ROOT, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workers.cli.main", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def counts(database_url: str) -> dict[str, int]:
    sessions = make_sessionmaker(make_engine(database_url))
    with sessions() as s:
        return {
            "articles": s.scalar(select(func.count()).select_from(Article)) or 0,
            "claims": s.scalar(select(func.count()).select_from(ClaimRow)) or 0,
            "alerts": s.scalar(select(func.count()).select_from(AlertRow)) or 0,
            "mentions": s.scalar(select(func.count()).select_from(MentionRow)) or 0,
        }


@pytest.fixture
def pipeline_env(tmp_path: Path, redis_url: str):
    alerts = tmp_path / "alerts.jsonl"
    subs = tmp_path / "subscriptions.yaml"
    write_wagner_subscription(subs, alerts)
    settings = make_settings(tmp_path, redis_url=redis_url, subscriptions_file=subs)
    env = settings_env(settings)
    worker = WorkerProcess(env, tmp_path / "worker.log")
    worker.wait_ready()
    yield settings, env, alerts
    worker.stop()


def test_seed_article_through_real_worker(pipeline_env) -> None:
    settings, env, alerts = pipeline_env
    first = newsmon("reprocess", "seeds/", env=env)
    assert first.returncode == 0, first.stderr + first.stdout
    assert "articles" in first.stdout and "claims" in first.stdout

    sessions = make_sessionmaker(make_engine(settings.effective_database_url))
    with sessions() as s:
        actors = set(s.scalars(select(MentionRow.actor_id).where(MentionRow.actor_id.is_not(None))))
        claims = list(s.scalars(select(ClaimRow)))
    assert {"wagner-group", "north-korea", "yevgeny-prigozhin", "john-kirby"} <= actors
    supply = [
        c
        for c in claims
        if c.subject_id == "north-korea"
        and c.predicate in {"supply", "deliver"}
        and c.object_id == "wagner-group"
        and c.speaker_id in {"john-kirby", "white-house"}
    ]
    assert supply, [(c.subject_id, c.predicate, c.object_id, c.speaker_id) for c in claims]
    delivered = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert len(delivered) == 1 and delivered[0]["subscription"]["name"] == "wagner-watch"

    before = counts(settings.effective_database_url)
    second = newsmon("reprocess", "seeds/", env=env)
    assert second.returncode == 0, second.stderr
    assert counts(settings.effective_database_url) == before
    assert len(alerts.read_text().splitlines()) == 1


def test_reprocess_says_at_once_when_no_worker_consumes(tmp_path: Path, redis_server: str) -> None:
    settings = make_settings(tmp_path, redis_url=f"{redis_server}/13")
    started = time.monotonic()
    result = newsmon("reprocess", "seeds/", env=settings_env(settings), timeout=60)
    assert result.returncode != 0
    assert "no worker is consuming" in (result.stderr + result.stdout)
    assert time.monotonic() - started < 30


def test_embedded_default_needs_no_server(tmp_path: Path) -> None:
    """The README's first command: no Redis URL, so newsmon starts Redis and workers itself."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "config", tmp_path / "config")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env["NEWSMON_WORKER_CONCURRENCY"] = "1"
    result = newsmon("reprocess", "seeds/", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "newsmon reprocess" in result.stdout
    # A progress bar and a summary for the person; the worker's chatter goes to its log file.
    console = result.stdout + result.stderr
    assert "Task newsmon." not in console and "celery@" not in console.lower()
    assert "newsmon.ingest" in (tmp_path / "var" / "logs" / "worker.log").read_text()
    db = f"sqlite:///{tmp_path / 'var' / 'newsmon.db'}"
    assert counts(db)["claims"] > 0
    assert (tmp_path / "var" / "alerts.jsonl").exists()
    # The embedded Redis was shut down: nothing answers on its socket any more.
    sock = next((tmp_path / "var" / "redis").glob("*.sock"), None)
    assert sock is None or not _answers(sock)


def _answers(sock: Path) -> bool:
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False
