"""The Prometheus collector of the API's /metrics: reads what `workers.metrics` keeps in Redis."""

from __future__ import annotations

from collections.abc import Iterator

import redis
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from workers.metrics import (
    BUCKETS,
    COUNTERS,
    DESCRIPTIONS,
    HISTOGRAM_DESCRIPTIONS,
    HISTOGRAMS,
    int_hash,
    text,
)


class RedisCollector(Collector):
    """Reads the counters, histograms and queue depths from Redis at scrape time."""

    def __init__(self, client: redis.Redis, queues: tuple[str, ...] = ("cpu", "io")) -> None:
        self.client = client
        self.queues = queues

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily | HistogramMetricFamily]:
        try:
            counters = int_hash(self.client, COUNTERS)
            depths = {q: int(self.client.llen(q)) for q in self.queues}
        except redis.RedisError:
            return
        for name, help_text in DESCRIPTIONS.items():
            metric = CounterMetricFamily(f"newsmon_{name}", help_text)
            metric.add_metric([], counters.get(name, 0))
            yield metric
        depth = GaugeMetricFamily(
            "newsmon_queue_depth", "Tasks waiting in a queue.", labels=["queue"]
        )
        for queue, n in depths.items():
            depth.add_metric([queue], n)
        yield depth
        for name, help_text in HISTOGRAM_DESCRIPTIONS.items():
            yield self._histogram(name, help_text)

    def _histogram(self, name: str, help_text: str) -> HistogramMetricFamily:
        raw = {text(k): float(v) for k, v in self.client.hgetall(HISTOGRAMS.format(name)).items()}
        running, buckets = 0.0, []
        for bound in [*map(str, BUCKETS), "+Inf"]:
            running += raw.get(bound, 0.0)
            buckets.append((bound, running))
        metric = HistogramMetricFamily(f"newsmon_{name}", help_text)
        metric.add_metric([], buckets, sum_value=raw.get("sum", 0.0))
        return metric
