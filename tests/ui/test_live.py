"""The live page: an article sent through `newsmon reprocess` shows up within 5 seconds."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, WorkerProcess, settings_env
from tests.ui.conftest import Stack, shot
from tests.ui.test_pages import TIMEOUT, login

pytestmark = pytest.mark.slow

ARTICLE = """---
title: Belarus sends tanks to the Wagner Group
source: minsk-wire
url: https://minsk-wire.example/tanks
---
Belarus sent tanks to the Wagner Group on Monday, the Kremlin said.

The shipment crossed the border at night, officials in Kyiv said.
"""


def test_reprocessed_article_appears_on_the_live_page(
    page: Any, stack: Stack, tmp_path: Path
) -> None:
    env = settings_env(stack.settings)
    worker = WorkerProcess(env, tmp_path / "worker.log")
    try:
        worker.wait_ready()
        login(page, stack)
        page.goto(f"{stack.url}/ui/live")
        page.locator('#live-status[data-state="open"]').wait_for(timeout=TIMEOUT)
        article = tmp_path / "belarus.md"
        article.write_text(ARTICLE)
        done = subprocess.run(
            [sys.executable, "-m", "workers.cli.main", "reprocess", str(article)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        stored = time.monotonic()
        row = page.locator("#live-rows tr.live-claim", has_text="Belarus")
        row.first.wait_for(timeout=5_000)
        assert time.monotonic() - stored < 5
        alert = page.locator("#live-rows tr.live-alert", has_text="Wagner Group")
        alert.first.wait_for(timeout=5_000)
        shot(stack, page, "live")

        # "Send a test alert" goes through the real worker to the same live page.
        other = page.context.new_page()
        other.goto(f"{stack.url}/ui/subscriptions")
        other.locator("tr.subscription a", has_text="wagner-live").click()
        other.click("text=Send a test alert")
        other.locator("p.sent").wait_for(timeout=TIMEOUT)
        notice = page.locator("#live-rows tr.live-notice", has_text="test alert")
        notice.first.wait_for(timeout=10_000)
        other.reload()
        other.locator("table.deliveries tr.state-sent").first.wait_for(timeout=10_000)
    finally:
        worker.stop()
