"""Alert latency benchmark: articles at a steady rate through real workers to a local webhook.

Feeds articles for `--seconds` through `newsmon worker` processes on Redis (ingest+dedup ->
extract -> match -> deliver) to an aiohttp receiver on 127.0.0.1, and reports the latency
from enqueue to receipt (p50, p95, p99) and the throughput. With `--load F` the pipeline's
capacity is measured first in the same run (a burst of `--capacity-articles` sent at once,
articles/s until the last alert arrives) and F x capacity is offered; `--rate R` offers a
fixed rate instead. The baseline, also measured in the same run, is a bare signed POST from
this process to the same receiver; figures are printed with their ratio to it.
`--database postgresql` runs on a fresh PostgreSQL database instead of a temp SQLite file.

    .venv/bin/python benchmarks/alerts.py --seconds 60 --load 0.8 [--database postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import redis
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.extract import PG_ADMIN, fresh_database  # noqa: E402
from pipeline.alerts import subscriptions  # noqa: E402
from pipeline.alerts.channels.base import Delivery  # noqa: E402
from pipeline.alerts.channels.webhook import WebhookChannel  # noqa: E402
from pipeline.models import ArticleIn, Rule, SubscriptionSpec  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.store.db import transaction  # noqa: E402
from workers.deps import Deps  # noqa: E402
from workers.process.runtime import prepare  # noqa: E402
from workers.queue.app import configure  # noqa: E402


class Receiver:
    """Records the arrival time of every webhook by the article URL in its payload."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.port = 0
        self.ready = threading.Event()

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        url = (body.get("article") or {}).get("url") or "baseline"
        self.arrived.setdefault(url, time.time())
        return web.Response(text="ok")

    def serve(self) -> None:
        async def main() -> None:
            app = web.Application()
            app.router.add_post("/hook", self.handle)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = runner.addresses[0][1]
            self.ready.set()
            await asyncio.Event().wait()

        threading.Thread(target=asyncio.run, args=(main(),), daemon=True).start()
        self.ready.wait(10)


def make_article(i: int, rng: random.Random, tag: str = "") -> ArticleIn:
    # Invented words and no tracked actor: every article is its own story (nothing shared
    # to group on) and no near-copy of another, so each one yields exactly one alert.
    def word() -> str:
        return "".join(rng.choice("abcdefghiklmnoprstuvy") for _ in range(rng.randint(3, 9)))

    sentences = [" ".join(word() for _ in range(12)).capitalize() + "." for _ in range(25)]
    return ArticleIn(
        title=f"Report {i}: {word()} {word()}",
        text=" ".join(sentences),
        url=f"https://bench.example/{tag}{i}-{uuid.uuid4().hex[:8]}",
        source="bench.example",
        language="en",
    )


def settings_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"NEWSMON_{name.upper()}"] = (
                json.dumps(list(value)) if isinstance(value, tuple | list) else str(value)
            )
    return env


def baseline(receiver: Receiver, n: int = 200) -> list[float]:
    channel = WebhookChannel()
    latencies = []
    for i in range(n):
        delivery = Delivery(
            delivery_id=f"msg_{i}",
            subscription_id=None,
            target=f"http://127.0.0.1:{receiver.port}/hook",
            payload={"article": {"url": f"baseline-{i}"}},
            secret="whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY",
            allow_loopback=True,
        )
        started = time.time()
        channel.send(delivery)
        latencies.append(receiver.arrived[f"baseline-{i}"] - started)
    return latencies


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def start_worker(settings: Settings, log: Path, concurrency: int) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "workers.cli.main", "worker", "--queues", "cpu,io"]
    argv += ["--concurrency", str(concurrency), "--name", f"bench-{os.getpid()}@%h"]
    handle = log.open("wb")
    process = subprocess.Popen(
        argv, env=settings_env(settings), cwd=ROOT, stdout=handle, stderr=handle
    )
    deadline = time.monotonic() + 120
    while b"ready." not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"worker did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)
    return process


def feed(rate: float, seconds: float) -> dict[str, float]:
    """Send `rate` x `seconds` articles, one ingest task each, each at its time slot."""
    from workers.queue.tasks import ingest

    rng = random.Random(7)
    sent: dict[str, float] = {}
    total = int(rate * seconds)
    start = time.monotonic()
    for i in range(total):
        # Steady rate: each article leaves at its slot, not as fast as possible.
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        art = make_article(i, rng)
        sent[str(art.url)] = time.time()
        ingest.delay([art.to_json()], None, {"alerts": True})
    return sent


