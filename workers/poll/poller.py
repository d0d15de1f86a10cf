"""The feed poller: an asyncio service that polls due feeds politely and enqueues new items.

For each due feed, concurrently within the Fetcher's global and per-host limits:
take the feed's lease in Redis -> conditional GET -> (an HTML page? discover its feed) ->
parse -> select the new and changed items -> enqueue them -> commit the feed's new state
(tombstones, validators, schedule) -> release the lease.

Ordering contract: the state is committed only after the enqueue returned. A poller killed
in between leaves the old state (and its lease expires), so the next poller fetches and
enqueues the same items again; ingest is idempotent by URL key, so nothing is lost or doubled.
Two pollers never poll one feed in one interval: the lease decides who polls, and the winner
re-reads the feed under the lease, so a feed the other one just committed is no longer due.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Protocol, Self

import redis
import structlog
from sqlalchemy.orm import Session, sessionmaker

from pipeline.errors import FetchPermanent, NewsmonError, TransientError
from pipeline.feeds.discover import discover_feeds, looks_like_html
from pipeline.feeds.feedstate import (
    FeedInfo,
    Moving,
    article_for,
    merge_item_times,
    select_moving,
    wants_full_text,
)
from pipeline.feeds.fetch import Fetcher, FetchPolicy, FetchResult
from pipeline.feeds.parse import ParsedFeed, parse_feed
from pipeline.feeds.schedule import MAX_RETRY_AFTER, SUCCESS_JITTER, is_failing, next_check
from pipeline.models import ArticleIn
from pipeline.settings import Settings
from pipeline.store import feeds as feed_store
from pipeline.store.db import transaction
from workers import heartbeat, metrics

log = structlog.get_logger("newsmon.poller")

LEASE_KEY = "newsmon:poll:lease:{}"
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class Enqueuer(Protocol):
    """Where items go: the ingest queue, or the full-text queue first."""

    def articles(self, articles: Sequence[ArticleIn]) -> None: ...

    def full_text(self, article: ArticleIn) -> None: ...


class CeleryEnqueuer:
    """Sends articles to the Celery `ingest` task and page fetches to `fetch_full_text`."""

    def articles(self, articles: Sequence[ArticleIn]) -> None:
        from workers.queue.tasks import ingest

        ingest.delay([a.to_json() for a in articles])

    def full_text(self, article: ArticleIn) -> None:
        from workers.queue.fetch import fetch_full_text

        fetch_full_text.delay(article.to_json())


@dataclass(frozen=True, slots=True)
class PollConfig:
    """The poller's settings, read once at the edge."""

    min_interval: float = 60.0
    max_interval: float = 6 * 3600.0
    failing_after: int = 3
    lease_seconds: float = 300.0
    tick: float = 1.0
    websub_callback_url: str | None = None
    websub_lease_seconds: int = 10 * 86400
    websub_renew_before: float = 86400.0

    @classmethod
    def from_settings(cls, s: Settings) -> PollConfig:
        return cls(
            min_interval=float(s.poll_min_interval),
            max_interval=float(s.poll_max_interval),
            failing_after=s.poll_failing_after,
            lease_seconds=s.poll_lease_seconds,
            tick=s.poll_tick,
            websub_callback_url=s.websub_callback_url,
            websub_lease_seconds=s.websub_lease_seconds,
            websub_renew_before=s.websub_renew_before,
        )


def fetch_policy(s: Settings) -> FetchPolicy:
    return replace(FetchPolicy.from_settings(s), max_redirects=s.fetch_max_redirects)


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """How one feed's poll ended: new, unchanged, not_modified, error or skipped."""

    feed_id: int
    status: str
    enqueued: int = 0
    error: str | None = None


@dataclass
class CycleReport:
    """Counts of one cycle's outcomes, and the enqueued items."""

    outcomes: list[FeedOutcome] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(o.status for o in self.outcomes)

    @property
    def enqueued(self) -> int:
        return sum(o.enqueued for o in self.outcomes)


