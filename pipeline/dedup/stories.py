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


# A story decision before it is written: ("story", id) joins an existing story,
# ("founder", article id) the story that article of the batch opens.
Choice = tuple[str, int]


class StoryGrouper:
    """Assigns stories to the originals of one batch inside one session.

    Features (actors, claims, time) of every article it looks at are read once per batch: the
    batch's own articles in two queries up front, candidates as they first appear (the same
    recent articles are candidates of most articles of a batch). The whole batch is decided
    by reading first and written after, in one short burst: on SQLite the first write takes
    the database's single write lock until commit, and another worker's stage waits on it.
    """

    def __init__(self, session: Session, threshold: float = STORY_THRESHOLD) -> None:
        self.session = session
        self.threshold = threshold
        self._features: dict[int, StoryFeatures] = {}
        self._decided: dict[int, tuple[Article, Choice]] = {}

    def features(self, rows: Sequence[Article]) -> dict[int, StoryFeatures]:
        """Features of `rows`, from this batch's cache or two queries for the missing ones."""
        missing = [r for r in rows if r.id not in self._features]
        if missing:
            self._features.update(features_of(self.session, missing))
        return {r.id: self._features[r.id] for r in rows}

    def _candidates(self, row: Article, actor_ids: frozenset[str]) -> list[tuple[Article, Choice]]:
        """The stored candidates and the batch's articles decided so far that would be stored
        ones if each article were written at once: the `MAX_CANDIDATES` newest, in id order."""
        since = row.first_seen_at - WINDOW
        found = {
            other.id: (other, ("story", other.story_id or 0))
            for other in candidates(self.session, row, actor_ids)
        }
        for other, choice in self._decided.values():
            mentions = self.features([other])[other.id].actor_ids
            if other.id != row.id and other.first_seen_at >= since and mentions & actor_ids:
                found[other.id] = (other, choice)
        newest = sorted(found)[-MAX_CANDIDATES:]
        return [found[i] for i in newest]

    def _choose(self, row: Article) -> Choice | None:
        """The story of the best-scoring candidate at or above the threshold, if any."""
        mine = self.features([row])[row.id]
        if not mine.actor_ids:
            return None
        others = self._candidates(row, mine.actor_ids)
        theirs = self.features([other for other, _ in others])
        my_shingles: frozenset[int] | None = None
        best: tuple[float, Choice] | None = None
        for other, choice in others:
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
                best = (score, choice)
        return best[1] if best else None

    def assign_all(self, rows: Sequence[Article]) -> dict[int, int]:
        """Each article's story, in order: kept, joined (same event as a stored or an
        earlier article of the batch) or newly opened. Reads everything, then writes."""
        kept = {r.id: r.story_id for r in rows if r.story_id is not None}
        self.features([r for r in rows if r.id not in kept])
        for row in rows:
            if row.id not in kept and row.id not in self._decided:
                self._decided[row.id] = (row, self._choose(row) or ("founder", row.id))
        joined = {i: n for i, (_, (kind, n)) in self._decided.items() if kind == "story"}
        founded = {i: n for i, (_, (kind, n)) in self._decided.items() if kind == "founder"}
        decided = [r for r, _ in self._decided.values()]
        assigned = article_store.attach_stories(self.session, decided, joined, founded)
        self._decided.clear()
        return {r.id: kept.get(r.id) or assigned[r.id] for r in rows}

    def assign(self, row: Article) -> int:
        """Keep the article's story, join a matching recent story, or open a new one."""
        return self.assign_all([row])[row.id]


def assign_story(session: Session, article_id: int) -> int:
    """Keep the article's story, join a matching recent story, or open a new one."""
    return StoryGrouper(session).assign(article_store.get_article(session, article_id))
