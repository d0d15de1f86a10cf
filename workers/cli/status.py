"""What `newsmon status` reports: queues, workers, failing feeds, dead deliveries."""

from __future__ import annotations

from typing import Any

from pipeline.settings import Settings
from pipeline.store import overview
from pipeline.store.db import is_current
from workers.deps import Deps
from workers.queue.app import CPU_QUEUE, IO_QUEUE, app


def collect(settings: Settings, ping_timeout: float = 1.0) -> dict[str, Any]:
    """A snapshot of the deployment, read from Redis, the workers and the database."""
    deps = Deps(settings)
    try:
        replies = app.control.ping(timeout=ping_timeout) or []
        workers = sorted(name for reply in replies for name in reply)
        report: dict[str, Any] = {
            "redis": settings.redis_url,
            "queue_cpu": deps.redis.llen(CPU_QUEUE),
            "queue_io": deps.redis.llen(IO_QUEUE),
            "workers_alive": workers,
        }
        with deps.sessions() as s:
            counts = overview.deployment_counts(s)
        report.update(
            database=settings.effective_database_url,
            migrations_current=is_current(deps.engine),
            **counts,
        )
        return report
    finally:
        deps.close()
