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
