"""What the evaluation harnesses share: the scored fields of a claim and precision/recall/F1."""

from __future__ import annotations

from dataclasses import dataclass

NEGATORS = frozenset({"not", "n't", "never", "no"})


@dataclass(frozen=True, slots=True)
class PredictedClaim:
    """The scored fields of a claim: subject id, predicate, object id, speaker id, negated."""

    subject: str | None
    predicate: str
    object: str | None
    speaker: str | None
    negated: bool


class Rates:
    """Precision, recall and F1 of a class with `tp`, `fp` and `fn` counts (1.0 when empty)."""

    __slots__ = ()
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0
