"""Counts per reprocess job in Redis, so the CLI can show progress while workers run."""

from __future__ import annotations

import redis

from workers.metrics import int_hash

JOB_KEY = "newsmon:job:{}"
TERMINAL = ("unchanged", "duplicate", "processed", "failed")


def record(client: redis.Redis, job: str | None, outcome: str, n: int) -> None:
    """Add `n` articles (or alerts) with `outcome` to the job's counters."""
    if not job or n <= 0:
        return
    key = JOB_KEY.format(job)
    with client.pipeline() as pipe:
        pipe.hincrby(key, outcome, n)
        pipe.expire(key, 86400)
        pipe.execute()


def counts(client: redis.Redis, job: str) -> dict[str, int]:
    return int_hash(client, JOB_KEY.format(job))


def finished(counters: dict[str, int]) -> int:
    """Articles that reached the end of their way (any terminal outcome)."""
    return sum(counters.get(k, 0) for k in TERMINAL)
