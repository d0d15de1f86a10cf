"""Feed rows: config mirror, additions, listings and the per-feed polling state."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.models import FeedSpec
from pipeline.store.tables import Feed


def _apply(row: Feed, spec: FeedSpec) -> None:
    row.name = spec.name or row.name
    row.source = spec.source or row.source
    row.language = spec.language or row.language
    row.min_interval, row.max_interval = spec.min_interval, spec.max_interval
    row.full_text = spec.full_text


def sync_config_feeds(session: Session, specs: Sequence[FeedSpec]) -> None:
    """Mirror `feeds.yaml` into the table; feeds added by hand or the API stay as they are."""
    wanted = {s.url: s for s in specs}
    rows = {r.url: r for r in session.execute(select(Feed)).scalars()}
    for url, row in rows.items():
        if row.origin == "config" and url not in wanted:
            row.enabled = False
    for url, spec in wanted.items():
        row = rows.get(url)
        if row is None:
            row = Feed(url=url, origin="config", enabled=True)
            session.add(row)
        elif row.origin == "config":
            row.enabled = True
        _apply(row, spec)
    session.flush()


def add_feed(session: Session, spec: FeedSpec, *, origin: str = "api") -> tuple[int, bool]:
    """Add a feed (or re-enable it); returns (id, created)."""
    row = session.execute(select(Feed).where(Feed.url == spec.url)).scalar_one_or_none()
    created = row is None
    if row is None:
        row = Feed(url=spec.url, origin=origin)
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
