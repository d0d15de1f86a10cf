"""Scale-out and operations: two nodes on separate queues, /metrics, status --json, JSON logs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from tests.conftest import wait_for
from tests.process.conftest import (
    Background,
    RedisServer,
    all_terminal,
    free_port,
    make_pipeline,
    newsmon,
    newsmon_cmd,
    statuses,
    worker,
    write_corpus,
)

pytestmark = pytest.mark.slow

N = 12


def _task_lines(log: str) -> list[dict]:
    lines = []
    for raw in log.splitlines():
        if raw.startswith("{"):
            event = json.loads(raw)
            if "Task newsmon." in event.get("event", "") and "succeeded" in event["event"]:
                lines.append(event)
    return lines


def test_two_nodes_share_the_work_and_operations_see_it(
    tmp_path: Path, private_redis: RedisServer, pg_url: str
) -> None:
    write_corpus(tmp_path / "corpus", N, words=150, seed=5)
    port = free_port()
    p = make_pipeline(
        tmp_path, private_redis.url, pg_url, log_format="json", api_port=port, extract_batch_size=4
    )
    a = worker(p.env, tmp_path / "a.log", "cpu", "a@%h")
    b = worker(p.env, tmp_path / "b.log", "io", "b@%h", concurrency=2)
    api = Background(newsmon_cmd("api"), p.env, tmp_path / "api.log")
    try:
        done = newsmon("reprocess", str(tmp_path / "corpus"), env=p.env, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        assert all_terminal(p.db, N), statuses(p.db)

        # Scale out: each node ran only its queue's tasks, and both ran some.
        on_a = {e["event"].split("[")[0].split()[-1] for e in _task_lines(a.text())}
        on_b = {e["event"].split("[")[0].split()[-1] for e in _task_lines(b.text())}
        assert on_a == {"newsmon.extract"}, on_a
        # Ingest deduplicates its own batch (the separate dedup hop only passed ids on).
        assert {"newsmon.ingest", "newsmon.match"} <= on_b, on_b
        assert "newsmon.extract" not in on_b

        # JSON logs: every task line carries task_id; article tasks carry article_id.
        lines = _task_lines(a.text()) + _task_lines(b.text())
        assert all(e.get("task_id") for e in lines)
        article_tasks = [
            e for e in lines if re.search(r"newsmon\.(dedup|extract|match)", e["event"])
        ]
        assert article_tasks and all(e.get("article_id") for e in article_tasks), article_tasks[:3]

        # /metrics: counters from the run and the queue depth gauge.
        wait_for(lambda: _get(f"http://127.0.0.1:{port}/healthz"), 60, 0.2, "api up")
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        metrics = dict(re.findall(r"^(newsmon_\w+(?:\{[^}]*\})?) (\S+)$", text, re.M))
        for name in ("newsmon_articles_ingested_total", "newsmon_claims_total"):
            assert float(metrics.get(name, 0)) > 0, (name, text[:2000])
        assert float(metrics.get("newsmon_articles_ingested_total", 0)) == N
        assert float(metrics.get("newsmon_alerts_total", 0)) > 0
        assert 'newsmon_queue_depth{queue="cpu"}' in metrics
        assert 'newsmon_queue_depth{queue="io"}' in metrics

        # newsmon status --json: both nodes alive, queues drained.
        status = newsmon("status", "--json", env=p.env, timeout=60)
        assert status.returncode == 0, status.stderr[-2000:]
        report = json.loads(status.stdout)
        alive = report["workers_alive"]
        assert any(w.startswith("a@") for w in alive) and any(w.startswith("b@") for w in alive)
        assert report["queue_cpu"] == 0 and report["queue_io"] == 0
        assert report["articles"] == N and report["migrations_current"] is True
    finally:
        api.stop()
        a.stop()
        b.stop()


def _get(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
