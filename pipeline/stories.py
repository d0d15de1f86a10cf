"""Groups originals that report the same event into one story (pipeline.dedup.story's score)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.dedup.signature import shingles
from pipeline.dedup.story import STORY_THRESHOLD, WEIGHTS, StoryFeatures, jaccard, story_score
from pipeline.store import articles as article_store
from pipeline.store.tables import Article, ClaimRow, MentionRow

WINDOW = timedelta(days=3)
MAX_CANDIDATES = 50
SHINGLE_SIZE = 3


def features(session: Session, row: Article) -> StoryFeatures:
    """Actor ids, claim triples and publication time of a stored, extracted article."""
    actors = session.scalars(
        select(MentionRow.actor_id).where(
            MentionRow.article_id == row.id, MentionRow.actor_id.is_not(None)
        )
    )
    claims = session.execute(
        select(ClaimRow.subject_id, ClaimRow.predicate, ClaimRow.object_id).where(
            ClaimRow.article_id == row.id
        )
    )
    triples = frozenset((s or "", p, o or "") for s, p, o in claims if s or o)
    return StoryFeatures(
        actor_ids=frozenset(a for a in actors if a),
        claims=triples,
        published=row.published_at or row.first_seen_at,
    )


def text_similarity(a: str, b: str) -> float:
    """Exact Jaccard of the two texts' word 3-shingles (both are short: no sketch needed)."""
    return jaccard(shingles(a, SHINGLE_SIZE), shingles(b, SHINGLE_SIZE))


def candidates(session: Session, row: Article, actor_ids: frozenset[str]) -> list[Article]:
    """Recent originals already in a story that mention one of the same actors, newest first."""
    since = row.first_seen_at - WINDOW
    ids = (
        select(MentionRow.article_id)
        .join(Article, Article.id == MentionRow.article_id)
        .where(
            MentionRow.actor_id.in_(actor_ids),
            Article.id != row.id,
            Article.story_id.is_not(None),
            Article.duplicate_of.is_(None),
            Article.first_seen_at >= since,
        )
        .distinct()
        .order_by(MentionRow.article_id.desc())
        .limit(MAX_CANDIDATES)
    )
    found = list(session.scalars(ids))
    return [session.get_one(Article, i) for i in found]


def find_story(session: Session, row: Article, threshold: float = STORY_THRESHOLD) -> int | None:
    """The story of the best-scoring candidate at or above `threshold`, if any."""
    mine = features(session, row)
    if not mine.actor_ids:
        return None
    best: tuple[float, int] | None = None
    for other in candidates(session, row, mine.actor_ids):
        theirs = features(session, other)
        without_text = story_score(mine, theirs, similarity=0.0)
        # The text term adds at most its weight: skip the shingling when it cannot matter.
        if without_text + WEIGHTS["text"] < threshold:
            continue
        score = story_score(mine, theirs, similarity=text_similarity(row.text, other.text))
        if score >= threshold and (best is None or score > best[0]):
            best = (score, other.story_id or 0)
    return best[1] if best else None


def assign_story(session: Session, article_id: int) -> int:
    """Keep the article's story, join a matching recent story, or open a new one."""
    row = session.get_one(Article, article_id)
    if row.story_id is not None:
        return row.story_id
    return article_store.ensure_story(session, article_id, find_story(session, row))
