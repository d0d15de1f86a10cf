"""Whole-database counts for status displays: articles by status, feeds and failing feeds."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipeline.store.tables import ActorRow, Article, Feed


def article_statuses(session: Session) -> dict[str, int]:
    """How many articles are in each status (pending, processed, duplicate, failed, ...)."""
    rows = session.execute(select(Article.status, func.count()).group_by(Article.status))
    return {status: count for status, count in rows}


def feed_health(session: Session) -> tuple[int, int]:
    """(feeds, failing feeds)."""
    total = session.scalar(select(func.count()).select_from(Feed)) or 0
    failing = session.scalar(select(func.count()).select_from(Feed).where(Feed.failing.is_(True)))
    return total, failing or 0


def seed_articles(session: Session) -> int:
    """Articles that came from the seed corpus."""
    stmt = select(func.count()).select_from(Article).where(Article.origin == "seed")
    return session.scalar(stmt) or 0


def actor_ids(session: Session) -> list[str]:
    """Ids of the actors in the registry, sorted."""
    return sorted(session.scalars(select(ActorRow.id)))
