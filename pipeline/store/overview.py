"""Whole-database counts for status displays: articles by status, feeds and failing feeds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from pipeline.store.tables import (
    ActorRow,
    AlertRow,
    Article,
    ClaimRow,
    DeliveryRow,
    Feed,
    MentionRow,
)


def _count(session: Session, table: Any, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def article_statuses(session: Session) -> dict[str, int]:
    """How many articles are in each status (pending, processed, duplicate, failed, ...)."""
    rows = session.execute(select(Article.status, func.count()).group_by(Article.status))
    return {status: count for status, count in rows}


def feed_health(session: Session) -> tuple[int, int]:
    """(feeds, failing feeds)."""
    total = session.scalar(select(func.count()).select_from(Feed)) or 0
    failing = session.scalar(select(func.count()).select_from(Feed).where(Feed.failing.is_(True)))
    return total, failing or 0


def extracted_articles(session: Session) -> int:
    """Articles that carry an extraction."""
    return _count(session, Article, Article.extractor_version.is_not(None))


def seed_articles(session: Session) -> int:
    """Articles that came from the seed corpus."""
    stmt = select(func.count()).select_from(Article).where(Article.origin == "seed")
    return session.scalar(stmt) or 0


def actor_ids(session: Session) -> list[str]:
    """Ids of the actors in the registry, sorted."""
    return sorted(session.scalars(select(ActorRow.id)))


def totals(session: Session) -> dict[str, int]:
    """What is stored in all: articles, copies, actors mentioned, claims, alerts."""
    return {
        "articles": _count(session, Article),
        "duplicates": _count(session, Article, Article.duplicate_of.is_not(None)),
        "actors": int(session.scalar(select(func.count(distinct(MentionRow.actor_id)))) or 0),
        "claims": _count(session, ClaimRow),
        "alerts": _count(session, AlertRow),
    }


def deployment_counts(session: Session) -> dict[str, Any]:
    """`newsmon status`'s database part: feeds (and the failing ones' URLs), articles
    (and failed ones), dead deliveries."""
    return {
        "feeds": _count(session, Feed),
        "feeds_failing": list(session.scalars(select(Feed.url).where(Feed.failing.is_(True)))),
        "articles": _count(session, Article),
        "articles_failed": _count(session, Article, Article.status == "failed"),
        "deliveries_dead": _count(session, DeliveryRow, DeliveryRow.state == "dead"),
    }
