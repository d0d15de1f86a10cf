"""Commands start without loading what only a worker's first task needs (scipy, apprise)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_pipeline_imports_without_scipy_or_apprise() -> None:
    code = (
        "import sys, workers.cli.reprocess, workers.queue.tasks, workers.deps\n"
        "print(sorted(m for m in ('scipy', 'datasketch', 'apprise') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_reprocess_submits_without_the_stages_http_client_or_exporter() -> None:
    """`newsmon reprocess` only submits and waits: it loads neither the task module (every
    stage's code), aiohttp (the channels and the poller) nor prometheus_client (the API)."""
    code = (
        "import sys, workers.cli.main, workers.cli.reprocess, workers.process.batch\n"
        "heavy = ('workers.queue.tasks', 'aiohttp', 'prometheus_client', 'alembic')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