def burst(receiver: Receiver, n: int, tag: str, timeout: float = 600) -> float:
    """Send `n` articles at once (one ingest task each, as `feed` does); articles/s from the
    first send to the last alert's arrival."""
    from workers.queue.tasks import ingest

    rng = random.Random(tag)  # each burst its own texts: never copies of another burst's
    arts = [make_article(i, rng, tag) for i in range(n)]
    start = time.time()
    for art in arts:
        ingest.delay([art.to_json()], None, {"alerts": True})
    urls = {str(a.url) for a in arts}
    deadline = time.monotonic() + timeout
    while not urls <= set(receiver.arrived):
        if time.monotonic() > deadline:
            raise SystemExit(f"burst: only {len(urls & set(receiver.arrived))} of {n} arrived")
        time.sleep(0.05)
    return n / (max(receiver.arrived[u] for u in urls) - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=None, help="fixed articles/s")
    parser.add_argument("--load", type=float, default=None, help="fraction of capacity")
    parser.add_argument("--capacity-articles", type=int, default=120)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-admin", default=PG_ADMIN)
    args = parser.parse_args()
    if (args.rate is None) == (args.load is None):
        args.load = 0.8 if args.rate is None else None
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-alerts-bench-"))
    with fresh_database(args.database, tmp, args.pg_admin) as database_url:
        run_benchmark(args, tmp, database_url)


def run_benchmark(args: argparse.Namespace, tmp: Path, database_url: str) -> None:
    receiver = Receiver()
    receiver.serve()
    subs = tmp / "subscriptions.yaml"
    subs.write_text("subscriptions: []\n")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        var_dir=tmp / "var",
        database_url=database_url,
        redis_url=args.redis,
        subscriptions_file=subs,
        feeds_file=tmp / "feeds.yaml",
        entities_file=ROOT / "config" / "entities.yaml",
        alerts_allow_loopback=True,
    )
    client = redis.Redis.from_url(args.redis)
    client.flushdb()
    deps = Deps(settings)
    prepare(deps)
    configure(settings)
    spec = SubscriptionSpec(
        name="bench",
        owner="bench",
        rule=Rule(sources=("bench.example",)),
        channel="webhook",
        target=f"http://127.0.0.1:{receiver.port}/hook",
    )
    with transaction(deps.sessions) as session:
        subscriptions.save(session, spec)

    base = baseline(receiver)
    worker = start_worker(settings, tmp / "worker.log", args.concurrency)
    try:
        burst(receiver, 2 * args.concurrency, "warm-")  # the model loaded in every process
        capacity = None
        if args.load is not None:
            capacity = burst(receiver, args.capacity_articles, "capacity-")
            args.rate = args.load * capacity
        began = time.time()
        sent = feed(args.rate, args.seconds)
        deadline = time.monotonic() + 120
        while not set(sent) <= set(receiver.arrived) and time.monotonic() < deadline:
            time.sleep(0.2)
        ended = max((receiver.arrived[u] for u in sent if u in receiver.arrived), default=began)
    finally:
        worker.terminate()
        worker.wait(30)
        client.flushdb()
        deps.close()
    report(sent, receiver.arrived, base, began, ended, args, capacity)


def report(
    sent: dict[str, float],
    arrived: dict[str, float],
    base: list[float],
    began: float,
    ended: float,
    args: argparse.Namespace,
    capacity: float | None = None,
) -> None:
    latencies = [arrived[u] - t for u, t in sent.items() if u in arrived]
    if len(latencies) < 2:
        raise SystemExit(f"only {len(latencies)} of {len(sent)} alerts arrived")
    got, floor = percentiles(latencies), percentiles(base)
    print(f"database {args.database}, {args.concurrency} worker processes")
    if capacity is not None:
        print(f"capacity {capacity:.2f} articles/s ({args.capacity_articles} sent at once)")
        print(f"offered {args.rate:.2f} articles/s = {args.load:g} x capacity")
    print(f"offered {len(sent)} articles at {args.rate:.2f}/s for {args.seconds:g} s")
    print(
        f"received/offered {len(latencies)}/{len(sent)} = {len(latencies) / len(sent):.3f} "
        f"({len(sent) - len(latencies)} missing)"
    )
    print(f"throughput {len(latencies) / max(ended - began, 1e-9):.2f} alerts/s")
    for key in ("p50", "p95", "p99"):
        ratio = got[key] / floor[key]
        print(
            f"{key}: {got[key] * 1000:8.1f} ms  "
            f"(bare POST {floor[key] * 1000:.2f} ms, x{ratio:.0f})"
        )


if __name__ == "__main__":
    main()
