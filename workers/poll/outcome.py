"""How one feed's poll ends, and the state it leaves: pure functions of the poll, no I/O."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from pipeline.errors import NewsmonError, TransientError
from pipeline.feeds.feedstate import Moving, merge_item_times
from pipeline.feeds.fetch import FetchResult
from pipeline.feeds.parse import ParsedFeed
from pipeline.feeds.schedule import after_failure, interval_bounds, next_check
from pipeline.models import FeedInfo
from pipeline.store import feeds as feed_store


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """How one feed's poll ended: new, unchanged, not_modified, error or skipped."""

    feed_id: int
    status: str
    enqueued: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    """A feed's document as fetched, and where the feed is now (a permanent redirect's target
    or the feed a page linked), when it moved."""

    result: FetchResult
    new_url: str | None


@dataclass(frozen=True, slots=True)
class Polled:
    """One leased feed's poll, ready to be written: fetched (parsed unless a 304) or failed."""

    feed: FeedInfo
    token: str
    fetched: Fetched | None = None
    parsed: ParsedFeed | None = None
    error: BaseException | None = None
    fetch_seconds: float | None = None
    """How long the fetch took, counted as a poll; None when the fetch was not the end."""


@dataclass(frozen=True, slots=True)
class Bounds:
    """The poller's default interval bounds (a feed may set its own) and failure threshold."""

    min_interval: float
    max_interval: float
    failing_after: int

    def of(self, feed: FeedInfo) -> tuple[float, float]:
        return interval_bounds(
            feed.min_interval, feed.max_interval, self.min_interval, self.max_interval
        )


def error_text(exc: BaseException) -> str:
    """The error as `feeds list` shows it: our own errors in their words, others by type."""
    return str(exc) if isinstance(exc, NewsmonError) else f"{type(exc).__name__}: {exc}"


def failed_state(
    feed: FeedInfo, exc: BaseException, now: datetime, bounds: Bounds, rng: random.Random
) -> feed_store.Failed:
    """Back off (see `schedule.after_failure`), honouring a Retry-After the error carries."""
    low, high = bounds.of(feed)
    failure = after_failure(
        now,
        previous_failures=feed.consecutive_failures,
        failing_after=bounds.failing_after,
        retry_after=exc.retry_after if isinstance(exc, TransientError) else None,
        min_interval=low,
        max_interval=high,
        rng=rng,
    )
    return feed_store.Failed(
        error_text(exc), now, failure.next_check_at, failure.failures, failure.failing
    )


def success_state(
    polled: Polled, moving: list[Moving], now: datetime, bounds: Bounds, rng: random.Random
) -> feed_store.Success:
    """Validators, hints, item times and the next check after a successful poll."""
    feed, parsed = polled.feed, polled.parsed
    assert polled.fetched is not None
    result = polled.fetched.result
    times = None
    if parsed is not None:
        dated = [i.published or i.updated for i in parsed.items]
        times = merge_item_times(feed.item_times, [*dated, *_undated_firsts(moving)])
    low, high = bounds.of(feed)
    if feed.has_live_push(now):
        low = high  # push delivers; polling is the slow safety net
    when = next_check(
        now,
        item_times=list(times if times is not None else feed.item_times),
        ttl_seconds=parsed.ttl_seconds if parsed else feed.ttl_seconds,
        cache_max_age=result.cache_max_age,
        retry_after=result.retry_after,
        min_interval=low,
        max_interval=high,
        rng=rng,
    )
    return feed_store.Success(
        now=now,
        next_check_at=when,
        etag=result.etag,
        last_modified=result.last_modified,
        not_modified=parsed is None,
        ttl_seconds=parsed.ttl_seconds if parsed else None,
        hub_url=parsed.hub_url if parsed else None,
        self_url=parsed.self_url if parsed else None,
        item_times=times,
        merged=parsed.merged if parsed else 0,
        skipped=parsed.skipped if parsed else 0,
    )


def _undated_firsts(moving: list[Moving]) -> list[datetime]:
    """First-seen times of new undated items: they count towards the publishing rate too."""
    return [m.first_seen for m in moving if not m.update and m.item.published is None]
