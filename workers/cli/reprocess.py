"""`newsmon reprocess`: send article files through the real Celery pipeline and wait for it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from pipeline.seeds import iter_article_files, read_article
from pipeline.settings import Settings
from workers.deps import Deps
from workers.process.batch import print_summary, submit_and_wait
from workers.process.runtime import Runtime, consuming_queues, prepare
from workers.queue import progress
from workers.queue.app import CPU_QUEUE, IO_QUEUE

console = Console(stderr=True, soft_wrap=True)


def reprocess_paths(
    settings: Settings, paths: Sequence[Path], *, alerts: bool, stall_timeout: float
) -> int:
    """Process every article file under `paths`; returns the exit code (0, or 1 on failures)."""
    articles = [read_article(p) for p in iter_article_files(paths)]
    if not articles:
        console.print("[yellow]no article files found[/yellow]")
        return 0
    with Runtime(settings) as runtime:
        deps = Deps(runtime.settings)
        try:
            prepare(deps)
            _ensure_workers(runtime)
            counts = submit_and_wait(deps, articles, alerts=alerts, stall_timeout=stall_timeout)
            print_summary(deps, counts)
        finally:
            deps.close()
        return 1 if counts.get("failed") or progress.finished(counts) < len(articles) else 0


def _ensure_workers(runtime: Runtime) -> None:
    needed = {CPU_QUEUE, IO_QUEUE}
    live = consuming_queues(needed=needed)
    if needed <= live:
        return
    if runtime.embedded is None:
        missing = ", ".join(sorted(needed - live))
        raise SystemExit(
            f"error: no worker is consuming the queue(s) {missing} "
            f"on {runtime.settings.redis_url}; "
            "start one with `newsmon worker` (or `newsmon run`)"
        )
    console.print("[dim]starting local workers for this run (embedded Redis)...[/dim]")
    concurrency = runtime.settings.worker_concurrency or os.cpu_count() or 1
    runtime.start_workers(concurrency=concurrency)
