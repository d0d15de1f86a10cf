"""Feed rows: config mirror, additions, listings and the per-feed polling state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline.feeds.feedstate import FeedInfo, Moving, Seen, parse_item_times
from pipeline.models import FeedSpec
from pipeline.store.tables import Feed, FeedItemSeen

_CHUNK = 500
"""Keys per IN (...) query: well under SQLite's bound-parameter limit."""
_INSERTS: dict[str, Any] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _apply(row: Feed, spec: FeedSpec) -> None:
    row.name = spec.name or row.name
    row.source = spec.source or row.source
    row.language = spec.language or row.language
    row.min_interval, row.max_interval = spec.min_interval, spec.max_interval
    row.full_text = spec.full_text


def _by_url(session: Session, url: str) -> Feed | None:
    return session.execute(select(Feed).where(Feed.url == url)).scalar_one_or_none()


def sync_config_feeds(session: Session, specs: Sequence[FeedSpec]) -> None:
    """Mirror `feeds.yaml` into the table; feeds added by hand or the API stay as they are.

    A feed is recognised by the URL it was configured with, even after the poller moved it
    (a permanent redirect, or the feed an HTML page links)."""
    wanted = {s.url: s for s in specs}
    rows = {r.added_url or r.url: r for r in session.execute(select(Feed)).scalars()}
    for url, row in rows.items():
        if row.origin == "config" and url not in wanted:
            row.enabled = False
    for url, spec in wanted.items():
        found: Feed | None = rows.get(url) or _by_url(session, url)
        if found is None:
            found = Feed(url=url, added_url=url, origin="config", enabled=True)
            session.add(found)
        elif found.origin == "config":
            found.enabled = True
        _apply(found, spec)
    session.flush()


def add_feed(session: Session, spec: FeedSpec, *, origin: str = "api") -> tuple[int, bool]:
    """Add a feed (or re-enable it); returns (id, created)."""
    stmt = select(Feed).where(Feed.added_url == spec.url).order_by(Feed.id).limit(1)
    row = session.execute(stmt).scalar_one_or_none() or _by_url(session, spec.url)
    created = row is None
    if row is None:
        row = Feed(url=spec.url, added_url=spec.url, origin=origin)
        session.add(row)
    row.enabled = True
    _apply(row, spec)
    session.flush()
    return row.id, created


def list_feeds(session: Session, *, failing_only: bool = False) -> list[Feed]:
    stmt = select(Feed).order_by(Feed.id)
    if failing_only:
        stmt = stmt.where(Feed.failing.is_(True))
    return list(session.execute(stmt).scalars())


# -- polling state


def feed_info(row: Feed | Row[Any]) -> FeedInfo:
    """A detached snapshot of a feed row, safe to hand to another thread or task."""
    return FeedInfo(
        id=row.id,
        url=row.url,
        name=row.name,
        source=row.source,
        language=row.language,
        full_text=row.full_text,
        min_interval=row.min_interval,
        max_interval=row.max_interval,
        etag=row.etag,
        last_modified=row.last_modified,
        ttl_seconds=row.ttl_seconds,
        hub_url=row.hub_url,
        self_url=row.self_url,
        websub_secret=row.websub_secret,
        websub_expires_at=row.websub_expires_at,
        consecutive_failures=row.consecutive_failures or 0,
        failing=bool(row.failing),
        next_check_at=row.next_check_at,
        item_times=parse_item_times(row.item_times or ()),
    )


def due_feed_ids(session: Session, now: datetime, *, exclude: Iterable[int] = ()) -> list[int]:
    """Ids of enabled feeds whose next check has come (never-polled ones first), soonest first.

    Only ids: the poller loads each feed under its lease, where its state is current.
    """
    stmt = (
        select(Feed.id)
        .where(Feed.enabled.is_(True))
        .where(or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now))
        .order_by(Feed.next_check_at.is_not(None), Feed.next_check_at, Feed.id)
    )
    skip = set(exclude)
    return [feed_id for feed_id in session.scalars(stmt) if feed_id not in skip]


_FEEDS: Table = Feed.__table__  # type: ignore[assignment]
_SELECT_FEED = select(_FEEDS).where(_FEEDS.c.id == bindparam("feed_id"))


def get_feed_info(session: Session, feed_id: int) -> FeedInfo | None:
    """The feed's snapshot, read with one Core SELECT: the poller does this per feed per
    cycle, and an ORM load (identity map, change tracking) costs more than the 304 itself."""
    row = session.connection().execute(_SELECT_FEED, {"feed_id": feed_id}).first()
    return feed_info(row) if row is not None and row.enabled else None


