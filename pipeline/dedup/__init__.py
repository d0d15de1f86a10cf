"""Near-duplicate detection (MinHash + LSH in Redis) and story grouping of related articles."""

from pipeline.dedup.index import NearDuplicateIndex
from pipeline.dedup.signature import Encoded, MinHashLayout, choose_bands, shingles

__all__ = ["Encoded", "MinHashLayout", "NearDuplicateIndex", "choose_bands", "shingles"]
