"""Whether an article that is not a copy reports the same event as another: the story score.

    score = 0.40 J(actors) + 0.25 O(claims) + 0.15 exp(-|dt|/24h) + 0.20 min(1, sim/0.25)

J is the Jaccard index of the tracked actor ids, O the overlap coefficient |A & B| / min(|A|, |B|)
of the (subject, predicate, object) claim triples (articles differ in length, so a short report
whose claims all appear in a long one overlaps fully), dt the distance between publication
times, sim the estimated Jaccard similarity of the texts (independent reports of one event
reach 0.1-0.3 on 3-word shingles, so 0.25 counts as full). Articles with no actor and no claim
in common score 0: text and time alone only say "same topic". Two articles belong to one
story when the score is >= STORY_THRESHOLD.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

STORY_THRESHOLD = 0.5
WEIGHTS = {"actors": 0.40, "claims": 0.25, "time": 0.15, "text": 0.20}
TIME_SCALE_SECONDS = 24 * 3600.0
TEXT_FULL_SIMILARITY = 0.25

Triple = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What the story score compares: actor ids, claim triples, publication time, text."""

    actor_ids: frozenset[str] = frozenset()
    claims: frozenset[Triple] = frozenset()
    published: datetime | None = None
    extra: dict[str, float] = field(default_factory=dict)


def jaccard(a: Collection[object], b: Collection[object]) -> float:
    # Counted from one intersection: grouping compares hundreds of shingle sets per article.
    a = a if isinstance(a, set | frozenset) else set(a)
    b = b if isinstance(b, set | frozenset) else set(b)
    common = len(a & b)
    union = len(a) + len(b) - common
    return common / union if union else 0.0


def overlap(a: Collection[object], b: Collection[object]) -> float:
    smaller = min(len(a), len(b))
    return len(set(a) & set(b)) / smaller if smaller else 0.0


def time_closeness(a: datetime | None, b: datetime | None) -> float:
    """exp(-|a - b| / 24 h); 0.5 when either time is unknown (no evidence either way)."""
    if a is None or b is None:
        return 0.5
    return math.exp(-abs((a - b).total_seconds()) / TIME_SCALE_SECONDS)


def story_score(a: StoryFeatures, b: StoryFeatures, *, similarity: float = 0.0) -> float:
    """The score in [0, 1] of the module docstring; `similarity` is the texts' estimated
    Jaccard (NearDuplicateIndex.similarity)."""
    actors, claims = jaccard(a.actor_ids, b.actor_ids), overlap(a.claims, b.claims)
    if actors == 0.0 and claims == 0.0:
        return 0.0
    text = min(1.0, max(0.0, similarity) / TEXT_FULL_SIMILARITY)
    return (
        WEIGHTS["actors"] * actors
        + WEIGHTS["claims"] * claims
        + WEIGHTS["time"] * time_closeness(a.published, b.published)
        + WEIGHTS["text"] * text
    )


def is_same_story(
    a: StoryFeatures,
    b: StoryFeatures,
    *,
    similarity: float = 0.0,
    threshold: float = STORY_THRESHOLD,
) -> bool:
    """True when the two articles report the same event (score >= threshold)."""
    return story_score(a, b, similarity=similarity) >= threshold
