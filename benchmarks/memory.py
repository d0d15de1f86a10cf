"""Peak memory of a real CPU worker on long articles, against bare `nlp.pipe` on the same texts.

Starts one `newsmon worker` (cpu+io queues, `--processes` pool processes) on a fresh SQLite
database and Redis, runs `newsmon reprocess` over a corpus of `--n20` articles of 20 KB and
`--n200` of 200 KB (the reprocess command sends them in its usual batches), and samples the
resident set size of every pool process every 0.1 s until the command ends. The baseline, in
the same run, is a child process that loads the same spaCy model and runs bare `nlp.pipe` over
the same texts (as spaCy allows: each text whole, batch size 1). Prints the peak per process,
the ratio to the baseline, and the bound the issue sets (400 MB per process).

    .venv/bin/python benchmarks/memory.py [--n20 50] [--n200 4] [--processes 2]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import psutil
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.extract import (  # noqa: E402
    extracted_count,
    newsmon,
    pipeline_env,
    start_worker,
    stop_worker,
    write_corpus,
)
from pipeline.settings import Settings  # noqa: E402

BOUND_MB = 400
PARAGRAPH_WORDS = [
    "officials",
    "ministry",
    "said",
    "talks",
    "supplied",
    "troops",
    "border",
    "statement",
    "report",
    "government",
    "forces",
    "agreement",
    "minister",
    "sanctions",
    "delivered",
    "weapons",
    "meeting",
    "spokesman",
    "envoy",
]
ACTORS = ["North Korea", "Russia", "Iran", "the Wagner Group", "Ukraine", "China"]


def long_text(chars: int, rng: random.Random) -> str:
    """A text of about `chars` characters in paragraphs, with tracked actors and claims."""
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        a, b = rng.sample(ACTORS, 2)
        words = " ".join(rng.choice(PARAGRAPH_WORDS) for _ in range(40))
        para = f"{a} supplied rockets to {b}, officials said on Monday. {words.capitalize()}."
        paragraphs.append(para)
        size += len(para) + 2
    return "\n\n".join(paragraphs)


def corpus(n20: int, n200: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    texts = [long_text(20_000, rng) for _ in range(n20)] + [
        long_text(200_000, rng) for _ in range(n200)
    ]
    rng.shuffle(texts)
    return [f"Report {i}\n{text}" for i, text in enumerate(texts)]


class Sampler:
    """Peak RSS (bytes) per process among `root`'s descendants, sampled in a thread."""

    def __init__(self, root: int) -> None:
        self.root = psutil.Process(root)
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for child in self.root.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), rss)
            self._stop.wait(0.1)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


BARE = """
import sys, json, resource, spacy
nlp = spacy.load(sys.argv[1])
texts = json.load(open(sys.argv[2]))
nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)
for _ in nlp.pipe(texts, batch_size=1):
    pass
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
print(peak * 1024)
"""


def bare_peak(texts: list[str], model: str, tmp: Path) -> int:
    import json

    path = tmp / "texts.json"
    path.write_text(json.dumps(texts))
    done = subprocess.run(
        [sys.executable, "-c", BARE, model, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    return int(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n20", type=int, default=50)
    parser.add_argument("--n200", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    texts = corpus(args.n20, args.n200)
    model = Settings(_env_file=None).spacy_model  # type: ignore[call-arg]
    client = redis.Redis.from_url(args.redis)
    client.flushdb()
    with tempfile.TemporaryDirectory(prefix="newsmon-memory-") as name:
        tmp = Path(name)
        write_corpus(tmp / "corpus", texts)
        env = pipeline_env(tmp, args.redis)
        database_url = env["NEWSMON_DATABASE_URL"]
        worker = start_worker(env, args.processes, tmp / "worker.log")
        try:
            with Sampler(worker.pid) as sampler:
                elapsed = newsmon(env, "reprocess", str(tmp / "corpus"), "--no-alerts")
        finally:
            stop_worker(worker)
            client.flushdb()
        extracted = extracted_count(database_url)
        bare = bare_peak([t.split("\n", 1)[1] for t in texts], model, tmp)
    peaks = sorted(sampler.peaks.values(), reverse=True)[: args.processes]
    mb = 1024 * 1024
    print(f"{args.n20} articles of 20 KB + {args.n200} of 200 KB, {args.processes}-process worker")
    print(f"extracted {extracted} of {len(texts)} in {elapsed:.1f} s")
    print(f"bare nlp.pipe, one process      peak {bare / mb:7.1f} MB")
    for i, peak in enumerate(peaks):
        print(f"worker pool process {i + 1}         peak {peak / mb:7.1f} MB")
    worst = peaks[0] if peaks else 0
    print(f"ratio worst worker/bare          {worst / bare:7.3f}")
    verdict = "within" if worst <= BOUND_MB * mb else "OVER"
    print(f"bound {BOUND_MB} MB per process: {verdict}")


if __name__ == "__main__":
    main()
