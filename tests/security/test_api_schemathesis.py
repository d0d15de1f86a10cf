"""schemathesis against `/openapi.json` of a live API with a seeded key: no 5xx anywhere.

The CLI runs in a child process against uvicorn in this process, bounded by examples per
operation and a time budget. The SSE stream never ends, so it is left out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.conftest import LiveApi

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_no_server_error_on_generated_requests(live_api: LiveApi, tmp_path: Path) -> None:
    if not SCHEMATHESIS.exists():
        pytest.fail("schemathesis is not installed: it belongs in the test extra")
    key = live_api.key("fuzzer")
    argv = [
        str(SCHEMATHESIS),
        "run",
        f"{live_api.url}/openapi.json",
        "--header",
        f"X-API-Key: {key}",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        "15",
        "--max-time",
        "15",
        "--request-timeout",
        "10",
        "--seed",
        "8",
        "--exclude-path",
        "/alerts/stream",
        "--phases",
        "examples,coverage,fuzzing",
        "--no-color",
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    report = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert "operations" in report.lower() or "passed" in report.lower(), report
