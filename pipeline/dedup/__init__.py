"""Near-duplicate detection (MinHash + LSH in Redis) and story grouping of related articles."""

from pipeline.dedup.index import NearDuplicateIndex, choose_bands, shingles

__all__ = ["NearDuplicateIndex", "choose_bands", "shingles"]
