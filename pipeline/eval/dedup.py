"""Precision and recall of near-duplicate detection on the labelled set, over a parameter grid.

Run `python -m pipeline.eval.dedup` (defaults only) or `... --grid` (shingle sizes x
permutations x thresholds). The labelled set is `tests/dedup/labelled/labelled.yaml`.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.dedup.signature import Encoded, MinHashLayout
from pipeline.eval.scoring import Rates

LABELLED = Path(__file__).resolve().parents[2] / "tests" / "dedup" / "labelled" / "labelled.yaml"
DEFAULTS = {"shingle_size": 3, "num_perm": 256, "threshold": 0.4}
GRID: dict[str, Sequence[Any]] = {
    "shingle_size": (2, 3, 5),
    "num_perm": (128, 256),
    "threshold": (0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8),
}


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One text of the labelled set: `root` is the article it copies (itself if original)."""

    id: str
    text: str
    root: str
    event: str


@dataclass(frozen=True, slots=True)
class Pair:
    a: LabelledText
    b: LabelledText

    @property
    def is_copy(self) -> bool:
        return self.a.root == self.b.root

    @property
    def same_event(self) -> bool:
        return self.a.event == self.b.event


@dataclass(frozen=True, slots=True)
class Score(Rates):
    """Pairwise confusion counts, and the pairs decided wrongly."""

    tp: int
    fp: int
    fn: int
    tn: int
    missed: tuple[str, ...]
    false_alarms: tuple[str, ...]


def _paragraphs(text: str) -> tuple[str, list[str]]:
    blocks = [b.strip() for b in text.strip().split("\n\n") if b.strip()]
    return blocks[0], blocks[1:]


def _join(title: str, paras: list[str]) -> str:
    return "\n\n".join([title, *paras] if title else paras)


