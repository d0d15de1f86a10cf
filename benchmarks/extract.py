"""Throughput of extraction against bare `nlp.pipe` over the same generated corpus, two lines.

Run `python benchmarks/extract.py [--n 500] [--seed 7] [--batch-size 16] [--processes 2]
[--database sqlite|postgresql] [--pg-admin URL] [--rounds 2]`.

1. In this process: `Extractor.extract_many` against bare `nlp.pipe` (goal: ratio >= 0.8).
2. Through the real pipeline: `newsmon reprocess DIR --no-alerts` of the same corpus written
   to a temp folder, against one `newsmon worker` with `--processes` pool processes on a real
   Redis (db 14, flushed before and after) and a fresh temp SQLite database, or a fresh
   PostgreSQL database (`--database postgresql`, created through `--pg-admin` and dropped
   after); against bare `nlp.pipe` in as many processes, each with its own model (Docs are
   never shipped between processes). Both sides are warmed up first (model loaded in every
   process) and only the run is timed. The two sides alternate `--rounds` times, each keeping
   its best run, so load from elsewhere on the machine penalises neither side more.

`generate_corpus(n, seed)` is importable for other benchmarks.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.catalog import load_actors
from pipeline.extract import Extractor
from pipeline.settings import SPACY_MODEL

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
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
    parser.add_argument("--model", default=SPACY_MODEL)
    parser.add_argument("--rounds", type=int, default=2, help="alternating runs; best of each")
    parser.add_argument("--processes", type=int, default=2, help="line 2: worker processes")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14", help="line 2: broker")
    parser.add_argument("--only", choices=["inprocess", "celery"], help="run one line only")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-admin", default=PG_ADMIN, help="creates the PostgreSQL database")
    args = parser.parse_args(argv)
    texts = generate_corpus(args.n, args.seed)
    if args.only != "celery":
        in_process_line(texts, args)
    if args.only != "inprocess":
        celery_line(texts, args)
    return 0


def in_process_line(texts: list[str], args: argparse.Namespace) -> None:
    """Line 1: the extractor against bare `nlp.pipe`, alternating, in this process."""
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
    print(f"ratio extractor/bare    {ours_rate / bare_rate:7.3f}  (goal >= 0.90)")


_pool_nlp = None


def _load_pool_nlp(model: str) -> None:
    global _pool_nlp
    _pool_nlp = spacy.load(model)
    _pool_nlp("Warm up the pipeline with one short document.")


def _pipe_chunk(chunk: list[str], batch_size: int) -> int:
    assert _pool_nlp is not None
    return sum(1 for _ in _pool_nlp.pipe(chunk, batch_size=batch_size))


def bare_processes(texts: list[str], processes: int, batch_size: int, model: str) -> float:
    """Articles/s of bare `nlp.pipe` in `processes` processes with a model each (load untimed)."""
    chunks = [texts[i::processes] for i in range(processes)]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes, initializer=_load_pool_nlp, initargs=(model,)) as pool:
        pool.starmap(_pipe_chunk, [(["warm up"] * 4, batch_size)] * processes)
        start = time.perf_counter()
        done = sum(pool.starmap(_pipe_chunk, [(c, batch_size) for c in chunks]))
        elapsed = time.perf_counter() - start
    assert done == len(texts)
    return len(texts) / elapsed


def write_corpus(folder: Path, texts: Sequence[str]) -> None:
    """One plain-text article per file; the first line is the title."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")


def pipeline_env(tmp: Path, redis_url: str, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update(
        NEWSMON_REDIS_URL=redis_url,
        NEWSMON_DATABASE_URL=database_url or f"sqlite:///{tmp / 'newsmon.db'}",
        NEWSMON_VAR_DIR=str(tmp / "var"),
        NEWSMON_ENTITIES_FILE=str(ROOT / "config" / "entities.yaml"),
        NEWSMON_FEEDS_FILE=str(tmp / "feeds.yaml"),
        NEWSMON_SUBSCRIPTIONS_FILE=str(tmp / "subscriptions.yaml"),
        # Generated articles share template sentences; keep every one an original so that
        # both sides extract the same number of articles.
        NEWSMON_DEDUP_THRESHOLD="1.0",
    )
    return env


@contextlib.contextmanager
def fresh_database(kind: str, tmp: Path, pg_admin: str = PG_ADMIN) -> Iterator[str]:
    """The URL of an empty database: a file in `tmp`, or a PostgreSQL database dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'newsmon.db'}"
        return
    import psycopg

    name = f"newsmon_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg_admin.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def newsmon(env: dict[str, str], *args: str) -> float:
    """Run one `newsmon` command to completion; its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise SystemExit(f"newsmon {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def start_worker(env: dict[str, str], processes: int, log: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "workers.cli.main", "worker", "--queues", "cpu,io"]
    argv += ["--concurrency", str(processes), "--name", f"bench-{os.getpid()}@%h"]
    with log.open("wb") as out:
        worker = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 120
    while b"ready." not in log.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            stop_worker(worker)
            raise SystemExit(f"worker did not start:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    return worker


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)  # our own session: the worker and its pool
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def extracted_count(database_url: str) -> int:
    from pipeline.store.db import make_engine, make_sessionmaker
    from pipeline.store.overview import extracted_articles

    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        count = extracted_articles(session)
    engine.dispose()
    return count


def celery_rate(
    texts: list[str],
    processes: int,
    redis_url: str,
    database: str = "sqlite",
    pg_admin: str = PG_ADMIN,
) -> float:
    """Articles/s of `newsmon reprocess` through one real worker with `processes` processes."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    with (
        tempfile.TemporaryDirectory(prefix="newsmon-bench-") as name,
        fresh_database(database, Path(name), pg_admin) as database_url,
    ):
        tmp = Path(name)
        write_corpus(tmp / "warm", generate_corpus(4 * processes, seed=12345))
        write_corpus(tmp / "corpus", texts)
        env = pipeline_env(tmp, redis_url, database_url)
        worker = start_worker(env, processes, tmp / "worker.log")
        try:
            newsmon(env, "reprocess", str(tmp / "warm"), "--no-alerts")  # loads every pool
            warm = extracted_count(database_url)
            elapsed = newsmon(env, "reprocess", str(tmp / "corpus"), "--no-alerts")
        finally:
            stop_worker(worker)
            client.flushdb()
            client.close()
        extracted = extracted_count(database_url) - warm
    if extracted != len(texts):
        print(f"warning: {extracted} of {len(texts)} articles were extracted")
    return extracted / elapsed


def celery_line(texts: list[str], args: argparse.Namespace) -> None:
    """Line 2: `newsmon reprocess` through real Celery workers against bare multi-process pipe,
    alternating `args.rounds` times and keeping each side's best run."""
    n = args.processes
    bare = ours = 0.0
    for _ in range(args.rounds):
        bare = max(bare, bare_processes(texts, n, args.batch_size, args.model))
        ours = max(ours, celery_rate(texts, n, args.redis, args.database, args.pg_admin))
    print(
        f"{len(texts)} articles through Celery on Redis, {n} processes each side, {args.database}"
    )
    print(f"best of {args.rounds} alternating runs")
    print(f"bare nlp.pipe x{n} processes       {bare:7.2f} articles/s")
    print(f"newsmon reprocess, {n}-process worker {ours:7.2f} articles/s")
    print(f"ratio pipeline/bare              {ours / bare:7.3f}  (goal >= 0.85)")


if __name__ == "__main__":
    sys.exit(main())
