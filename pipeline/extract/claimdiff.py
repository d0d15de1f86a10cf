"""Compares two extractions of the same articles: claims added, removed and changed.

A claim's identity is its key (subject, predicate, object, negated, sentence start), with
actors compared by registry id or else by text; a claim whose key is kept but whose speaker,
theme, quantity, hedging or confidence bucket differs is "changed". Used by
`newsmon reprocess --diff` to judge a change to the registry or the rules before keeping it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.models import ActorRef, Claim

ClaimKey = tuple[str, str, str | None, bool, int]
DETAILS = ("speaker", "theme", "quantity", "hedged", "confidence")


def _actor(ref: ActorRef | None) -> str | None:
    if ref is None:
        return None
    return ref.id or ref.text.casefold()


def claim_key(claim: Claim) -> ClaimKey:
    """What makes two claims "the same claim" across extractor versions."""
    return (
        _actor(claim.subject) or "",
        claim.predicate,
        _actor(claim.object),
        claim.negated,
        claim.start,
    )


def confidence_bucket(confidence: float) -> int:
    """Confidence in tenths: rounding noise does not count as a change."""
    return round(confidence * 10)


def _details(claim: Claim) -> dict[str, Any]:
    return {
        "speaker": _actor(claim.speaker),
        "theme": claim.theme,
        "quantity": claim.quantity,
        "hedged": claim.hedged,
        "confidence": confidence_bucket(claim.confidence),
    }


@dataclass(frozen=True, slots=True)
class Changed:
    old: Claim
    new: Claim

    @property
    def fields(self) -> list[str]:
        """Names of the detail fields that differ."""
        a, b = _details(self.old), _details(self.new)
        return [name for name in DETAILS if a[name] != b[name]]


@dataclass(frozen=True, slots=True)
class ArticleDiff:
    """One article's claims under the old and the new extractor."""

    name: str
    old_version: str
    new_version: str
    added: tuple[Claim, ...] = ()
    removed: tuple[Claim, ...] = ()
    changed: tuple[Changed, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _grouped(claims: Iterable[Claim]) -> dict[ClaimKey, list[Claim]]:
    groups: dict[ClaimKey, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim_key(claim), []).append(claim)
    return groups


def diff_claims(
    name: str, old: Sequence[Claim], new: Sequence[Claim], old_version: str, new_version: str
) -> ArticleDiff:
    """Claims of `new` not in `old` (added), of `old` not in `new` (removed), and changed ones.

    Claims sharing a key are paired in sentence order; unpaired ones are added or removed.
    Output keeps the order of the input claims.
    """
    before, after = _grouped(old), _grouped(new)
    added: list[Claim] = []
    removed: list[Claim] = []
    changed: list[Changed] = []
    for key in before.keys() | after.keys():
        olds, news = before.get(key, []), after.get(key, [])
        for a, b in zip(olds, news, strict=False):
            if _details(a) != _details(b):
                changed.append(Changed(a, b))
        removed += olds[len(news) :]
        added += news[len(olds) :]
    order = {id(c): i for i, c in enumerate([*old, *new])}
    return ArticleDiff(
        name,
        old_version,
        new_version,
        added=tuple(sorted(added, key=lambda c: order[id(c)])),
        removed=tuple(sorted(removed, key=lambda c: order[id(c)])),
        changed=tuple(sorted(changed, key=lambda c: order[id(c.new)])),
    )


@dataclass(frozen=True, slots=True)
class DiffReport:
    """The diffs of many articles with totals."""

    articles: tuple[ArticleDiff, ...] = field(default_factory=tuple)

    def counts(self) -> dict[str, int]:
        return {
            "articles": len(self.articles),
            "articles_changed": sum(not a.is_empty for a in self.articles),
            "added": sum(len(a.added) for a in self.articles),
            "removed": sum(len(a.removed) for a in self.articles),
            "changed": sum(len(a.changed) for a in self.articles),
        }

    @property
    def old_versions(self) -> list[str]:
        return sorted({a.old_version for a in self.articles})

    @property
    def new_versions(self) -> list[str]:
        return sorted({a.new_version for a in self.articles})

    def to_json(self) -> dict[str, Any]:
        """Totals, versions, and every non-empty article diff (claims in the extract shape)."""
        return {
            "old_versions": self.old_versions,
            "new_versions": self.new_versions,
            "counts": self.counts(),
            "articles": [_article_json(a) for a in self.articles if not a.is_empty],
        }


def _article_json(diff: ArticleDiff) -> dict[str, Any]:
    return {
        "article": diff.name,
        "old_version": diff.old_version,
        "new_version": diff.new_version,
        "added": [c.to_json() for c in diff.added],
        "removed": [c.to_json() for c in diff.removed],
        "changed": [
            {"old": ch.old.to_json(), "new": ch.new.to_json(), "fields": ch.fields}
            for ch in diff.changed
        ],
    }


def describe(claim: Claim) -> str:
    """One line: `subject [not] predicate object [theme] (says speaker)`."""
    parts = [claim.subject.text, ("not " if claim.negated else "") + claim.predicate]
    if claim.object is not None:
        parts.append(claim.object.text)
    if claim.theme:
        parts.append(f"[{claim.theme}]")
    said = f" (says {claim.speaker.text})" if claim.speaker else ""
    return " ".join(parts) + said


def render_text(report: DiffReport) -> list[str]:
    """The report as plain lines: versions, counts, then +/-/~ lines per article."""
    c = report.counts()
    lines = [
        f"old version: {', '.join(report.old_versions) or '-'}",
        f"new version: {', '.join(report.new_versions) or '-'}",
        f"{c['articles']} articles, {c['articles_changed']} with differences: "
        f"{c['added']} claims added, {c['removed']} removed, {c['changed']} changed",
    ]
    for diff in report.articles:
        if diff.is_empty:
            continue
        lines.append(f"\n{diff.name}")
        lines += [f"  + {describe(x)}" for x in diff.added]
        lines += [f"  - {describe(x)}" for x in diff.removed]
        for ch in diff.changed:
            what = ", ".join(f"{f}: {_show(ch.old, f)} -> {_show(ch.new, f)}" for f in ch.fields)
            lines.append(f"  ~ {describe(ch.new)}  ({what})")
    return lines


def _show(claim: Claim, name: str) -> str:
    value = getattr(claim, name)
    if isinstance(value, ActorRef):
        return value.text
    return "-" if value is None else str(value)
