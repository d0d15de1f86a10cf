"""One batch of articles as a job: sent to the ingest queue, waited for with a progress bar,
summed up in a table (`newsmon reprocess` and the seed corpus of `newsmon run`)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.models import ArticleIn
from pipeline.store import overview
from workers.deps import Deps
from workers.queue import progress
from workers.queue.app import app

console = Console(stderr=True, soft_wrap=True)


def submit_and_wait(
    deps: Deps, articles: Sequence[ArticleIn], *, alerts: bool, stall_timeout: float
) -> dict[str, int]:
    """Send the articles to the ingest queue in batches and wait, with a progress bar."""
    job = uuid.uuid4().hex
    size = max(1, deps.settings.extract_batch_size)
    for start in range(0, len(articles), size):
        batch = [a.to_json() for a in articles[start : start + size]]
        # By name: importing the task module would load every stage's code (delivery brings
        # aiohttp and apprise) into a command that only submits and waits.
        app.send_task("newsmon.ingest", (batch, job, {"force": True, "alerts": alerts}))
    return _wait(deps, job, len(articles), stall_timeout)


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
