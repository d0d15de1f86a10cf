"""`newsmon run`: every part of newsmon as supervised children of one process."""

from __future__ import annotations

import os
import sys
import threading

from rich.console import Console

from pipeline.seeds import iter_article_files, read_article
from pipeline.settings import Settings
from pipeline.store import overview
from workers import metrics
from workers.deps import Deps
from workers.process.batch import print_summary, submit_and_wait
from workers.process.console import Snapshot, status_line
from workers.process.runtime import Runtime, prepare
from workers.process.supervise import CrashLoop, Supervisor, newsmon_argv
from workers.queue import progress
from workers.queue.app import CPU_QUEUE, IO_QUEUE

console = Console(stderr=True, soft_wrap=True)


def say(message: str) -> None:
    console.print(f"[newsmon] {message}", markup=False, highlight=False, soft_wrap=True)


class Service:
    """Redis (embedded or configured), migrated database, workers, scheduler, poller and API."""

    def __init__(
        self,
        settings: Settings,
        *,
        api: bool = True,
        poll: bool = True,
        seeds: bool = True,
        verbose: bool = False,
    ):
        self.settings = settings
        self.api, self.poll, self.seeds, self.verbose = api, poll, seeds, verbose

    def children(self, supervisor: Supervisor, env: dict[str, str]) -> None:
        cores = self.settings.worker_concurrency or os.cpu_count() or 1
        supervisor.add(
            "worker-cpu",
            newsmon_argv(
                "worker", "--queues", CPU_QUEUE, "--concurrency", str(cores), "--name", "cpu@%h"
            ),
            env,
        )
        supervisor.add(
            "worker-io",
            newsmon_argv("worker", "--queues", IO_QUEUE, "--concurrency", "4", "--name", "io@%h"),
            env,
        )
        supervisor.add("scheduler", newsmon_argv("scheduler"), env)
        if self.poll:
            supervisor.add("poller", newsmon_argv("poll"), env)
        if self.api:
            supervisor.add("api", newsmon_argv("api"), env)

    def run(self, stop: threading.Event, *, stop_timeout: float = 30.0) -> int:
        """Start everything, process the seed corpus on first start, wait for `stop`.

        Returns the exit code: 0 after a requested stop, 1 when a child could not start.
        """
        code = 0
        with Runtime(self.settings) as runtime:
            deps = Deps(runtime.settings)
            prepare(deps)
            supervisor = Supervisor(
                out=sys.stderr,
                restart=True,
                log_dir=(runtime.settings.var_dir / "logs").resolve(),
                verbose=self.verbose,
            )
            self.children(supervisor, runtime.env)
            supervisor.start()
            runtime.supervisor = supervisor
            self._announce(runtime.settings)
            if self.seeds:
                threading.Thread(
                    target=self._seed_once, args=(deps, runtime, stop), daemon=True
                ).start()
            if not self.verbose:
                threading.Thread(target=self._report_status, args=(deps, stop), daemon=True).start()
            try:
                supervisor.watch(stop.is_set)
            except CrashLoop as crash:
                code = 1
                console.print(f"[newsmon] error: {crash.explain()}", markup=False, soft_wrap=True)
            finally:
                stop.set()
                say("stopping: workers finish or requeue their tasks...")
                supervisor.stop(stop_timeout)
                runtime.supervisor = None
                deps.close()
        say("stopped")
        return code

    def _announce(self, settings: Settings) -> None:
        where = settings.api_public_url or f"http://{settings.api_host}:{settings.api_port}"
        say(
            f"data: {settings.var_dir.resolve()} (logs in {(settings.var_dir / 'logs').resolve()}/)"
        )
        say(f"database: {settings.effective_database_url}")
        say(f"redis: {settings.redis_url}")
        if self.api:
            from workers.ui import dashboard_url

            say(f"API at {where} (docs {where}/docs, metrics {where}/metrics)")
            say(f"dashboard: {dashboard_url(settings)}")
        say("Ctrl-C or SIGTERM stops everything cleanly")

    def _seed_once(self, deps: Deps, runtime: Runtime, stop: threading.Event) -> None:
        """Process the seed corpus the first time the service starts on a database."""
        seeds_dir = self.settings.seeds_dir
        if not seeds_dir.is_dir():
            return
        with deps.sessions() as session:
            seen = overview.seed_articles(session)
        if seen:
            say(f"seed corpus already processed ({seen} articles); skipping")
            return
        articles = [read_article(p) for p in iter_article_files([seeds_dir])]
        try:
            runtime.wait_for_queues({CPU_QUEUE, IO_QUEUE}, wait=180)
        except RuntimeError as exc:
            say(f"seed corpus not processed: {exc}")
            return
        if stop.is_set():
            return
        say(f"first start: processing {len(articles)} seed article(s) from {seeds_dir}/")
        counts = submit_and_wait(deps, articles, alerts=True, stall_timeout=600)
        print_summary(deps, counts)
        done, failed = progress.finished(counts), counts.get("failed", 0)
        say(f"seed corpus processed: {done} of {len(articles)} article(s), {failed} failed")

    def _report_status(self, deps: Deps, stop: threading.Event) -> None:
        """One status line per `run_status_interval` seconds, from Redis and the database."""
        interval = self.settings.run_status_interval
        before = _snapshot(deps)
        while not stop.wait(interval):
            try:
                now = _snapshot(deps)
            except Exception as exc:  # a server away for a moment; say so, try next time
                say(f"status unavailable: {type(exc).__name__}: {exc}")
                continue
            line = status_line(before, now, interval)
            console.print(line, markup=False, highlight=False, soft_wrap=True)
            before = now


def _snapshot(deps: Deps) -> Snapshot:
    counters = metrics.int_hash(deps.redis, metrics.COUNTERS)
    queued = sum(int(deps.redis.llen(q)) for q in (CPU_QUEUE, IO_QUEUE))
    with deps.sessions() as session:
        statuses = overview.article_statuses(session)
        feeds, failing = overview.feed_health(session)
    processed = sum(n for s, n in statuses.items() if s not in ("pending", "failed"))
    return Snapshot(counters, feeds, failing, processed, queued)
