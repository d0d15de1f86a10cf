"""`newsmon run`: starts everything, processes the seeds once, stops cleanly, resumes."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, wait_for
from tests.process.conftest import Background, alive, free_port, newsmon_cmd, per_article

pytestmark = pytest.mark.slow

STOP_BOUND = 30.0  # seconds a clean stop may take (newsmon run's default --stop-timeout)


@pytest.fixture
def service_dir(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder laid out like a fresh checkout: config/ and seeds/, no feeds to poll."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "config", tmp_path / "config")
    # The shipped feeds are real publishers on the internet; tests stay on loopback.
    (tmp_path / "config" / "feeds.yaml").write_text("feeds: []\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update(NEWSMON_API_PORT=str(free_port()), NEWSMON_WORKER_CONCURRENCY="1")
    return tmp_path, env


def start(cwd: Path, env: dict[str, str], log: str) -> Background:
    run = Background(newsmon_cmd("run"), env, cwd / log, cwd=cwd)
    run.wait_text(f"API at http://127.0.0.1:{env['NEWSMON_API_PORT']}", 60)
    return run


def stop(run: Background) -> float:
    """SIGTERM `newsmon run`; every process it started must be gone within the bound."""
    pids = run.tree()
    assert len(pids) >= 6, f"expected run, redis, workers, scheduler, poller, api: {pids}"
    started = time.monotonic()
    os.kill(run.pid, signal.SIGTERM)
    code = run.process.wait(STOP_BOUND + 10)
    took = time.monotonic() - started
    wait_for(lambda: not alive(pids), 5, what="no orphan processes")
    assert code == 0, run.text()[-3000:]
    assert took < STOP_BOUND, f"stop took {took:.1f}s"
    run.stop()
    return took


def test_run_starts_processes_seeds_stops_and_resumes(service_dir) -> None:
    cwd, env = service_dir
    db = f"sqlite:///{cwd / 'var' / 'newsmon.db'}"
    base = f"http://127.0.0.1:{env['NEWSMON_API_PORT']}"
    run = start(cwd, env, "run1.log")
    try:
        run.wait_text("first start: processing 1 seed article", 90)
        run.wait_text("newsmon reprocess", 120)  # the summary table's title
        assert httpx.get(f"{base}/healthz", timeout=5).json() == {"status": "ok"}
        wait_for(lambda: httpx.get(f"{base}/readyz", timeout=5).status_code == 200, 30)
        ready = httpx.get(f"{base}/readyz", timeout=5).json()
        assert ready["ready"] is True, ready
        first = per_article(db)
        assert any(v.get("status") == "processed" and v["claims"] > 0 for v in first.values())
        for role in ("worker-cpu", "worker-io", "scheduler", "poller", "api"):
            log = cwd / "var" / "logs" / f"{role}.log"
            assert log.is_file() and log.stat().st_size > 0, f"no {role} log in var/logs/"
            assert f"[{role}" not in run.text(), f"{role} chatter on the console"
        took = stop(run)
        assert "stopped" in run.text()
    finally:
        run.stop()
    again = start(cwd, env, "run2.log")
    try:
        again.wait_text("seed corpus already processed", 60)
        assert per_article(db) == first
        stop(again)
    finally:
        again.stop()
    print(f"clean stop took {took:.1f}s")
