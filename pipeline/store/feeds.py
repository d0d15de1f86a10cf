"""Feed rows: config mirror, additions, listings and the per-feed polling state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, bindparam, or_, select, tuple_
from sqlalchemy.orm import Session

from pipeline.models import FeedInfo, FeedSpec, Seen, Tombstone, parse_item_times
from pipeline.store.tables import Feed, FeedItemSeen
from pipeline.store.upsert import insert_rows

_CHUNK = 500
"""Keys per IN (...) query: well under SQLite's bound-parameter limit."""


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


def get_feed_info(session: Session, feed_id: int) -> FeedInfo | None:
    """The feed's snapshot, read with one Core SELECT (an ORM load, with its identity map and
    change tracking, costs more than the 304 itself)."""
    return get_feed_infos(session, [feed_id]).get(feed_id)


def get_feed_infos(session: Session, feed_ids: Sequence[int]) -> dict[int, FeedInfo]:
    """Snapshots of those of the enabled feeds `feed_ids` names, by id: one SELECT per chunk
    (the poller reads every feed of a cycle under its lease)."""
    found: dict[int, FeedInfo] = {}
    for start in range(0, len(feed_ids), _CHUNK):
        chunk = list(feed_ids[start : start + _CHUNK])
        stmt = select(_FEEDS).where(_FEEDS.c.id.in_(chunk), _FEEDS.c.enabled.is_(True))
        for row in session.connection().execute(stmt):
            found[row.id] = feed_info(row)
    return found


def seen_items(session: Session, feed_id: int, keys: Sequence[str]) -> dict[str, Seen]:
    """Tombstones of those of `keys` the feed has shown before."""
    return seen_items_of(session, {feed_id: keys}).get(feed_id, {})


def seen_items_of(
    session: Session, keys: Mapping[int, Sequence[str]]
) -> dict[int, dict[str, Seen]]:
    """Tombstones of those (feed, key) pairs that were shown before, for many feeds at once:
    one SELECT per chunk of pairs."""
    pairs = [(feed_id, key) for feed_id, feed_keys in keys.items() for key in feed_keys]
    found: dict[int, dict[str, Seen]] = {}
    pair = tuple_(FeedItemSeen.feed_id, FeedItemSeen.item_key)
    for start in range(0, len(pairs), _CHUNK):
        stmt = select(
            FeedItemSeen.feed_id,
            FeedItemSeen.item_key,
            FeedItemSeen.content_hash,
            FeedItemSeen.first_seen_at,
        ).where(pair.in_(pairs[start : start + _CHUNK]))
        for feed_id, key, digest, first_seen in session.execute(stmt):
            found.setdefault(feed_id, {})[key] = Seen(digest, first_seen)
    return found


_SEEN: Table = FeedItemSeen.__table__  # type: ignore[assignment]
_UPDATE_HASH = (
    _SEEN.update()
    .where(_SEEN.c.feed_id == bindparam("b_feed"), _SEEN.c.item_key == bindparam("b_key"))
    .values(content_hash=bindparam("b_hash"))
)


def remember_items(session: Session, marks: Sequence[Tombstone]) -> None:
    """Write the tombstones of items just enqueued, of one feed or many: insert new keys,
    update changed hashes.

    Race-safe: two pollers committing one key both succeed (insert-if-absent, then update).
    New keys go in one cached bulk INSERT (a multi-row VALUES list would be compiled anew for
    every chunk) and changed hashes in one executemany: a cycle brings thousands at once.
    """
    fresh = [
        {
            "feed_id": m.feed_id,
            "item_key": m.key,
            "content_hash": m.content_hash,
            "first_seen_at": m.first_seen,
        }
        for m in marks
        if not m.update
    ]
    insert_rows(session, _SEEN, fresh, ["feed_id", "item_key"])
    changed = [
        {"b_feed": m.feed_id, "b_key": m.key, "b_hash": m.content_hash} for m in marks if m.update
    ]
    if changed:
        session.connection().execute(_UPDATE_HASH, changed)


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


def _success_values(outcome: Success) -> dict[str, Any]:
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
    return values


def record_success(session: Session, feed_id: int, outcome: Success) -> None:
    """Store validators and schedule, and clear any failing state (one UPDATE, no load)."""
    record_successes(session, [(feed_id, outcome)])


def record_successes(session: Session, outcomes: Sequence[tuple[int, Success]]) -> None:
    """`record_success` for many feeds: one executemany UPDATE per set of columns written."""
    _update_many(session, [(feed_id, _success_values(o)) for feed_id, o in outcomes])


@dataclass(frozen=True, slots=True)
class Failed:
    """The state a failed poll leaves behind."""

    error: str
    now: datetime
    next_check_at: datetime
    failures: int
    failing: bool


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
    record_failures(session, [(feed_id, Failed(error, now, next_check_at, failures, failing))])


def record_failures(session: Session, outcomes: Sequence[tuple[int, Failed]]) -> None:
    """`record_failure` for many feeds, in one executemany UPDATE."""
    rows = [
        (
            feed_id,
            {
                "last_polled_at": f.now,
                "last_error_at": f.now,
                "last_error": f.error,
                "consecutive_failures": f.failures,
                "failing": f.failing,
                "next_check_at": f.next_check_at,
            },
        )
        for feed_id, f in outcomes
    ]
    _update_many(session, rows)


def _update_many(session: Session, rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """UPDATE feeds by id, each row its own values: one executemany per set of columns."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for feed_id, values in rows:
        params = {"b_id": feed_id, **{f"b_{k}": v for k, v in values.items()}}
        groups.setdefault(tuple(sorted(values)), []).append(params)
    for columns, group in groups.items():
        stmt = (
            _FEEDS.update()
            .where(_FEEDS.c.id == bindparam("b_id"))
            .values({c: bindparam(f"b_{c}") for c in columns})
        )
        session.connection().execute(stmt, group)


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
