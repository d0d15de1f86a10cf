"""When to check a feed next: adaptive to its publishing rate, polite, backing off on failure.

Pure functions: the clock (`now`) and the randomness (`rng`) are passed in, so a test can pin
both. All durations are in seconds.

On success the interval is the average gap between the feed's items over the last week
(busy feeds often, quiet ones rarely), never shorter than the feed's TTL, its Cache-Control
or Expires lifetime, a Retry-After or `min_interval`, and never longer than `max_interval`.
On failure the interval doubles with each consecutive failure from `min_interval` up to
`max_interval` and never stops: a broken feed is retried at the slowest rate until it recovers.
Jitter spreads feeds that would otherwise fall due at the same instant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

# The rate lives with the feed's stored state, which the store reads too; named here as well.
from pipeline.models import RATE_WINDOW as RATE_WINDOW
from pipeline.models import publishing_interval as publishing_interval

MAX_RETRY_AFTER = 24 * 3600.0
"""A Retry-After longer than this (or than max_interval, if larger) is capped."""
SUCCESS_JITTER = (0.85, 1.0)
"""Multiplier range for a successful check: early, never late, never before the floor."""
FAILURE_JITTER = (0.5, 1.0)
"""'Equal jitter' for backoff: half the delay is fixed, half random."""


def next_check(
    now: datetime,
    *,
    item_times: list[datetime],
    ttl_seconds: float | None = None,
    cache_max_age: float | None = None,
    retry_after: float | None = None,
    min_interval: float,
    max_interval: float,
    consecutive_failures: int = 0,
    rng: random.Random,
) -> datetime:
    """The time of the feed's next check; see the module docstring for the rules."""
    if consecutive_failures > 0:
        delay = backoff_delay(
            consecutive_failures, min_interval=min_interval, max_interval=max_interval, rng=rng
        )
        return now + timedelta(seconds=max(delay, _capped_retry_after(retry_after, max_interval)))
    floor = _floor(min_interval, max_interval, ttl_seconds, cache_max_age)
    rate = publishing_interval(item_times, now)
    base = _clamp(rate if rate is not None else max_interval, floor, max_interval)
    delay = max(base * rng.uniform(*SUCCESS_JITTER), floor)
    return now + timedelta(seconds=max(delay, _capped_retry_after(retry_after, max_interval)))


def backoff_delay(
    consecutive_failures: int, *, min_interval: float, max_interval: float, rng: random.Random
) -> float:
    """Exponential backoff with jitter: about min_interval * 2**(n-1), at most max_interval."""
    exponent = min(consecutive_failures - 1, 40)  # 2**40 intervals is past any sane maximum
    delay = min(max_interval, min_interval * 2.0**exponent)
    return max(min_interval, delay * rng.uniform(*FAILURE_JITTER))


@dataclass(frozen=True, slots=True)
class Failure:
    """What a failed poll leaves: the failure count, whether the feed now shows as failing,
    and when to try again."""

    failures: int
    failing: bool
    next_check_at: datetime


def after_failure(
    now: datetime,
    *,
    previous_failures: int,
    failing_after: int,
    retry_after: float | None,
    min_interval: float,
    max_interval: float,
    rng: random.Random,
) -> Failure:
    """Back off after a failed poll; past `failing_after` failures in a row the feed is
    failing and retried at the slowest rate (or later, if the server asked for more)."""
    failures = previous_failures + 1
    failing = is_failing(failures, failing_after)
    if failing:
        asked = min(retry_after or 0.0, max(max_interval, MAX_RETRY_AFTER))
        delay = max(max_interval * rng.uniform(*SUCCESS_JITTER), asked)
        return Failure(failures, True, now + timedelta(seconds=delay))
    when = next_check(
        now,
        item_times=[],
        retry_after=retry_after,
        min_interval=min_interval,
        max_interval=max_interval,
        consecutive_failures=failures,
        rng=rng,
    )
    return Failure(failures, False, when)


def interval_bounds(
    feed_min: float | None, feed_max: float | None, default_min: float, default_max: float
) -> tuple[float, float]:
    """A feed's own interval bounds, else the defaults; the maximum is never below the minimum."""
    low = float(feed_min or default_min)
    high = float(feed_max or default_max)
    return low, max(low, high)


def is_failing(consecutive_failures: int, threshold: int) -> bool:
    """A feed is shown as failing once it failed `threshold` times in a row."""
    return consecutive_failures >= max(1, threshold)


def _floor(
    min_interval: float, max_interval: float, ttl: float | None, cache_max_age: float | None
) -> float:
    """The earliest polite next check: the publisher's hints, within our bounds."""
    hints = [h for h in (ttl, cache_max_age) if h is not None and h > 0]
    return _clamp(max([min_interval, *hints]), min_interval, max_interval)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _capped_retry_after(retry_after: float | None, max_interval: float) -> float:
    if retry_after is None or retry_after <= 0:
        return 0.0
    return min(retry_after, max(max_interval, MAX_RETRY_AFTER))
