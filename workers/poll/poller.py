"""The feed poller: an asyncio service that polls due feeds politely and enqueues new items.

For each due feed, concurrently within the Fetcher's global and per-host limits:
take the feed's lease in Redis -> conditional GET -> (an HTML page? discover its feed) ->
parse -> select the new and changed items -> enqueue them -> commit the feed's new state
(tombstones, validators, schedule) -> release the lease.

The per-feed round trips are shared by the feeds of a cycle (see `batch.Batcher`): leases
are taken and feeds read for many at once, and `writer.StateWriter` enqueues, commits and
releases whatever many feeds finished together.

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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

import redis
import structlog

from pipeline.feeds.fetch import Fetcher, FetchPolicy
from pipeline.feeds.parse import ParsedFeed
from pipeline.models import FeedInfo
from pipeline.settings import Settings
from pipeline.store import feeds as feed_store
from pipeline.store.db import Sessions
from workers import heartbeat, metrics
from workers.poll.batch import Batcher
from workers.poll.enqueue import CeleryEnqueuer, Enqueuer
from workers.poll.fetching import fetch_and_parse
from workers.poll.leases import LEASE_KEY, Leases
from workers.poll.outcome import Bounds, FeedOutcome, Polled
from workers.poll.writer import StateWriter

__all__ = ["LEASE_KEY", "CeleryEnqueuer", "CycleReport", "FeedOutcome", "PollConfig", "Poller"]

log = structlog.get_logger("newsmon.poller")

Claim = tuple[str | None, FeedInfo | None]
"""A feed's lease token (None: another poller holds it) and the feed as stored under it."""


@dataclass(frozen=True, slots=True)
class PollConfig:
    """The poller's settings, read once at the edge (WebSub's are read by `WebSub.for_poller`)."""

    min_interval: float = 60.0
    max_interval: float = 6 * 3600.0
    failing_after: int = 3
    lease_seconds: float = 300.0
    tick: float = 1.0

    @classmethod
    def from_settings(cls, s: Settings) -> PollConfig:
        return cls(
            min_interval=float(s.poll_min_interval),
            max_interval=float(s.poll_max_interval),
            failing_after=s.poll_failing_after,
            lease_seconds=s.poll_lease_seconds,
            tick=s.poll_tick,
        )

    @property
    def bounds(self) -> Bounds:
        return Bounds(self.min_interval, self.max_interval, self.failing_after)


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


class Poller:
    """Polls feeds; use as `async with Poller(...) as poller: await poller.run_once()`."""

    def __init__(
        self,
        sessions: Sessions,
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
        self.policy = policy or FetchPolicy()
        self.config = config or PollConfig()
        self.clock = clock
        self.leases = Leases(redis_client, self.config.lease_seconds)
        self.fetcher = Fetcher(self.policy)
        self.writer = StateWriter(
            sessions,
            enqueuer,
            self.leases,
            self.metrics,
            bounds=self.config.bounds,
            clock=clock,
            rng=rng or random.Random(),
            before_commit=before_commit,
        )
        self.websub: Any = None
        """A workers.poll.websub.WebSub when push is configured; set by the caller."""
        self._claims: Batcher[int, Claim] = Batcher(self._claim_many, "poll-claims")
        self._writes: Batcher[Polled, FeedOutcome] = Batcher(self.writer.write, "poll-writes")
        self._releases: Batcher[tuple[int, str], None] = Batcher(
            self._release_many, "poll-releases"
        )
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
        for batcher in (self._claims, self._writes, self._releases):
            batcher.close()

    # -- cycles: which feeds, how many at once

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

    # -- one feed: lease, then fetch and parse (`fetching`); the writer does the rest

    async def poll_feed(self, feed_id: int) -> FeedOutcome:
        """Poll one feed under its lease; never raises (a broken feed is recorded, not fatal)."""
        token, current = await self._claims.submit(feed_id)
        if token is None:
            return FeedOutcome(feed_id, "skipped")
        if current is None or not current.is_due(self.clock()):
            await self._releases.submit((feed_id, token))
            return FeedOutcome(feed_id, "skipped")
        polled = await fetch_and_parse(self.fetcher, current, token)
        outcome = await self._writes.submit(polled)
        if polled.parsed is not None and outcome.status != "error" and self.websub is not None:
            assert polled.fetched is not None
            url = polled.fetched.new_url or current.url
            await self.websub.maybe_subscribe(current, polled.parsed, url)
        return outcome

    def _claim_many(self, feed_ids: list[int]) -> list[Claim]:
        """Leases and, under them, the feeds as stored now (another poller may have polled
        them since the due list was read): one Redis round trip and one SELECT for all."""
        tokens = self.leases.acquire_many(feed_ids)
        held = [feed_id for feed_id, token in zip(feed_ids, tokens, strict=True) if token]
        infos: dict[int, FeedInfo] = {}
        if held:
            with self.sessions() as session:
                infos = feed_store.get_feed_infos(session, held)
        return [(t, infos.get(i) if t else None) for i, t in zip(feed_ids, tokens, strict=True)]

    def _release_many(self, held: list[tuple[int, str]]) -> list[None]:
        self.leases.release_many(held)
        return [None] * len(held)

    # -- WebSub

    def ingest_pushed(self, feed: FeedInfo, parsed: ParsedFeed) -> int:
        """Enqueue what a WebSub push brought and write its tombstones; the schedule stays."""
        return self.writer.ingest_pushed(feed, parsed)
