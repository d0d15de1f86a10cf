"""Cluster-wide counters and histograms kept in Redis, exported by the API's /metrics.

Every worker, poller and API process adds to the same Redis hashes, so one scrape of
/metrics shows the whole deployment however many machines run workers; losing Redis
resets the counters (Prometheus handles counter resets) but no stored fact. The exporter
that reads them back is `workers.api.collector` (prometheus_client is imported there only).
"""

from __future__ import annotations

import contextlib
import threading
from collections import defaultdict

import redis

COUNTERS = "newsmon:metrics:counters"
HISTOGRAMS = "newsmon:metrics:hist:{}"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

DESCRIPTIONS = {
    "articles_ingested": "Articles stored by the ingest stage (new or changed).",
    "duplicates": "Articles found to be copies of an earlier original.",
    "claims": "Claims extracted and stored.",
    "alerts": "Alerts created.",
    "deliveries_sent": "Deliveries accepted by their channel.",
    "deliveries_failed": "Delivery attempts that failed (retrying or dead).",
    "feed_polls": "Feed fetches, by outcome.",
    "feed_errors": "Feed fetches that failed.",
    "articles_failed": "Articles whose processing failed.",
}
HISTOGRAM_DESCRIPTIONS = {
    "delivery_latency_seconds": "Seconds from an article's ingest to its alert's delivery.",
    "poll_latency_seconds": "Seconds one feed fetch took.",
}


def incr(client: redis.Redis, name: str, n: int = 1) -> None:
    """Add `n` to counter `name`; metrics never break the caller."""
    if n:
        with contextlib.suppress(redis.RedisError):
            client.hincrby(COUNTERS, name, n)


def observe(client: redis.Redis, name: str, value: float) -> None:
    """Record one observation in histogram `name`."""
    with contextlib.suppress(redis.RedisError), client.pipeline() as pipe:
        key = HISTOGRAMS.format(name)
        pipe.hincrby(key, _bucket(value), 1)
        pipe.hincrbyfloat(key, "sum", value)
        pipe.execute()


class Buffer:
    """Counts and observations kept in process and written to Redis in one pipeline.

    For hot loops (the poller touches thousands of feeds a minute): two Redis round trips
    per feed cost more CPU than the 304 they count. Thread-safe; `flush` is cheap when empty.
    """

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._lock = threading.Lock()
        self._counts: dict[str, int] = defaultdict(int)
        self._observed: dict[str, list[float]] = defaultdict(list)

    def incr(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._counts[name] += n

    def observe(self, name: str, value: float) -> None:
        with self._lock:
            self._observed[name].append(value)

    def flush(self) -> None:
        with self._lock:
            counts, self._counts = self._counts, defaultdict(int)
            observed, self._observed = self._observed, defaultdict(list)
        if not counts and not observed:
            return
        with contextlib.suppress(redis.RedisError), self.client.pipeline() as pipe:
            for name, n in counts.items():
                pipe.hincrby(COUNTERS, name, n)
            for name, values in observed.items():
                key = HISTOGRAMS.format(name)
                for value in values:
                    pipe.hincrby(key, _bucket(value), 1)
                pipe.hincrbyfloat(key, "sum", sum(values))
            pipe.execute()


def _bucket(value: float) -> str:
    return next((str(b) for b in BUCKETS if value <= b), "+Inf")


def int_hash(client: redis.Redis, key: str) -> dict[str, int]:
    """A Redis hash of counters, as text keys and int values."""
    return {text(k): int(v) for k, v in client.hgetall(key).items()}


def text(value: bytes | str) -> str:
    """A Redis reply as text."""
    return value.decode() if isinstance(value, bytes) else value