@dataclass(frozen=True, slots=True)
class _Fetched:
    result: FetchResult
    new_url: str | None
    """Where the feed is now: a permanent redirect's target or the feed a page linked."""


class Leases:
    """One poller at a time per feed: `SET key token NX PX`, released only by its holder."""

    def __init__(self, client: redis.Redis, seconds: float) -> None:
        self.client = client
        self.ms = max(1, int(seconds * 1000))
        self._release = client.register_script(_RELEASE)

    def acquire(self, feed_id: int) -> str | None:
        token = secrets.token_hex(8)
        ok = self.client.set(LEASE_KEY.format(feed_id), token, nx=True, px=self.ms)
        return token if ok else None

    def release(self, feed_id: int, token: str) -> None:
        try:
            self._release(keys=[LEASE_KEY.format(feed_id)], args=[token])
        except redis.RedisError:
            log.warning("lease_release_failed", feed_id=feed_id)  # it expires on its own


class Poller:
    """Polls feeds; use as `async with Poller(...) as poller: await poller.run_once()`."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        redis_client: redis.Redis,
        enqueuer: Enqueuer,
        *,
        policy: FetchPolicy | None = None,
        config: PollConfig | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        before_commit: Callable[[FeedInfo], None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.redis = redis_client
        self.metrics = metrics.Buffer(redis_client)
        self.enqueuer = enqueuer
        self.policy = policy or FetchPolicy()
        self.config = config or PollConfig()
        self.clock = clock
        self.rng = rng or random.Random()
        self.before_commit = before_commit
        self.leases = Leases(redis_client, self.config.lease_seconds)
        self.fetcher = Fetcher(self.policy)
        self.websub: Any = None
        """A workers.poll.websub.WebSub when push is configured; set by the caller."""
        self._inflight: dict[int, asyncio.Task[FeedOutcome]] = {}

    async def __aenter__(self) -> Self:
        await self.fetcher.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.fetcher.__aexit__(exc_type, exc, tb)

    # -- cycles

    async def run_once(self) -> CycleReport:
        """Poll every feed due now, concurrently; return when all are done."""
        due = await asyncio.to_thread(self._due, ())
        outcomes = await asyncio.gather(*(self.poll_feed(feed_id) for feed_id in due))
        await asyncio.to_thread(self.metrics.flush)
        return CycleReport(list(outcomes))

    async def run(self, stop: asyncio.Event) -> None:
        """Poll due feeds every `tick` seconds until `stop` is set; finish what is in flight."""
        limit = max(1, self.policy.concurrency * 2)
        while not stop.is_set():
            if len(self._inflight) < limit:
                due = await asyncio.to_thread(self._due, tuple(self._inflight))
                for feed_id in due[: limit - len(self._inflight)]:
                    self._start(feed_id)
            await asyncio.to_thread(heartbeat.beat, self.redis, "poller", 60.0)
            await asyncio.to_thread(self.metrics.flush)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.config.tick)
        if self._inflight:
            await asyncio.gather(*self._inflight.values(), return_exceptions=True)
        await asyncio.to_thread(self.metrics.flush)

    def _start(self, feed_id: int) -> None:
        task = asyncio.create_task(self.poll_feed(feed_id))
        self._inflight[feed_id] = task
        task.add_done_callback(lambda _: self._inflight.pop(feed_id, None))

    def _due(self, exclude: Sequence[int]) -> list[int]:
        with self.sessions() as session:
            return feed_store.due_feed_ids(session, self.clock(), exclude=exclude)

    # -- one feed

    async def poll_feed(self, feed_id: int) -> FeedOutcome:
        """Poll one feed under its lease; never raises (a broken feed is recorded, not fatal)."""
        token, current = await asyncio.to_thread(self._claim, feed_id)
        if token is None:
            return FeedOutcome(feed_id, "skipped")
        try:
            if current is None or not current.is_due(self.clock()):
                return FeedOutcome(feed_id, "skipped")
            return await self._poll_leased(current)
        finally:
            await asyncio.to_thread(self.leases.release, feed_id, token)

    def _claim(self, feed_id: int) -> tuple[str | None, FeedInfo | None]:
        """The feed's lease and, under it, the feed as stored now (another poller may have
        polled it since the due list was read)."""
        token = self.leases.acquire(feed_id)
        if token is None:
            return None, None
        with self.sessions() as session:
            return token, feed_store.get_feed_info(session, feed_id)

    async def _poll_leased(self, feed: FeedInfo) -> FeedOutcome:
        started = time.monotonic()
        try:
            fetched = await self._fetch(feed)
        except NewsmonError as exc:
            return await asyncio.to_thread(self._fail, feed, exc, time.monotonic() - started)
        try:
            elapsed = time.monotonic() - started
            outcome, parsed = await asyncio.to_thread(self._process, feed, fetched, elapsed)
        except NewsmonError as exc:
            return await asyncio.to_thread(self._fail, feed, exc)
        except Exception as exc:  # a bug or a store outage must not stop the other feeds
            log.exception("poll_failed", feed_id=feed.id, url=feed.url)
            return await asyncio.to_thread(self._fail, feed, exc)
        if parsed is not None and self.websub is not None:
            await self.websub.maybe_subscribe(feed, parsed, fetched.new_url or feed.url)
        return outcome

    async def _fetch(self, feed: FeedInfo) -> _Fetched:
        result = await self.fetcher.fetch(
            feed.url, etag=feed.etag, last_modified=feed.last_modified
        )
        new_url = result.permanent_redirect_to
        if result.body is not None and looks_like_html(result.body, result.content_type):
            chosen = self._choose_feed(feed, result)
            result = await self.fetcher.fetch(chosen)
            new_url = result.permanent_redirect_to or chosen
        return _Fetched(result, new_url)

    def _count_fetch(self, seconds: float | None) -> None:
        if seconds is not None:
            self.metrics.incr("feed_polls")
            self.metrics.observe("poll_latency_seconds", seconds)

    def _choose_feed(self, feed: FeedInfo, page: FetchResult) -> str:
        assert page.body is not None
        found = discover_feeds(page.body, page.url)
        if not found:
            raise FetchPermanent(f"{page.url} is an HTML page that links no feed")
        log.info("feed_discovered", feed_id=feed.id, page=page.url, chosen=found[0], found=found)
        return found[0]

    def _process(
        self, feed: FeedInfo, fetched: _Fetched, elapsed: float
    ) -> tuple[FeedOutcome, ParsedFeed | None]:
        """Parse, enqueue what moves, then commit the feed's state (in this order)."""
        self._count_fetch(elapsed)
        now, result = self.clock(), fetched.result
        if result.not_modified or result.body is None:
            self._commit(feed, fetched, None, [], now)
            return FeedOutcome(feed.id, "not_modified"), None
        parsed = parse_feed(result.body, url=result.url, content_type=result.content_type)
        moving = self.enqueue_items(feed, parsed, now)
        if self.before_commit is not None:
            self.before_commit(feed)
        self._commit(feed, fetched, parsed, moving, now)
        status = "new" if moving else "unchanged"
        log.info("feed_polled", feed_id=feed.id, items=len(parsed.items), enqueued=len(moving))
        return FeedOutcome(feed.id, status, len(moving)), parsed

    def enqueue_items(self, feed: FeedInfo, parsed: ParsedFeed, now: datetime) -> list[Moving]:
        """Enqueue the document's new and changed items, oldest first; return them."""
        with self.sessions() as session:
            seen = feed_store.seen_items(session, feed.id, [i.key for i in parsed.items])
        moving = select_moving(parsed.items, seen, now)
        direct: list[ArticleIn] = []
        for m in moving:
            article = article_for(m, feed, feed_title=parsed.title, feed_language=parsed.language)
            if wants_full_text(m.item, feed.full_text):
                self.enqueuer.full_text(article)
            else:
                direct.append(article)
        if direct:
            self.enqueuer.articles(direct)
        return moving

    def ingest_pushed(self, feed: FeedInfo, parsed: ParsedFeed) -> int:
        """Enqueue what a WebSub push brought and write its tombstones; the schedule stays."""
        moving = self.enqueue_items(feed, parsed, self.clock())
        with transaction(self.sessions) as session:
            feed_store.remember_items(session, feed.id, moving)
        return len(moving)

    def _commit(
        self,
        feed: FeedInfo,
        fetched: _Fetched,
        parsed: ParsedFeed | None,
        moving: list[Moving],
        now: datetime,
    ) -> None:
        times = None
        if parsed is not None:
            dated = [i.published or i.updated for i in parsed.items]
            times = merge_item_times(feed.item_times, [*dated, *_undated_firsts(moving)])
        result = fetched.result
        success = feed_store.Success(
            now=now,
            next_check_at=self._next_success(feed, result, parsed, times, now),
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
        with transaction(self.sessions) as session:
            if fetched.new_url and fetched.new_url != feed.url:
                self._move(session, feed, fetched.new_url)
            feed_store.remember_items(session, feed.id, moving)
            feed_store.record_success(session, feed.id, success)

    def _move(self, session: Session, feed: FeedInfo, new_url: str) -> None:
        moved = feed_store.move_feed(session, feed.id, new_url)
        log.info("feed_moved" if moved else "feed_move_refused", feed_id=feed.id, new_url=new_url)

    def _next_success(
        self,
        feed: FeedInfo,
        result: FetchResult,
        parsed: ParsedFeed | None,
        times: list[datetime] | None,
        now: datetime,
    ) -> datetime:
        low, high = self._bounds(feed)
        if feed.has_live_push(now):
            low = high  # push delivers; polling is the slow safety net
        ttl = parsed.ttl_seconds if parsed else feed.ttl_seconds
        return next_check(
            now,
            item_times=list(times if times is not None else feed.item_times),
            ttl_seconds=ttl,
            cache_max_age=result.cache_max_age,
            retry_after=result.retry_after,
            min_interval=low,
            max_interval=high,
            rng=self.rng,
        )

    def _bounds(self, feed: FeedInfo) -> tuple[float, float]:
        low = float(feed.min_interval or self.config.min_interval)
        high = float(feed.max_interval or self.config.max_interval)
        return low, max(low, high)

    def _fail(
        self, feed: FeedInfo, exc: BaseException, elapsed: float | None = None
    ) -> FeedOutcome:
        """Record a failed poll: back off, and past the threshold mark the feed failing."""
        self._count_fetch(elapsed)
        now = self.clock()
        error = str(exc) if isinstance(exc, NewsmonError) else f"{type(exc).__name__}: {exc}"
        failures = feed.consecutive_failures + 1
        failing = is_failing(failures, self.config.failing_after)
        retry_after = exc.retry_after if isinstance(exc, TransientError) else None
        low, high = self._bounds(feed)
        if failing:  # the slowest rate until it recovers, or later if the server asks
            asked = min(retry_after or 0.0, max(high, MAX_RETRY_AFTER))
            delay = max(high * self.rng.uniform(*SUCCESS_JITTER), asked)
            when = now + timedelta(seconds=delay)
        else:
            when = next_check(
                now,
                item_times=[],
                retry_after=retry_after,
                min_interval=low,
                max_interval=high,
                consecutive_failures=failures,
                rng=self.rng,
            )
        with transaction(self.sessions) as session:
            feed_store.record_failure(
                session,
                feed.id,
                error=error,
                now=now,
                next_check_at=when,
                failures=failures,
                failing=failing,
            )
        self.metrics.incr("feed_errors")
        log.warning("feed_error", feed_id=feed.id, url=feed.url, error=error, failures=failures)
        return FeedOutcome(feed.id, "error", error=error)


def _undated_firsts(moving: list[Moving]) -> list[datetime]:
    """First-seen times of new undated items: they count towards the publishing rate too."""
    return [m.first_seen for m in moving if not m.update and m.item.published is None]