def seen_items(session: Session, feed_id: int, keys: Sequence[str]) -> dict[str, Seen]:
    """Tombstones of those of `keys` the feed has shown before."""
    found: dict[str, Seen] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        stmt = select(
            FeedItemSeen.item_key, FeedItemSeen.content_hash, FeedItemSeen.first_seen_at
        ).where(FeedItemSeen.feed_id == feed_id, FeedItemSeen.item_key.in_(chunk))
        for key, digest, first_seen in session.execute(stmt):
            found[key] = Seen(digest, first_seen)
    return found


def remember_items(session: Session, feed_id: int, moving: Sequence[Moving]) -> None:
    """Write the tombstones of items just enqueued: insert new keys, update changed hashes.

    Race-safe: two pollers committing one key both succeed (insert-if-absent, then update).
    New keys go in one multi-row INSERT per chunk: a busy feed brings dozens at once.
    """
    fresh = [
        {
            "feed_id": feed_id,
            "item_key": m.item.key,
            "content_hash": m.item.content_hash,
            "first_seen_at": m.first_seen,
        }
        for m in moving
        if not m.update
    ]
    insert = _INSERTS[session.get_bind().dialect.name]
    for start in range(0, len(fresh), _CHUNK // 4):
        stmt = insert(FeedItemSeen.__table__).values(fresh[start : start + _CHUNK // 4])
        session.execute(stmt.on_conflict_do_nothing(index_elements=["feed_id", "item_key"]))
    for m in moving:
        if m.update:
            session.execute(
                update(FeedItemSeen)
                .where(FeedItemSeen.feed_id == feed_id, FeedItemSeen.item_key == m.item.key)
                .values(content_hash=m.item.content_hash)
            )


@dataclass(frozen=True, slots=True)
class Success:
    """The state a successful poll leaves behind."""

    now: datetime
    next_check_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    ttl_seconds: int | None = None
    hub_url: str | None = None
    self_url: str | None = None
    item_times: Sequence[datetime] | None = None
    """None leaves the stored list as it is (a 304 brings no items)."""
    merged: int = 0
    skipped: int = 0


def record_success(session: Session, feed_id: int, outcome: Success) -> None:
    """Store validators and schedule, and clear any failing state (one UPDATE, no load)."""
    values: dict[str, Any] = {
        "last_polled_at": outcome.now,
        "last_success_at": outcome.now,
        "next_check_at": outcome.next_check_at,
        "consecutive_failures": 0,
        "failing": False,
    }
    if not outcome.not_modified:
        values.update(
            etag=outcome.etag,
            last_modified=outcome.last_modified,
            ttl_seconds=outcome.ttl_seconds,
            hub_url=outcome.hub_url,
            self_url=outcome.self_url,
            items_merged=outcome.merged,
            items_skipped=outcome.skipped,
        )
    else:
        # A 304 may carry fresher validators (RFC 9110 15.4.5); absent ones stay as stored.
        if outcome.etag:
            values["etag"] = outcome.etag
        if outcome.last_modified:
            values["last_modified"] = outcome.last_modified
    if outcome.item_times is not None:
        values["item_times"] = [t.isoformat() for t in outcome.item_times]
    session.connection().execute(_FEEDS.update().where(_FEEDS.c.id == feed_id).values(**values))


def record_failure(
    session: Session,
    feed_id: int,
    *,
    error: str,
    now: datetime,
    next_check_at: datetime,
    failures: int,
    failing: bool,
) -> None:
    """Store a failed poll: the error in words, the failure count and the backed-off schedule."""
    row = session.get_one(Feed, feed_id)
    row.last_polled_at = row.last_error_at = now
    row.last_error = error
    row.consecutive_failures = failures
    row.failing = failing
    row.next_check_at = next_check_at


def move_feed(session: Session, feed_id: int, new_url: str) -> bool:
    """Point the feed at `new_url` (moved for good, or the feed a page links). False when
    another feed already has that URL: the row keeps its URL rather than merging two feeds."""
    row = session.get_one(Feed, feed_id)
    if row.url == new_url:
        return True
    taken = session.execute(select(Feed.id).where(Feed.url == new_url)).first()
    if taken is not None:
        return False
    row.url = new_url
    return True


def set_websub(
    session: Session, feed_id: int, *, secret: str | None, expires_at: datetime | None
) -> None:
    """Store the subscription's secret and lease end (None: not confirmed yet or ended)."""
    row = session.get_one(Feed, feed_id)
    row.websub_secret = secret
    row.websub_expires_at = expires_at
