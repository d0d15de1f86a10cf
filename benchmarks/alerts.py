"""Alert latency benchmark: articles at a steady rate through real workers to a local webhook.

Feeds `--rate` articles per second for `--seconds` through `newsmon worker` processes on
Redis (ingest -> dedup -> extract -> match -> deliver) to an aiohttp receiver on 127.0.0.1,
and reports the latency from enqueue to receipt (p50, p95, p99) and the throughput. The
baseline, measured in the same run, is a bare signed POST from this process to the same
receiver; figures are printed with their ratio to it.

    .venv/bin/python benchmarks/alerts.py --seconds 60 --rate 10
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

from pipeline.models import ArticleIn, Rule, SubscriptionSpec  # noqa: E402
from pipeline.notify.base import Delivery  # noqa: E402
from pipeline.notify.webhook import WebhookChannel  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.store import alerts as alert_store  # noqa: E402
from pipeline.store.db import transaction  # noqa: E402
from workers.app import configure  # noqa: E402
from workers.deps import Deps  # noqa: E402
from workers.runtime import prepare  # noqa: E402


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


def make_article(i: int, rng: random.Random) -> ArticleIn:
    # Invented words and no tracked actor: every article is its own story (nothing shared
    # to group on) and no near-copy of another, so each one yields exactly one alert.
    def word() -> str:
        return "".join(rng.choice("abcdefghiklmnoprstuvy") for _ in range(rng.randint(3, 9)))

    sentences = [" ".join(word() for _ in range(12)).capitalize() + "." for _ in range(25)]
    return ArticleIn(
        title=f"Report {i}: {word()} {word()}",
        text=" ".join(sentences),
        url=f"https://bench.example/{i}-{uuid.uuid4().hex[:8]}",
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
    argv = [sys.executable, "-m", "workers.cli", "worker", "--queues", "cpu,io"]
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


def feed(deps: Deps, rate: float, seconds: float) -> dict[str, float]:
    from workers.tasks import ingest

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    receiver = Receiver()
    receiver.serve()
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-alerts-bench-"))
    subs = tmp / "subscriptions.yaml"
    subs.write_text("subscriptions: []\n")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        var_dir=tmp / "var",
        database_url=f"sqlite:///{tmp / 'newsmon.db'}",
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
        alert_store.save_subscription(session, spec)

    base = baseline(receiver)
    worker = start_worker(settings, tmp / "worker.log", args.concurrency)
    try:
        began = time.time()
        sent = feed(deps, args.rate, args.seconds)
        deadline = time.monotonic() + 120
        while not set(sent) <= set(receiver.arrived) and time.monotonic() < deadline:
            time.sleep(0.2)
        ended = max((receiver.arrived[u] for u in sent if u in receiver.arrived), default=began)
    finally:
        worker.terminate()
        worker.wait(30)
        client.flushdb()
        deps.close()
    report(sent, receiver.arrived, base, began, ended, args)


def report(
    sent: dict[str, float],
    arrived: dict[str, float],
    base: list[float],
    began: float,
    ended: float,
    args: argparse.Namespace,
) -> None:
    latencies = [arrived[u] - t for u, t in sent.items() if u in arrived]
    if len(latencies) < 2:
        raise SystemExit(f"only {len(latencies)} of {len(sent)} alerts arrived")
    got, floor = percentiles(latencies), percentiles(base)
    print(f"offered {len(sent)} articles at {args.rate:g}/s for {args.seconds:g} s")
    print(f"received {len(latencies)} alerts ({len(sent) - len(latencies)} missing)")
    print(f"throughput {len(latencies) / max(ended - began, 1e-9):.2f} alerts/s")
    for key in ("p50", "p95", "p99"):
        ratio = got[key] / floor[key]
        print(
            f"{key}: {got[key] * 1000:8.1f} ms  "
            f"(bare POST {floor[key] * 1000:.2f} ms, x{ratio:.0f})"
        )


if __name__ == "__main__":
    main()
