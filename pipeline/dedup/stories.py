"""Groups originals that report the same event into one story (pipeline.dedup.story's score)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache

from pipeline.dedup.signature import shingles
from pipeline.dedup.story import STORY_THRESHOLD, WEIGHTS, StoryFeatures, jaccard, story_score
from pipeline.store import articles as article_store
from pipeline.store import stories as story_store
from pipeline.store.db import Session
from pipeline.store.rows import Article

WINDOW = timedelta(days=3)
MAX_CANDIDATES = 25
SHINGLE_SIZE = 3


def features_of(session: Session, rows: Sequence[Article]) -> dict[int, StoryFeatures]:
    """Actor ids, claim triples and publication time of stored articles, in two queries."""
    ids = [r.id for r in rows]
    actors = story_store.actors_mentioned(session, ids)
    claims = story_store.claim_triples(session, ids)
    return {
        r.id: StoryFeatures(
            actor_ids=frozenset(actors.get(r.id, ())),
            claims=frozenset(claims.get(r.id, ())),
            published=r.published_at or r.first_seen_at,
        )
        for r in rows
    }


@lru_cache(maxsize=1024)
def _shingle_hashes(article_id: int, content_hash: str, text: str) -> frozenset[int]:
    return frozenset(hash(s) for s in shingles(text, SHINGLE_SIZE))


def shingle_set(article_id: int, content_hash: str, text: str) -> frozenset[int]:
    """An article's shingles, remembered per process: recent articles are compared again and
    again as candidates, and shingling costs more than all the queries of a match."""
    return _shingle_hashes(article_id, content_hash, text)


def candidates(session: Session, row: Article, actor_ids: frozenset[str]) -> list[Article]:
    """Recent originals already in a story that mention one of the same actors, newest first."""
    return story_store.story_candidates(
        session, row.id, actor_ids, since=row.first_seen_at - WINDOW, limit=MAX_CANDIDATES
    )


class StoryGrouper:
    """Assigns stories to the originals of one batch inside one session.

    Features (actors, claims, time) of every article it looks at are read once per batch: the
    batch's own articles in two queries up front, candidates as they first appear (the same
    recent articles are candidates of most articles of a batch).
    """

    def __init__(self, session: Session, threshold: float = STORY_THRESHOLD) -> None:
        self.session = session
        self.threshold = threshold
        self._features: dict[int, StoryFeatures] = {}

    def features(self, rows: Sequence[Article]) -> dict[int, StoryFeatures]:
        """Features of `rows`, from this batch's cache or two queries for the missing ones."""
        missing = [r for r in rows if r.id not in self._features]
        if missing:
            self._features.update(features_of(self.session, missing))
        return {r.id: self._features[r.id] for r in rows}

    def find_story(self, row: Article) -> int | None:
        """The story of the best-scoring candidate at or above the threshold, if any."""
        mine = self.features([row])[row.id]
        if not mine.actor_ids:
            return None
        others = candidates(self.session, row, mine.actor_ids)
        theirs = self.features(others)
        my_shingles: frozenset[int] | None = None
        best: tuple[float, int] | None = None
        for other in others:
            without_text = story_score(mine, theirs[other.id], similarity=0.0)
            # The text term adds at most its weight: skip the shingling when it cannot matter.
            if without_text + WEIGHTS["text"] < self.threshold:
                continue
            if my_shingles is None:
                my_shingles = shingle_set(row.id, row.content_hash, row.text)
            other_shingles = shingle_set(other.id, other.content_hash, other.text)
            score = story_score(
                mine, theirs[other.id], similarity=jaccard(my_shingles, other_shingles)
            )
            if score >= self.threshold and (best is None or score > best[0]):
                best = (score, other.story_id or 0)
        return best[1] if best else None

    def assign(self, row: Article) -> int:
        """Keep the article's story, join a matching recent story, or open a new one."""
        if row.story_id is not None:
            return row.story_id
        return article_store.ensure_story(self.session, row.id, self.find_story(row))


def find_story(session: Session, row: Article, threshold: float = STORY_THRESHOLD) -> int | None:
    """The story of the best-scoring candidate at or above `threshold`, if any."""
    return StoryGrouper(session, threshold).find_story(row)


def assign_story(session: Session, article_id: int) -> int:
    """Keep the article's story, join a matching recent story, or open a new one."""
    return StoryGrouper(session).assign(article_store.get_article(session, article_id))
