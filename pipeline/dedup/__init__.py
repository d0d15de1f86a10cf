"""Near-duplicate detection (MinHash + LSH in Redis) and story grouping of related articles."""

from pipeline.dedup.index import NearDuplicateIndex
from pipeline.dedup.signature import Encoded, MinHashLayout, choose_bands, shingles
from pipeline.dedup.story import STORY_THRESHOLD, StoryFeatures, is_same_story, story_score

__all__ = [
    "STORY_THRESHOLD",
    "Encoded",
    "MinHashLayout",
    "NearDuplicateIndex",
    "StoryFeatures",
    "choose_bands",
    "is_same_story",
    "shingles",
    "story_score",
]
