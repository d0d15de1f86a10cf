"""The poller's state writer: the polls of many feeds -> enqueue -> one commit -> leases freed.

A batch is what the feeds of a cycle finished while the previous batch was being written.
For it: the tombstones of every document's keys in one read, the new and changed items of
every feed enqueued together, then one transaction for the tombstones, moves, successes and
failures of all, then the leases released in one Redis round trip. The ordering contract
holds per batch: nothing is committed before the enqueue returned. A batch that fails is
written again feed by feed, so a broken feed (or its bug) fails alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime

import structlog

from pipeline.errors import NewsmonError
from pipeline.feeds.feedstate import (
    Moving,
    article_for,
    select_moving,
    tombstones,
    wants_full_text,
)
from pipeline.feeds.parse import ParsedFeed
from pipeline.models import ArticleIn, FeedInfo, Seen
from pipeline.store import feeds as feed_store
from pipeline.store.db import Session, Sessions, transaction
from workers import metrics
from workers.poll.enqueue import Enqueuer
from workers.poll.leases import Leases
from workers.poll.outcome import (
    Bounds,
    FeedOutcome,
    Polled,
    error_text,
    failed_state,
    success_state,
)

log = structlog.get_logger("newsmon.poller")

ENQUEUE_CHUNK = 200
"""Articles per ingest task when a batch brings many feeds' items: one task call for many
feeds, yet a task small enough for one ingest transaction."""


class StateWriter:
    """Writes batches of polls (`write`); also the one-feed path of a WebSub push."""

    def __init__(
        self,
        sessions: Sessions,
        enqueuer: Enqueuer,
        leases: Leases,
        buffer: metrics.Buffer,
        *,
        bounds: Bounds,
        clock: Callable[[], datetime],
        rng: random.Random,
        before_commit: Callable[[FeedInfo], None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.enqueuer = enqueuer
        self.leases = leases
        self.metrics = buffer
        self.bounds = bounds
        self.clock = clock
        self.rng = rng
        self.before_commit = before_commit

    def write(self, batch: list[Polled]) -> list[FeedOutcome]:
        """Write a batch of polls and release their leases; never raises."""
        self._count_fetches(batch)
        try:
            return self._write(batch)
        except Exception:
            if len(batch) > 1:
                log.warning("poll_batch_failed", feeds=len(batch))
            return [self._write_alone(p) for p in batch]
        finally:
            self.leases.release_many([(p.feed.id, p.token) for p in batch])

    def _write_alone(self, polled: Polled) -> FeedOutcome:
        try:
            return self._write([polled])[0]
        except Exception as exc:  # a bug or a store outage must not stop the other feeds
            if not isinstance(exc, NewsmonError):
                log.exception("poll_failed", feed_id=polled.feed.id, url=polled.feed.url)
            failed = Polled(polled.feed, polled.token, error=exc)
            try:
                return self._write([failed])[0]
            except Exception:
                log.exception("poll_state_lost", feed_id=polled.feed.id)
                return FeedOutcome(polled.feed.id, "error", error=error_text(exc))

    def _write(self, batch: Sequence[Polled]) -> list[FeedOutcome]:
        now = self.clock()
        documents = [p for p in batch if p.error is None and p.parsed is not None]
        moving = self.enqueue_items([(p.feed, p.parsed) for p in documents if p.parsed], now)
        if self.before_commit is not None:
            for p in documents:
                self.before_commit(p.feed)
        successes, failures = [], []
        with transaction(self.sessions) as session:
            for p in batch:
                if p.error is not None:
                    failures.append((p.feed.id, failed_state(p.feed, p.error, now, *self._pace)))
                    continue
                moved = moving.get(p.feed.id, [])
                self._move(session, p)
                successes.append((p.feed.id, success_state(p, moved, now, *self._pace)))
            marks = [m for feed_id, ms in moving.items() for m in tombstones(feed_id, ms)]
            feed_store.remember_items(session, marks)
            feed_store.record_successes(session, successes)
            feed_store.record_failures(session, failures)
        return [self._outcome(p, moving, dict(failures)) for p in batch]

    @property
    def _pace(self) -> tuple[Bounds, random.Random]:
        return self.bounds, self.rng

    def _count_fetches(self, batch: Sequence[Polled]) -> None:
        for p in batch:
            if p.fetch_seconds is not None:
                self.metrics.incr("feed_polls")
                self.metrics.observe("poll_latency_seconds", p.fetch_seconds)

    def _outcome(
        self,
        polled: Polled,
        moving: dict[int, list[Moving]],
        failures: dict[int, feed_store.Failed],
    ) -> FeedOutcome:
        feed = polled.feed
        failed = failures.get(feed.id)
        if failed is not None:
            self.metrics.incr("feed_errors")
            log.warning(
                "feed_error",
                feed_id=feed.id,
                url=feed.url,
                error=failed.error,
                failures=failed.failures,
            )
            return FeedOutcome(feed.id, "error", error=failed.error)
        if polled.parsed is None:
            return FeedOutcome(feed.id, "not_modified")
        moved = len(moving.get(feed.id, ()))
        log.info("feed_polled", feed_id=feed.id, items=len(polled.parsed.items), enqueued=moved)
        return FeedOutcome(feed.id, "new" if moved else "unchanged", moved)

    def _move(self, session: Session, polled: Polled) -> None:
        feed, new_url = polled.feed, polled.fetched.new_url if polled.fetched else None
        if not new_url or new_url == feed.url:
            return
        moved = feed_store.move_feed(session, feed.id, new_url)
        log.info("feed_moved" if moved else "feed_move_refused", feed_id=feed.id, new_url=new_url)

    # -- enqueueing

    def enqueue_items(
        self, documents: Sequence[tuple[FeedInfo, ParsedFeed]], now: datetime
    ) -> dict[int, list[Moving]]:
        """Enqueue the new and changed items of every document (each feed's oldest first)
        with one tombstone read for all; return what moved, by feed id."""
        with self.sessions() as session:
            keys = {feed.id: [i.key for i in parsed.items] for feed, parsed in documents}
            seen = feed_store.seen_items_of(session, keys)
        moving: dict[int, list[Moving]] = {}
        direct: list[ArticleIn] = []
        for feed, parsed in documents:
            moved = moving[feed.id] = select_moving(parsed.items, seen.get(feed.id, _NONE), now)
            for m in moved:
                article = article_for(
                    m, feed, feed_title=parsed.title, feed_language=parsed.language
                )
                if wants_full_text(m.item, feed.full_text):
                    self.enqueuer.full_text(article)
                else:
                    direct.append(article)
        for start in range(0, len(direct), ENQUEUE_CHUNK):
            self.enqueuer.articles(direct[start : start + ENQUEUE_CHUNK])
        return moving

    def ingest_pushed(self, feed: FeedInfo, parsed: ParsedFeed) -> int:
        """Enqueue what a WebSub push brought and write its tombstones; the schedule stays."""
        moving = self.enqueue_items([(feed, parsed)], self.clock()).get(feed.id, [])
        with transaction(self.sessions) as session:
            feed_store.remember_items(session, tombstones(feed.id, moving))
        return len(moving)


_NONE: dict[str, Seen] = {}
