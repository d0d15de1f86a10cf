"""Whole-database counts for status displays: articles by status, feeds and failing feeds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from pipeline.store import tables as t


def _count(session: Session, table: Any, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def article_statuses(session: Session) -> dict[str, int]:
    """How many articles are in each status (pending, processed, duplicate, failed, ...)."""
    rows = session.execute(select(t.Article.status, func.count()).group_by(t.Article.status))
    return {status: count for status, count in rows}


def feed_health(session: Session) -> tuple[int, int]:
    """(feeds, failing feeds)."""
    return _count(session, t.Feed), _count(session, t.Feed, t.Feed.failing.is_(True))


def extracted_articles(session: Session) -> int:
    """Articles that carry an extraction."""
    return _count(session, t.Article, t.Article.extractor_version.is_not(None))


def seed_articles(session: Session) -> int:
    """Articles that came from the seed corpus."""
    return _count(session, t.Article, t.Article.origin == "seed")


def actor_ids(session: Session) -> list[str]:
    """Ids of the actors in the registry, sorted."""
    return sorted(session.scalars(select(t.ActorRow.id)))


def totals(session: Session) -> dict[str, int]:
    """What is stored in all: articles, copies, actors mentioned, claims, alerts."""
    return {
        "articles": _count(session, t.Article),
        "duplicates": _count(session, t.Article, t.Article.duplicate_of.is_not(None)),
        "actors": int(session.scalar(select(func.count(distinct(t.MentionRow.actor_id)))) or 0),
        "claims": _count(session, t.ClaimRow),
        "alerts": _count(session, t.AlertRow),
    }


def deployment_counts(session: Session) -> dict[str, Any]:
    """`newsmon status`'s database part: feeds (and the failing ones' URLs), articles
    (and failed ones), dead deliveries."""
    return {
        "feeds": _count(session, t.Feed),
        "feeds_failing": list(session.scalars(select(t.Feed.url).where(t.Feed.failing.is_(True)))),
        "articles": _count(session, t.Article),
        "articles_failed": _count(session, t.Article, t.Article.status == "failed"),
        "deliveries_dead": _count(session, t.DeliveryRow, t.DeliveryRow.state == "dead"),
    }
