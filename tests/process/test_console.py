"""`newsmon run` speaks to a person: status lines, one-line warnings, and a crash loop that
stops with one paragraph instead of restarting forever."""

from __future__ import annotations

import io
import re
import socket
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import wait_for
from tests.process.conftest import Background, alive, newsmon_cmd
from tests.process.test_run import service_dir  # noqa: F401  (fixture)
from workers.process.console import LineFilter
from workers.process.supervise import CrashLoop, Supervisor

pytestmark = pytest.mark.slow


def test_child_failing_at_import_stops_the_supervisor_with_its_error(tmp_path: Path) -> None:
    out = io.StringIO()
    supervisor = Supervisor(out=out, log_dir=tmp_path / "logs", verbose=False)
    broken = supervisor.add("worker-cpu", [sys.executable, "-c", "import newsmon_no_such_module"])
    healthy = supervisor.add("api", [sys.executable, "-c", "import time; time.sleep(120)"])
    supervisor.start()
    started = time.monotonic()
    with pytest.raises(CrashLoop) as caught:
        supervisor.watch(lambda: time.monotonic() - started > 60, poll=0.05)
    took = time.monotonic() - started
    supervisor.stop(10)
    assert healthy.process is not None and healthy.process.poll() is not None
    message = caught.value.explain()
    assert message.startswith("worker-cpu could not start")
    assert "3 times in a row" in message
    assert "ModuleNotFoundError: No module named 'newsmon_no_such_module'" in message
    assert "requirements.lock" in message  # the hint for a broken install
    assert str(tmp_path / "logs" / "worker-cpu.log") in message
    assert broken.restarts == 2
    # Back-off: 1 s then 2 s between the three starts, never a tight loop.
    assert 2.5 < took < 30, took
    log = (tmp_path / "logs" / "worker-cpu.log").read_text()
    assert log.count("ModuleNotFoundError") == 3


def test_run_stops_when_a_child_cannot_start(service_dir) -> None:  # noqa: F811
    cwd, env = service_dir
    with socket.socket() as taken:  # the API's port is held by someone else
        taken.bind(("127.0.0.1", int(env["NEWSMON_API_PORT"])))
        taken.listen()
        run = Background(newsmon_cmd("run", "--no-seeds"), env, cwd / "run.log", cwd=cwd)
        try:
            code = run.process.wait(150)
            pids = run.tree()
        finally:
            run.stop()
    text = run.text()
    assert code == 1, text[-3000:]
    assert text.count("could not start") == 1, text
    paragraph = text[text.index("api could not start") :]
    assert "address already in use" in paragraph.lower(), paragraph
    assert str(cwd / "var" / "logs" / "api.log") in paragraph
    assert "Hint:" in paragraph
    assert text.count("restarting api") == 2, text
    assert not alive(pids)


def test_run_console_shows_status_lines_not_worker_chatter(service_dir) -> None:  # noqa: F811
    cwd, env = service_dir
    env = {**env, "NEWSMON_RUN_STATUS_INTERVAL": "2"}
    run = Background(newsmon_cmd("run"), env, cwd / "run.log", cwd=cwd)
    try:
        run.wait_text("newsmon reprocess", 180)  # the seed summary
        pattern = re.compile(
            r"status \(last 2 s\): .*articles (\d+) in, (\d+) processed.*claims (\d+)"
        )

        def totals() -> tuple[int, int, int] | None:
            rows = [tuple(map(int, m.groups())) for m in pattern.finditer(run.text())]
            sums = tuple(sum(col) for col in zip(*rows, strict=False)) if rows else (0, 0, 0)
            return sums if sums[0] >= 1 and sums[1] >= 1 and sums[2] > 0 else None  # type: ignore[return-value]

        wait_for(totals, 30, what="a status line counting the seed article and its claims")
    finally:
        run.stop()
    text = run.text()
    assert "data: " in text and "API at http://127.0.0.1:" in text
    assert re.search(r"dashboard: http://127\.0\.0\.1:\d+/ui/login\?token=\S+", text), text
    assert "celery" not in text.lower() and "Task newsmon." not in text
    assert "Traceback" not in text
    worker_log = (cwd / "var" / "logs" / "worker-io.log").read_text()
    assert "newsmon.ingest" in worker_log  # the full structured log went to the file


def test_line_filter_shows_warnings_once_and_tracebacks_by_their_last_line() -> None:
    f = LineFilter()
    warning = '{"event": "feed_error", "level": "warning", "feed_id": 2, "error": "could not resolve the host"}'
    shown = f.feed("poller", warning)
    assert (
        shown is not None
        and "poller warning: feed_error - could not resolve the host (feed_id=2)" in shown
    )
    assert f.feed("poller", warning) is None  # the same trouble is not repeated every minute
    assert f.feed("worker-io", '{"event": "Task received", "level": "info"}') is None
    assert f.feed("worker-io", "Traceback (most recent call last):") is None
    assert f.feed("worker-io", '  File "x.py", line 1, in <module>') is None
    shown = f.feed("worker-io", "ValueError: bad thing")
    assert shown is not None and shown.endswith("worker-io error: ValueError: bad thing")
    assert f.feed("worker-io", " -------------- celery banner") is None
