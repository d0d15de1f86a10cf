"""Stories: what grouping reads (actors, claim triples, recent candidates) and the read
models (every outlet that carried a story, independent outlets versus copies)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select, union_all
from sqlalchemy.orm import Session

from pipeline.store.articles import independent_outlets, story_outlets
from pipeline.store.tables import Article, ClaimRow, MentionRow, Story


def actors_mentioned(session: Session, article_ids: Sequence[int]) -> dict[int, set[str]]:
    """The tracked actor ids each article mentions (articles without one are absent)."""
    actors: dict[int, set[str]] = defaultdict(set)
    for article_id, actor_id in session.execute(
        select(MentionRow.article_id, MentionRow.actor_id).where(
            MentionRow.article_id.in_(list(article_ids)), MentionRow.actor_id.is_not(None)
        )
    ):
        if actor_id:
            actors[article_id].add(actor_id)
    return dict(actors)


def claim_triples(
    session: Session, article_ids: Sequence[int]
) -> dict[int, set[tuple[str, str, str]]]:
    """(subject id, predicate, object id) of each article's claims about a tracked actor."""
    claims: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    for article_id, s, p, o in session.execute(
        select(
            ClaimRow.article_id, ClaimRow.subject_id, ClaimRow.predicate, ClaimRow.object_id
        ).where(ClaimRow.article_id.in_(list(article_ids)))
    ):
        if s or o:
            claims[article_id].add((s or "", p, o or ""))
    return dict(claims)


def story_candidates(
    session: Session, article_id: int, actor_ids: frozenset[str], *, since: datetime, limit: int
) -> list[Article]:
    """Up to `limit` originals first seen from `since`, already in a story, mentioning one
    of `actor_ids` (the newest ids), other than `article_id`; in id order.

    The newest `limit` over all the actors are among the newest `limit` of each one, so each
    actor's list is read on its own down the (actor_id, article_id) index, which stops after
    `limit` articles; one pass over every mention of the actors would grow with the store.
    """
    if not actor_ids:
        return []
    params: dict[str, Any] = {f"actor_{n}": a for n, a in enumerate(sorted(actor_ids))}
    params.update(article_id=article_id, since=since, limit=limit)
    return list(session.scalars(_candidates_query(len(actor_ids)), params))


@lru_cache(maxsize=64)
def _candidates_query(actors: int) -> Any:
    # One statement per number of actors, with bound parameters: building and compiling the
    # union costs ten times what the database takes to run it, and the shapes repeat.
    per_actor = [
        select(MentionRow.article_id)
        .join(Article, Article.id == MentionRow.article_id)
        .where(
            MentionRow.actor_id == bindparam(f"actor_{n}"),
            Article.id != bindparam("article_id"),
            Article.story_id.is_not(None),
            Article.duplicate_of.is_(None),
            Article.first_seen_at >= bindparam("since"),
        )
        .distinct()
        .order_by(MentionRow.article_id.desc())
        .limit(bindparam("limit"))
        .subquery()
        for n in range(actors)
    ]
    found = union_all(*(select(q.c.article_id) for q in per_actor)).subquery()
    newest = (
        select(found.c.article_id)
        .distinct()
        .order_by(found.c.article_id.desc())
        .limit(bindparam("limit"))
    )
    # One statement: the limited id list as a subquery of the row fetch.
    chosen = select(Article).where(Article.id.in_(select(newest.subquery().c.article_id)))
    return chosen.order_by(Article.id)


def story_summary(session: Session, story: Story) -> dict[str, Any]:
    """A story with its first article's time, its outlets, and copies counted apart."""
    outlets = story_outlets(session, story.id)
    copies = sum(1 for o in outlets if o["duplicate_of"] is not None)
    return {
        "id": story.id,
        "title": story.title,
        "first_article_id": story.first_article_id,
        "first_seen_at": story.first_seen_at.isoformat(),
        "updated_at": story.updated_at.isoformat(),
        "articles": len(outlets),
        "independent_outlets": independent_outlets(outlets),
        "copies": copies,
        "outlets": outlets,
    }


def list_stories(
    session: Session, *, limit: int = 50, min_articles: int = 1
) -> list[dict[str, Any]]:
    """Most recently updated stories first."""
    stmt = select(Story).order_by(Story.updated_at.desc(), Story.id.desc()).limit(limit)
    summaries = [story_summary(session, s) for s in session.scalars(stmt)]
    return [s for s in summaries if s["articles"] >= min_articles]


def get_story(session: Session, story_id: int) -> dict[str, Any] | None:
    story = session.get(Story, story_id)
    return story_summary(session, story) if story else None
