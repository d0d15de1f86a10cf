"""`newsmon run`: every part of newsmon as supervised children of one process."""

from __future__ import annotations

import os
import threading

from rich.console import Console
from sqlalchemy import func, select

from pipeline.seeds import iter_article_files, read_article
from pipeline.settings import Settings
from pipeline.store.tables import Article
from workers.app import CPU_QUEUE, IO_QUEUE
from workers.deps import Deps
from workers.reprocess import print_summary, submit_and_wait
from workers.runtime import Runtime, prepare
from workers.supervise import Supervisor, newsmon_argv

console = Console(stderr=True)


def say(message: str) -> None:
    console.print(f"[newsmon] {message}", markup=False, highlight=False)


class Service:
    """Redis (embedded or configured), migrated database, workers, scheduler, poller and API."""

    def __init__(
        self, settings: Settings, *, api: bool = True, poll: bool = True, seeds: bool = True
    ):
        self.settings = settings
        self.api, self.poll, self.seeds = api, poll, seeds

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

    def run(self, stop: threading.Event, *, stop_timeout: float = 30.0) -> None:
        """Start everything, process the seed corpus on first start, wait for `stop`."""
        with Runtime(self.settings) as runtime:
            deps = Deps(runtime.settings)
            prepare(deps)
            supervisor = Supervisor(restart=True)
            self.children(supervisor, runtime.env)
            supervisor.start()
            runtime.supervisor = supervisor
            self._announce(runtime.settings)
            if self.seeds:
                threading.Thread(
                    target=self._seed_once, args=(deps, runtime, stop), daemon=True
                ).start()
            try:
                supervisor.watch(stop.is_set)
            finally:
                say("stopping: workers finish or requeue their tasks...")
                supervisor.stop(stop_timeout)
                runtime.supervisor = None
                deps.close()
        say("stopped")

    def _announce(self, settings: Settings) -> None:
        where = f"http://{settings.api_host}:{settings.api_port}"
        say(f"database: {settings.effective_database_url}")
        say(f"redis: {settings.redis_url}")
        if self.api:
            say(f"API at {where} (docs {where}/docs, metrics {where}/metrics)")
        say("Ctrl-C or SIGTERM stops everything cleanly")

    def _seed_once(self, deps: Deps, runtime: Runtime, stop: threading.Event) -> None:
        """Process the seed corpus the first time the service starts on a database."""
        seeds_dir = self.settings.seeds_dir
        if not seeds_dir.is_dir():
            return
        with deps.sessions() as session:
            seen = session.scalar(
                select(func.count()).select_from(Article).where(Article.origin == "seed")
            )
        if seen:
            say(f"seed corpus already processed ({seen} articles); skipping")
            return
        articles = [read_article(p) for p in iter_article_files([seeds_dir])]
        runtime.wait_for_queues({CPU_QUEUE, IO_QUEUE}, wait=180)
        if stop.is_set():
            return
        console.print(
            f"[newsmon] first start: processing {len(articles)} seed article(s) from {seeds_dir}/"
        )
        counts = submit_and_wait(deps, articles, alerts=True, stall_timeout=600)
        print_summary(deps, counts)
