"""Scores the extractor and a textacy baseline on the gold set: precision, recall and F1.

Run `python -m pipeline.eval.claims [GOLD.yaml] [--entities PATH]`: it scores the gold set
the rules were developed on and then the held-out set (tests/gold/heldout.yaml, never tuned on;
`--no-heldout` skips it, and it is skipped when GOLD is given). The baseline is
textacy's `subject_verb_object_triples` plus `direct_quotations` over the same spaCy doc, with
the same actor linking (the linker's `kb_id_` on `doc.ents`), so the comparison isolates the
claim rules. Gold format: see tests/gold/articles.yaml.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.catalog import load_actors
from pipeline.eval.scoring import PredictedClaim, Rates
from pipeline.extract import Extractor
from pipeline.models import Extraction

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold" / "articles.yaml"
HELDOUT = ROOT / "tests" / "gold" / "heldout.yaml"
ENTITIES = ROOT / "config" / "entities.yaml"
Triple = tuple[str | None, str, str | None]


@dataclass(slots=True)
class Score(Rates):
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn


@dataclass(slots=True)
class Report:
    """Scores of one system on the gold set; `trap_hits` lists (article, id) wrongly linked."""

    actors: Score = field(default_factory=Score)
    claims: Score = field(default_factory=Score)
    speakers: Score = field(default_factory=Score)
    negation: Score = field(default_factory=Score)
    trap_hits: list[tuple[str, str]] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def rows(self) -> dict[str, Score]:
        return {
            "actors": self.actors,
            "claims": self.claims,
            "speakers": self.speakers,
            "negation": self.negation,
        }


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    """The gold articles: dicts with id, text, actors, traps, claims."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["articles"])


def system_claims(extraction: Extraction) -> list[PredictedClaim]:
    return [
        PredictedClaim(
            c.subject.id,
            c.predicate,
            c.object.id if c.object else None,
            c.speaker.id if c.speaker else None,
            c.negated,
        )
        for c in extraction.claims
    ]


def _match(predicted: list[Any], gold: list[Any], same: Callable[[Any, Any], bool]) -> int:
    """One-to-one greedy matching; returns the number of matched pairs."""
    free = list(predicted)
    matched = 0
    for g in gold:
        hit = next((p for p in free if same(p, g)), None)
        if hit is not None:
            free.remove(hit)
            matched += 1
    return matched


def _same_triple(p: PredictedClaim, g: dict[str, Any]) -> bool:
    predicates = g["predicate"] if isinstance(g["predicate"], list) else [g["predicate"]]
    return p.subject == g["subject"] and p.object == g["object"] and p.predicate in predicates


def _count(score: Score, predicted: list[Any], gold: list[Any], same: Callable) -> None:
    tp = _match(predicted, gold, same)
    score.add(tp, len(predicted) - tp, len(gold) - tp)


def score_article(
    report: Report, article: dict[str, Any], ids: set[str], claims: list[PredictedClaim]
) -> None:
    """Add one article's counts to `report`; only claims with a tracked subject are scored."""
    gold_ids = set(article.get("actors") or [])
    report.actors.add(len(ids & gold_ids), len(ids - gold_ids), len(gold_ids - ids))
    report.trap_hits += [(article["id"], t) for t in article.get("traps") or [] if t in ids]
    tracked = [c for c in claims if c.subject]
    gold = list(article.get("claims") or [])
    _count(report.claims, tracked, gold, _same_triple)
    spoken = [c for c in tracked if c.speaker]
    _count(report.speakers, spoken, [g for g in gold if g["speaker"]], _same_spoken)
    negative = [c for c in tracked if c.negated]
    _count(report.negation, negative, [g for g in gold if g["negated"]], _same_triple)
    found = _match(tracked, gold, _same_triple)
    if found < len(gold) or len(tracked) > found:
        report.misses.append(f"{article['id']}: predicted {_fmt(tracked)}")


def _same_spoken(p: PredictedClaim, g: dict[str, Any]) -> bool:
    return _same_triple(p, g) and p.speaker == g["speaker"]


def _fmt(claims: Iterable[PredictedClaim]) -> str:
    return "; ".join(
        f"{c.subject} {c.predicate} {c.object} by={c.speaker}{' NEG' if c.negated else ''}"
        for c in claims
    )


def evaluate(
    extractor: Extractor, gold: Sequence[dict[str, Any]], baseline: bool = False
) -> Report:
    """Score the extractor (or, with `baseline`, textacy over the same docs) on `gold`."""
    report = Report()
    texts = [a["text"] for a in gold]
    if baseline:
        # textacy is a test extra: the deployed install imports this module without it.
        from pipeline.eval.baseline import baseline_claims

        docs = extractor.nlp.pipe(texts, batch_size=extractor.batch_size)
        for article, doc in zip(gold, docs, strict=True):
            ids = {e.kb_id_ for e in doc.ents if e.kb_id_}
            score_article(report, article, ids, baseline_claims(doc))
        return report
    # The gold texts put the headline first, then a blank line, then the body.
    pairs = [_title_and_body(t) for t in texts]
    for article, extraction in zip(gold, extractor.extract_articles(pairs), strict=True):
        score_article(report, article, set(extraction.actor_ids), system_claims(extraction))
    return report


def _title_and_body(text: str) -> tuple[str, str]:
    title, sep, body = text.partition("\n\n")
    return (title, body) if sep and "\n" not in title.strip() else ("", text)


def format_table(system: Report, baseline: Report) -> str:
    lines = [f"{'':10} {'newsmon P':>10} {'R':>6} {'F1':>6}   {'textacy P':>10} {'R':>6} {'F1':>6}"]
    for name, ours in system.rows().items():
        base = baseline.rows()[name]
        lines.append(
            f"{name:10} {ours.precision:10.3f} {ours.recall:6.3f} {ours.f1:6.3f}   "
            f"{base.precision:10.3f} {base.recall:6.3f} {base.f1:6.3f}"
        )
    lines.append(
        f"traps linked: newsmon {len(system.trap_hits)}, textacy {len(baseline.trap_hits)}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=None)
    parser.add_argument("--entities", type=Path, default=ENTITIES)
    parser.add_argument("--no-heldout", action="store_true", help="score the tuned set only")
    parser.add_argument("--verbose", "-v", action="store_true", help="list articles with errors")
    args = parser.parse_args(argv)
    extractor = Extractor(load_actors(args.entities))
    sets = [("gold set", args.gold or GOLD)]
    if args.gold is None and not args.no_heldout:
        sets.append(("held-out set", HELDOUT))
    for label, path in sets:
        gold = load_gold(path)
        system = evaluate(extractor, gold)
        baseline = evaluate(extractor, gold, baseline=True)
        claims = sum(len(a["claims"]) for a in gold)
        print(f"{label} ({path.name}): {len(gold)} articles, {claims} claims")
        print(format_table(system, baseline))
        if args.verbose:
            print("\n".join(system.misses))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
