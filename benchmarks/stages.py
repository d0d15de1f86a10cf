"""CPU of each pipeline stage against bare `nlp.pipe`, in one process: where the pipeline's
time goes beside spaCy, and the best pipeline/bare ratio a worker pool could reach.

Run `python benchmarks/stages.py [--n 300] [--batch 16] [--database sqlite|postgresql]
[--redis redis://127.0.0.1:6379/13]`.

Over the corpus of benchmarks/extract.py: bare `nlp.pipe` first (baseline), then the
extractor alone, then ingest+dedup, extract (spaCy, claim rules, storing) and match (story
grouping) on a fresh database and a real Redis (the db is flushed before and after), batch
by batch as the workers run them. CPU seconds of this process (`time.process_time`), so
other load on the machine counts less than in wall time; the database server's own CPU
(PostgreSQL) is not in it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis
import spacy

from benchmarks.extract import PG_ADMIN, fresh_database, generate_corpus
from pipeline import run
from pipeline.catalog import load_actors
from pipeline.dedup import NearDuplicateIndex
from pipeline.extract import Extractor
from pipeline.models import ArticleIn
from pipeline.settings import SPACY_MODEL
from pipeline.store.db import make_engine, make_sessionmaker, migrate

ROOT = Path(__file__).resolve().parents[1]


def articles(n: int) -> list[ArticleIn]:
    """The generated corpus as articles (first paragraph the title), each its own URL."""
    out = []
    for i, text in enumerate(generate_corpus(n, seed=7)):
        title, _, body = text.partition("\n\n")
        out.append(ArticleIn(title=title, text=body, url=f"https://bench.example/{i}"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-admin", default=PG_ADMIN)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args(argv)
    corpus = articles(args.n)
    texts = [f"{a.title}\n\n{a.text}" for a in corpus]
    nlp = spacy.load(SPACY_MODEL)
    nlp("Warm up the pipeline with one short document.")
    extractor = Extractor(load_actors(ROOT / "config" / "entities.yaml"))
    client = redis.Redis.from_url(args.redis)
    client.flushdb()
    # Every generated article is an original (they share template sentences).
    index = NearDuplicateIndex(client, threshold=1.0)

    start = time.process_time()
    for _ in nlp.pipe(texts, batch_size=args.batch):
        pass
    bare = time.process_time() - start
    start = time.process_time()
    for _ in extractor.extract_articles((a.title, a.text) for a in corpus):
        pass
    alone = time.process_time() - start

    cost = dict.fromkeys(("ingest+dedup", "extract", "match"), 0.0)
    with (
        tempfile.TemporaryDirectory(prefix="newsmon-stages-") as tmp,
        fresh_database(args.database, Path(tmp), args.pg_admin) as url,
    ):
        migrate(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        try:
            for i in range(0, len(corpus), args.batch):
                start = time.process_time()
                ids = run.ingest(sessions, corpus[i : i + args.batch], force=True).to_process
                ids = run.deduplicate(sessions, client, index, ids).originals
                cost["ingest+dedup"] += time.process_time() - start
                start = time.process_time()
                run.extract(sessions, extractor, ids)
                cost["extract"] += time.process_time() - start
                start = time.process_time()
                run.match(sessions, ids, alerts_enabled=False)
                cost["match"] += time.process_time() - start
        finally:
            engine.dispose()
            client.flushdb()
            client.close()
    total = sum(cost.values())
    print(f"{args.n} articles, batches of {args.batch}, {args.database}; CPU seconds / bare")
    print(f"bare nlp.pipe                  {bare:7.2f} s  1.000 (baseline)")
    print(f"extractor alone                {alone:7.2f} s  {alone / bare:5.3f}")
    for name, seconds in cost.items():
        print(f"{name:<30} {seconds:7.2f} s  {seconds / bare:5.3f}")
    print(f"  of which storing and linking {cost['extract'] - alone:7.2f} s")
    print(f"pipeline, all stages           {total:7.2f} s  {total / bare:5.3f}")
    print(f"best pipeline/bare a pool of this CPU could reach: {bare / total:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
