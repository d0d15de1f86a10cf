"""MinHash signatures of word shingles and their compact LSH encoding (pure, no I/O)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from pipeline.dedup.normalize import normalize_text, strip_boilerplate

if TYPE_CHECKING:
    from datasketch import MinHash

SIG_BITS = 16
COLLIDE = 2.0**-SIG_BITS
"""Chance that two different MinHash values agree in their low SIG_BITS bits."""
_WORD = re.compile(r"\w+")
# LSH misses are lost duplicates while LSH false candidates only cost one verification.
_FP_WEIGHT, _FN_WEIGHT = 0.2, 0.8


def shingles(text: str, size: int) -> list[bytes]:
    """Word `size`-grams of the normalised text without boilerplate (one shingle if shorter)."""
    words = _WORD.findall(normalize_text(strip_boilerplate(text)))
    if len(words) <= size:
        return [" ".join(words).encode()] if words else []
    return list({" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)})


def choose_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for LSH at `threshold`, weighting misses over false candidates."""
    from datasketch.lsh import _optimal_param  # see MinHashLayout.__post_init__

    bands, rows = _optimal_param(threshold, num_perm, _FP_WEIGHT, _FN_WEIGHT)
    return int(bands), int(rows)


@dataclass(frozen=True, slots=True)
class Encoded:
    """A signature as stored: the low 16 bits of each MinHash value, little-endian.

    LSH band i is bytes [2 * rows * i, 2 * rows * (i + 1)) of `sig`; the index derives its
    buckets from these bytes (in Lua, too), so nothing but `sig` needs storing.
    """

    sig: bytes

    def band_digests(self, bands: int, rows: int) -> set[tuple[int, bytes]]:
        """(band number, band bytes) of the first `bands` bands of `rows` values each."""
        width = 2 * rows
        return {(i, self.sig[i * width : (i + 1) * width]) for i in range(bands)}


@dataclass(frozen=True)
class MinHashLayout:
    """How texts become signatures and when two signatures count as near duplicates.

    Two texts are near duplicates when they share at least one LSH band (so the index can
    find one from the other) and their estimated Jaccard similarity is >= threshold.
    """

    num_perm: int = 256
    shingle_size: int = 3
    threshold: float = 0.4
    seed: int = 1
    bands: int = 0
    rows: int = 0
    _template: MinHash = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.bands or not self.rows:
            bands, rows = choose_bands(self.threshold, self.num_perm)
            object.__setattr__(self, "bands", bands)
            object.__setattr__(self, "rows", rows)
        # Imported here: datasketch's package pulls in scipy (half a second), which every
        # command importing the pipeline (`newsmon reprocess`, the API) would pay at start.
        from datasketch import MinHash

        # The random permutations are computed once here, not for every MinHash.
        object.__setattr__(self, "_template", MinHash(num_perm=self.num_perm, seed=self.seed))

    def minhash(self, text: str) -> MinHash:
        """The MinHash of the text's word shingles, fed in one batch (PERFORMANCE-NOTES)."""
        mh = self._template.copy()
        mh.update_batch(shingles(text, self.shingle_size))
        return mh

    def signature(self, text: str) -> np.ndarray:
        """The MinHash values (unsigned integer array of length num_perm) of the text."""
        return self.minhash(text).hashvalues

    def similarity(self, a: str, b: str) -> float:
        """Estimated Jaccard similarity of two texts' shingle sets."""
        return float(self.minhash(a).jaccard(self.minhash(b)))

    def encode(self, signature: np.ndarray) -> Encoded:
        """The compact form stored in Redis: 16-bit values, bands included."""
        values = np.asarray(signature, dtype=np.uint64)
        return Encoded((values & 0xFFFF).astype("<u2").tobytes())

    @property
    def min_equal(self) -> int:
        """Equal 16-bit values needed for estimated Jaccard >= threshold, corrected for chance."""
        wanted = self.threshold * (1 - COLLIDE) + COLLIDE
        return math.ceil(self.num_perm * wanted - 1e-9)

    def estimate(self, a: Encoded, b: Encoded) -> float:
        """Estimated Jaccard similarity from two stored signatures (b-bit MinHash estimator)."""
        x = np.frombuffer(a.sig, dtype="<u2")
        y = np.frombuffer(b.sig, dtype="<u2")
        agree = float(np.count_nonzero(x == y)) / len(x)
        return max(0.0, (agree - COLLIDE) / (1 - COLLIDE))

    def is_candidate(self, a: Encoded, b: Encoded) -> bool:
        """True when the LSH index would compare the two (they share a band).

        The index keys a bucket by at most 56 bits of a band (shard bits of the first three
        bytes, then bytes 4-7), so it may also compare a pair whose bands agree only in
        those bits; the threshold check decides such a pair as it decides any other.
        """
        return bool(a.band_digests(self.bands, self.rows) & b.band_digests(self.bands, self.rows))

    def is_near_duplicate(self, a: Encoded, b: Encoded) -> bool:
        """The index's decision for a pair, computed without Redis (evaluation, tests)."""
        equal = int(np.count_nonzero(np.frombuffer(a.sig, "<u2") == np.frombuffer(b.sig, "<u2")))
        return self.is_candidate(a, b) and equal >= self.min_equal
