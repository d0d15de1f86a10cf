"""Brings up what a command needs: config checked, database migrated, Redis, and workers."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import structlog
from celery.signals import worker_ready
from kombu.transport.redis import Mutex, MutexHeld

from pipeline.alerts import subscriptions as subscription_rules
from pipeline.catalog import load_feeds
from pipeline.errors import NewsmonError
from pipeline.settings import Settings
from pipeline.store import claims as claim_store
from pipeline.store import feeds as feed_store
from pipeline.store.db import migrate, transaction
from workers.deps import Deps
from workers.process.embedded import EmbeddedRedis
from workers.process.supervise import Supervisor, newsmon_argv
from workers.queue.app import CPU_QUEUE, IO_QUEUE, app, configure

PREPARE_LOCK = "newsmon:lock:prepare"


def prepare(deps: Deps) -> None:
    """Validate every config file, migrate the database, mirror the config into it.

    A bad config entry raises ConfigError naming the file and line before anything starts.
    """
    s = deps.settings
    actors = deps.actors
    subscriptions = deps.config_subscriptions()
    feeds = load_feeds(s.feeds_file) if s.feeds_file.exists() else []
    # Processes starting together (two pollers, a worker and the API) would race to create
    # the same tables and config rows; one at a time, the later ones find everything done.
    with deps.redis.lock(PREPARE_LOCK, timeout=120, blocking_timeout=120):
        migrate(s.effective_database_url)
        with transaction(deps.sessions) as session:
            claim_store.sync_actors(session, actors)
            subscription_rules.sync_config(session, subscriptions)
            feed_store.sync_config_feeds(session, feeds)


def consuming_queues(timeout: float = 1.0, needed: set[str] | None = None) -> set[str]:
    """Queues that at least one live worker consumes (asks the workers over the broker).

    With `needed`, the first reply that covers them all ends the wait: a broadcast otherwise
    always waits the whole `timeout` for workers that may still answer.
    """
    if needed:
        first = app.control.inspect(timeout=timeout, limit=1).active_queues() or {}
        found = {q["name"] for queues in first.values() for q in queues}
        if needed <= found:
            return found
    replies = app.control.inspect(timeout=timeout).active_queues() or {}
    return {q["name"] for queues in replies.values() for q in queues}


@dataclass
class Runtime:
    """Context manager: Redis (embedded or configured) and, on demand, local workers."""

    settings: Settings
    embedded: EmbeddedRedis | None = None
    supervisor: Supervisor | None = None
    env: dict[str, str] = field(default_factory=dict)

    def __enter__(self) -> Runtime:
        if self.settings.uses_embedded_redis:
            self.embedded = EmbeddedRedis(self.settings.var_dir)
            url = self.embedded.start()
            self.settings = self.settings.model_copy(update={"redis_url": url})
            os.environ["NEWSMON_REDIS_URL"] = url
        configure(self.settings)
        self.env = {
            "NEWSMON_REDIS_URL": self.settings.redis_url or "",
            "NEWSMON_DATABASE_URL": self.settings.effective_database_url,
        }
        return self

    def start_workers(self, *, concurrency: int, wait: float = 120.0) -> None:
        """Start one local worker on both queues for the length of this command."""
        log_dir = (self.settings.var_dir / "logs").resolve()
        self.supervisor = Supervisor(out=sys.stderr, restart=False, log_dir=log_dir, verbose=False)
        queues = f"{CPU_QUEUE},{IO_QUEUE}"
        argv = newsmon_argv("worker", "--queues", queues, "--concurrency", str(concurrency))
        self.supervisor.add("worker", argv, env=self.env)
        self.supervisor.start()
        self.wait_for_queues({CPU_QUEUE, IO_QUEUE}, wait)

    def wait_for_queues(self, queues: set[str], wait: float) -> None:
        deadline = time.monotonic() + wait
        while not queues <= consuming_queues():
            if self.supervisor and not self.supervisor.alive():
                logs = ", ".join(str(self.supervisor.log_path(c)) for c in self.supervisor.children)
                raise RuntimeError(f"the local worker exited during start-up (its log: {logs})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no worker consumed {sorted(queues)} within {wait:.0f}s")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.supervisor is not None:
            self.supervisor.stop()
        if self.embedded is not None:
            self.embedded.stop()


def attach(settings: Settings) -> Settings:
    """Settings with a Redis URL for a standalone process (worker, poller, API, scheduler).

    With no URL configured, it joins the embedded Redis that `newsmon run` started; there
    being none is an error the operator can act on.
    """
    if not settings.uses_embedded_redis:
        configure(settings)
        return settings
    embedded = EmbeddedRedis(settings.var_dir)
    if not embedded.is_alive():
        raise NoRedis("no Redis: set NEWSMON_REDIS_URL, or start `newsmon run` first")
    os.environ["NEWSMON_REDIS_URL"] = embedded.url
    attached = settings.model_copy(update={"redis_url": embedded.url})
    configure(attached)
    return attached


class NoRedis(NewsmonError):
    """Neither a configured nor an embedded Redis is there."""


# A task taken by a worker sits in kombu's `unacked` hash until acknowledged. A worker that
# dies whole (SIGKILL, OOM, power loss) never gives it back, and kombu only restores it after
# the visibility timeout (an hour here). Tasks no live worker holds are lost; after this grace
# (far longer than the instant between a worker taking a task and listing it as reserved)
# they go back on their queue. Every task is idempotent, so a wrong guess costs a rerun.
LOST_TASK_GRACE = 15.0
LOST_TASK_EVERY = 5.0

log = structlog.get_logger("newsmon.runtime")


def _held_task_ids(timeout: float) -> set[str]:
    inspect = app.control.inspect(timeout=timeout)
    held: set[str] = set()
    for replies in (inspect.active(), inspect.reserved()):
        for tasks in (replies or {}).values():
            held.update(t["id"] for t in tasks if t.get("id"))
    return held


def restore_lost_tasks(grace: float = LOST_TASK_GRACE, timeout: float = 2.0) -> int:
    """Put back on their queue the tasks that dead workers took and never acknowledged.

    A task counts as lost when it has been unacknowledged for more than `grace` seconds and
    no live worker lists it as active or reserved. Returns how many were restored.
    """
    restored = 0
    with app.connection_for_write() as conn:
        channel: Any = conn.default_channel
        qos, client = channel.qos, channel.client
        # Asking every worker what it holds is the costly part (a broadcast, then waiting for
        # replies): ask only when some task has been unacknowledged for longer than `grace`.
        if not client.zrangebyscore(qos.unacked_index_key, 0, time.time() - grace, 0, 1):
            return 0
        held = _held_task_ids(timeout)
        try:
            with Mutex(client, qos.unacked_mutex_key, qos.unacked_mutex_expire):
                for tag in client.zrangebyscore(qos.unacked_index_key, 0, time.time() - grace):
                    raw = client.hget(qos.unacked_key, tag)
                    if raw is None or _task_id(raw) in held:
                        continue
                    qos.restore_by_tag(tag, client, leftmost=True)
                    restored += 1
        except MutexHeld:
            return 0
    if restored:
        log.warning("lost_tasks_restored", count=restored)
    return restored


def _task_id(raw: bytes) -> str | None:
    payload = json.loads(raw)[0]
    return (payload.get("headers") or {}).get("id")


def start_lost_task_sweeper(
    every: float = LOST_TASK_EVERY, grace: float = LOST_TASK_GRACE
) -> threading.Event:
    """Run `restore_lost_tasks` from a daemon thread until the returned event is set."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                restore_lost_tasks(grace)
            except Exception:  # the broker may be away for a while; try again next round
                log.warning("lost_task_sweep_failed", exc_info=True)

    threading.Thread(target=loop, name="lost-task-sweeper", daemon=True).start()
    return stop


@worker_ready.connect
def _sweep_lost_tasks(**_: Any) -> None:
    """Every `newsmon worker` recovers the tasks of workers that died whole (SIGKILL)."""
    start_lost_task_sweeper()