def _op_headline(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    return str(arg), paras


def _op_no_headline(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    return "", paras


def _op_footer(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    return title, [*paras, str(arg)]


def _op_drop_last(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    return title, paras[:-1]


def _op_drop(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    return title, paras[:arg] + paras[arg + 1 :]


def _op_swap(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    i, j = arg
    out = list(paras)
    out[i], out[j] = out[j], out[i]
    return title, out


def _op_add(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    at = arg["after"] + 1
    return title, [*paras[:at], arg["text"], *paras[at:]]


def _op_replace(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    text = "\n\n".join(paras)
    for old, new in arg:
        if old not in text:
            raise ValueError(f"replace: {old!r} not in the text")
        text = text.replace(old, new)
    return title, text.split("\n\n")


def _op_prepend(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    # An extractor puts page furniture before the headline as well.
    return "\n".join([*arg, title]), paras


def _op_append(title: str, paras: list[str], arg: Any) -> tuple[str, list[str]]:
    return title, [*paras, "\n".join(arg)]


OPS: dict[str, Callable[[str, list[str], Any], tuple[str, list[str]]]] = {
    "add": _op_add,
    "append": _op_append,
    "drop": _op_drop,
    "drop_last": _op_drop_last,
    "footer": _op_footer,
    "headline": _op_headline,
    "no_headline": _op_no_headline,
    "prepend": _op_prepend,
    "replace": _op_replace,
    "swap": _op_swap,
}


def apply_ops(text: str, ops: Iterable[dict[str, Any]]) -> str:
    """The text after the manifest's edit operations, applied in order."""
    title, paras = _paragraphs(text)
    for op in ops:
        ((name, arg),) = op.items()
        title, paras = OPS[name](title, paras, arg)
    return _join(title, paras)


def load_labelled(path: Path = LABELLED) -> list[LabelledText]:
    """Articles then copies, in manifest order (an original always precedes its copies)."""
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    items: dict[str, LabelledText] = {}
    for art in manifest["articles"]:
        text = (path.parent / art["file"]).read_text(encoding="utf-8")
        items[art["id"]] = LabelledText(art["id"], text, art["id"], art["event"])
    for copy in manifest["copies"]:
        parent = items[copy["of"]]
        text = apply_ops(parent.text, copy["ops"])
        items[copy["id"]] = LabelledText(copy["id"], text, parent.root, parent.event)
    return list(items.values())


def all_pairs(items: Sequence[LabelledText]) -> list[Pair]:
    return [Pair(a, b) for a, b in itertools.combinations(items, 2)]


def score(layout: MinHashLayout, items: Sequence[LabelledText]) -> Score:
    """Pairwise decisions of `layout` (LSH candidate and estimated Jaccard >= threshold)."""
    encoded: dict[str, Encoded] = {t.id: layout.encode(layout.signature(t.text)) for t in items}
    tp = fp = fn = tn = 0
    missed: list[str] = []
    false_alarms: list[str] = []
    for pair in all_pairs(items):
        flagged = layout.is_near_duplicate(encoded[pair.a.id], encoded[pair.b.id])
        name = f"{pair.a.id} ~ {pair.b.id}"
        if pair.is_copy:
            tp, fn = tp + flagged, fn + (not flagged)
            missed += [] if flagged else [name]
        else:
            fp, tn = fp + flagged, tn + (not flagged)
            false_alarms += [name] if flagged else []
    return Score(tp, fp, fn, tn, tuple(missed), tuple(false_alarms))


def similarity_ranges(layout: MinHashLayout, items: Sequence[LabelledText]) -> dict[str, float]:
    """Lowest copy similarity and highest similarity of non-copies (same event or not)."""
    encoded = {t.id: layout.encode(layout.signature(t.text)) for t in items}
    copies, same_event, other = [1.0], [0.0], [0.0]
    for pair in all_pairs(items):
        sim = layout.estimate(encoded[pair.a.id], encoded[pair.b.id])
        bucket = copies if pair.is_copy else same_event if pair.same_event else other
        bucket.append(sim)
    return {
        "min_copy": min(copies),
        "max_same_event": max(same_event),
        "max_other": max(other),
    }


def _row(params: dict[str, Any], result: Score, ranges: dict[str, float]) -> str:
    return (
        f"{params['shingle_size']:>7} {params['num_perm']:>5} {params['threshold']:>9.2f} "
        f"{result.precision:>9.3f} {result.recall:>7.3f} {result.fp:>4} {result.fn:>4}  "
        f"{ranges['min_copy']:>8.3f} {ranges['max_same_event']:>10.3f} {ranges['max_other']:>9.3f}"
    )


def report(grid: dict[str, Sequence[Any]], items: Sequence[LabelledText]) -> list[str]:
    """One line per parameter combination."""
    header = "shingle  perm threshold precision  recall   fp   fn  min_copy max_sameev max_other"
    lines = [header]
    for size, perm, threshold in itertools.product(*grid.values()):
        layout = MinHashLayout(num_perm=perm, shingle_size=size, threshold=threshold)
        params = {"shingle_size": size, "num_perm": perm, "threshold": threshold}
        lines.append(_row(params, score(layout, items), similarity_ranges(layout, items)))
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grid", action="store_true", help="evaluate the whole grid")
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    args = parser.parse_args(argv)
    items = load_labelled(args.labelled)
    pairs = all_pairs(items)
    n_copy = sum(p.is_copy for p in pairs)
    n_event = sum(p.same_event and not p.is_copy for p in pairs)
    print(f"{len(items)} texts, {len(pairs)} pairs: {n_copy} copies, {n_event} same-event")
    grid: dict[str, Sequence[Any]] = GRID if args.grid else {k: (v,) for k, v in DEFAULTS.items()}
    for line in report(grid, items):
        print(line)
    if not args.grid:
        layout = MinHashLayout(**DEFAULTS)  # type: ignore[arg-type]
        result = score(layout, items)
        for name in result.missed:
            print(f"missed: {name}")
        for name in result.false_alarms:
            print(f"false alarm: {name}")


if __name__ == "__main__":
    main()
