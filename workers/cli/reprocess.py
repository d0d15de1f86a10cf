"""`newsmon reprocess`: send article files through the real Celery pipeline and wait for it."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.models import ArticleIn
from pipeline.seeds import iter_article_files, read_article
from pipeline.settings import Settings
from pipeline.store import overview
from workers.deps import Deps
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


def submit_and_wait(
    deps: Deps, articles: Sequence[ArticleIn], *, alerts: bool, stall_timeout: float
) -> dict[str, int]:
    """Send the articles to the ingest queue in batches and wait, with a progress bar."""
    from workers.queue.tasks import ingest

    job = uuid.uuid4().hex
    size = max(1, deps.settings.extract_batch_size)
    for start in range(0, len(articles), size):
        batch = [a.to_json() for a in articles[start : start + size]]
        ingest.delay(batch, job, {"force": True, "alerts": alerts})
    return _wait(deps, job, len(articles), stall_timeout)


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


def _wait(deps: Deps, job: str, total: int, stall_timeout: float) -> dict[str, int]:
    columns = (TextColumn("processing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    last_done, last_change = -1, time.monotonic()
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("articles", total=total)
        while True:
            counts = progress.counts(deps.redis, job)
            done = progress.finished(counts)
            bar.update(task, completed=done)
            if done >= total:
                return counts
            if done != last_done:
                last_done, last_change = done, time.monotonic()
            elif time.monotonic() - last_change > stall_timeout:
                console.print(f"[red]no progress for {stall_timeout:.0f}s; giving up[/red]")
                return counts
            time.sleep(0.1)


def print_summary(deps: Deps, counts: dict[str, int]) -> None:
    with deps.sessions() as s:
        totals = overview.totals(s)
    table = Table(title="newsmon reprocess", show_header=True)
    table.add_column("")
    table.add_column("this run", justify="right")
    table.add_column("stored in total", justify="right")
    this_run = {
        "articles": progress.finished(counts),
        "duplicates": counts.get("duplicate", 0),
        "actors": None,
        "claims": None,
        "alerts": counts.get("alerts", 0),
    }
    for name, total in totals.items():
        run_value = this_run[name]
        table.add_row(name, "" if run_value is None else str(run_value), str(total))
    table.add_row("unchanged", str(counts.get("unchanged", 0)), "")
    table.add_row("failed", str(counts.get("failed", 0)), "")
    Console().print(table)
