"""Scheduling: publishing rate, publisher hints, bounds, jitter and backoff, table-driven."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.feeds.schedule import backoff_delay, is_failing, next_check, publishing_interval

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
MIN, MAX = 60.0, 6 * 3600.0


def every(seconds: float, count: int) -> list[datetime]:
    """Item times `seconds` apart, the newest just now."""
    return [NOW - timedelta(seconds=seconds * i) for i in range(count)]


def delay(**kwargs: object) -> float:
    """Seconds until the next check, for the worst (lowest) and a few random jitters."""
    args = {"item_times": [], "min_interval": MIN, "max_interval": MAX, "rng": random.Random(1)}
    args.update(kwargs)
    return (next_check(NOW, **args) - NOW).total_seconds()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "kwargs", "low", "high"),
    [
        ("busy: an item every 5 min", {"item_times": every(300, 500)}, 0.85 * 300, 300),
        ("hourly", {"item_times": every(3600, 100)}, 0.85 * 3600, 3600),
        ("every 3 h", {"item_times": every(3 * 3600, 50)}, 0.8 * 3 * 3600, 3 * 3600),
        ("one item a week: slowest", {"item_times": every(7 * 86400, 2)}, 0.85 * MAX, MAX),
        ("no items: slowest", {"item_times": []}, 0.85 * MAX, MAX),
        (
            "only old items: slowest",
            {"item_times": [NOW - timedelta(days=30)] * 20},
            0.85 * MAX,
            MAX,
        ),
        (
            "future dates are ignored",
            {"item_times": [NOW + timedelta(days=1)] * 50},
            0.85 * MAX,
            MAX,
        ),
        ("faster than min: min", {"item_times": every(5, 1000)}, MIN, MIN),
        ("TTL slows a busy feed", {"item_times": every(300, 500), "ttl_seconds": 1800}, 1800, 1800),
        ("TTL above max: max", {"item_times": every(300, 500), "ttl_seconds": 86400}, MAX, MAX),
        ("Cache-Control slows", {"item_times": every(300, 500), "cache_max_age": 900}, 900, 900),
        (
            "larger hint wins",
            {"item_times": every(300, 500), "ttl_seconds": 600, "cache_max_age": 1200},
            1200,
            1200,
        ),
        (
            "hint below the rate: rate",
            {"item_times": every(3600, 100), "ttl_seconds": 600},
            0.85 * 3600,
            3600,
        ),
        (
            "Retry-After on success",
            {"item_times": every(300, 500), "retry_after": 7200},
            7200,
            7200,
        ),
    ],
)
def test_successful_check(case: str, kwargs: dict[str, object], low: float, high: float) -> None:
    for seed in range(20):
        got = delay(rng=random.Random(seed), **kwargs)
        assert low - 1 <= got <= high + 1, (case, got)


@pytest.mark.parametrize(
    ("failures", "low", "high"),
    [
        (1, MIN, MIN),
        (2, MIN, 120),
        (3, 120, 240),
        (5, 480, 960),
        (10, MAX / 2, MAX),
        (1000, MAX / 2, MAX),
    ],
)
def test_failures_back_off_exponentially_and_never_stop(
    failures: int, low: float, high: float
) -> None:
    got = [delay(consecutive_failures=failures, rng=random.Random(s)) for s in range(30)]
    assert all(low <= g <= high for g in got), got
    if high > low:
        assert len(set(got)) > 1  # jittered


def test_retry_after_beats_backoff_but_is_capped() -> None:
    assert delay(consecutive_failures=1, retry_after=3600) == 3600
    assert delay(consecutive_failures=1, retry_after=10 * 86400) == 86400


def test_jitter_spreads_identical_feeds() -> None:
    times = {delay(item_times=every(3600, 100), rng=random.Random(s)) for s in range(50)}
    assert len(times) > 40


def test_publishing_interval() -> None:
    assert publishing_interval([], NOW) is None
    assert publishing_interval(every(3600, 169), NOW) == pytest.approx(3600, rel=0.01)
    # A feed that went quiet two days ago after a busy spell slows down.
    quiet = [t - timedelta(days=2) for t in every(600, 100)]
    assert publishing_interval(quiet, NOW) > 2 * 86400 / 100


def test_backoff_delay_is_bounded() -> None:
    rng = random.Random(3)
    assert all(
        MIN <= backoff_delay(n, min_interval=MIN, max_interval=MAX, rng=rng) <= MAX
        for n in range(1, 100)
    )


@pytest.mark.parametrize(
    ("failures", "threshold", "failing"),
    [(0, 3, False), (2, 3, False), (3, 3, True), (9, 3, True), (1, 0, True)],
)
def test_is_failing(failures: int, threshold: int, failing: bool) -> None:
    assert is_failing(failures, threshold) is failing
