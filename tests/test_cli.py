"""The command line as a newcomer meets it: quick to start, clear errors, readable tables."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.alerts.channels import Delivery
from tests.conftest import ROOT, make_settings
from workers.deps import Deps


def newsmon(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    environ.update(NEWSMON_VAR_DIR=str(tmp_path / "var"), **env)
    return subprocess.run(
        [sys.executable, "-m", "workers.cli.main", *args],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_help_imports_none_of_the_heavy_parts() -> None:
    script = (
        "import runpy, sys\nsys.argv = ['newsmon', '--help']\n"
        "try:\n    runpy.run_module('workers.cli.main', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('celery', 'spacy', 'sqlalchemy', 'datasketch', 'aiohttp', 'alembic')\n"
        "print('HEAVY', [m for m in heavy if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert "reprocess" in done.stdout and "subscriptions" in done.stdout
    assert "HEAVY []" in done.stdout, done.stdout[-500:]


def test_extract_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    done = newsmon("extract", "missing.txt", tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: no such file: missing.txt"


def test_claims_for_an_unknown_actor_say_so_and_suggest(tmp_path: Path) -> None:
    done = newsmon("claims", "list", "--actor", "wagner", tmp_path=tmp_path)
    assert done.returncode == 2
    assert "unknown actor id 'wagner'" in done.stderr and "wagner-group" in done.stderr
    assert "Traceback" not in done.stderr


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def page_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feeds_add_refuses_an_unreachable_url_unless_forced(
    tmp_path: Path, page_server: str
) -> None:
    loopback = {"NEWSMON_FETCH_ALLOW_LOOPBACK": "1", "NEWSMON_FETCH_TOTAL_TIMEOUT": "5"}
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"  # nobody listens
    refused = newsmon("feeds", "add", closed, tmp_path=tmp_path, **loopback)
    assert refused.returncode == 1
    assert "cannot fetch" in refused.stderr and "--force" in refused.stderr
    listed = newsmon("feeds", "list", "--json", tmp_path=tmp_path)
    assert listed.stdout.strip() == ""
    forced = newsmon("feeds", "add", closed, "--force", tmp_path=tmp_path, **loopback)
    assert forced.returncode == 0 and "added anyway" in forced.stderr
    page = newsmon("feeds", "add", f"{page_server}/news", tmp_path=tmp_path, **loopback)
    assert page.returncode == 0, page.stderr
    assert f"its feed {page_server}/rss.xml will be polled" in page.stdout
    rows = [
        json.loads(line)
        for line in newsmon("feeds", "list", "--json", tmp_path=tmp_path).stdout.splitlines()
    ]
    assert [r["url"] for r in rows] == [closed, f"{page_server}/news"]
    table = newsmon("feeds", "list", tmp_path=tmp_path, COLUMNS="200").stdout
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{6}", table), table  # no raw microseconds
    assert "127.0.0.1" in table


def test_table_cells_show_times_to_the_minute_in_utc() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from workers.cli.listings import _cell

    paris = timezone(timedelta(hours=1))
    assert _cell(datetime(2026, 12, 2, 10, 5, 7, 123456, tzinfo=paris)) == "2026-12-02 09:05"
    assert _cell(datetime(2026, 12, 2, 9, 5, tzinfo=UTC)) == "2026-12-02 09:05"
    assert _cell(None) == ""


def test_a_relative_file_target_is_written_under_the_var_directory(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # wherever the process was started from
    settings = make_settings(tmp_path, var_dir=tmp_path / "data")
    result = (
        Deps(settings)
        .channels.get("file")
        .send(Delivery("d-1", 1, "alerts.jsonl", {"kind": "alert"}))
    )
    assert result.ok, result.detail
    assert (tmp_path / "data" / "alerts.jsonl").read_text().count("d-1") == 1
    assert not (tmp_path / "alerts.jsonl").exists()
