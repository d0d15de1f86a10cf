"""Cost of one alert delivery per channel, as ratios against a bare aiohttp POST baseline.

Run: .venv/bin/python benchmarks/notify_channels.py [--n 300]
Everything runs in this process against a local aiohttp receiver on 127.0.0.1 (in a thread),
so the ratios compare like with like on the same machine and moment.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "alerts" / "channels"))
from notify_servers import ThreadedServer, recording

from pipeline.alerts.channels import Delivery, get_channel
from pipeline.alerts.signing import generate_secret

PAYLOAD = {"type": "newsmon.alert", "story": {"title": "x" * 200}, "claims": [{"s": "y" * 300}]}


def _baseline(url: str, n: int) -> list[float]:
    """A reused session and connection, unsigned: the floor any channel can reach."""

    async def run() -> list[float]:
        times = []
        async with aiohttp.ClientSession() as session:
            for _ in range(n):
                start = time.perf_counter()
                async with session.post(url, json=PAYLOAD) as response:
                    await response.read()
                times.append(time.perf_counter() - start)
        return times

    return asyncio.run(run())


def _fresh(url: str, n: int) -> list[float]:
    """A new event loop and connection per POST, unsigned: what a sync caller pays anyway."""

    async def one() -> None:
        async with aiohttp.ClientSession() as session, session.post(url, json=PAYLOAD) as resp:
            await resp.read()

    times = []
    for _ in range(n):
        start = time.perf_counter()
        asyncio.run(one())
        times.append(time.perf_counter() - start)
    return times


def _channel(name: str, target: str, n: int) -> list[float]:
    channel = get_channel(name)
    times = []
    for i in range(n):
        delivery = Delivery(
            f"msg_{i}", 1, target, PAYLOAD, secret=generate_secret(), allow_loopback=True
        )
        start = time.perf_counter()
        result = channel.send(delivery)
        times.append(time.perf_counter() - start)
        assert result.ok, result
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    n = parser.parse_args().n
    app = web.Application()
    ref: list[ThreadedServer] = []
    app.router.add_post("/hook", recording(ref, lambda r, b: web.Response(status=204)))
    server = ThreadedServer(app)
    ref.append(server)
    server.start()
    url = server.url("/hook")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            runs = {
                "baseline aiohttp POST (reused session)": _baseline(url, n),
                "asyncio.run + new session per POST": _fresh(url, n),
                "webhook channel send()": _channel("webhook", url, n),
                "apprise json:// send()": _channel(
                    "apprise", f"json://127.0.0.1:{server.port}/hook", n
                ),
                "file channel send()": _channel("file", str(Path(tmp) / "a.jsonl"), n),
            }
    finally:
        server.close()
    base = statistics.median(runs["baseline aiohttp POST (reused session)"])
    print(f"n={n} per channel; median latency per delivery and ratio to the baseline")
    for label, times in runs.items():
        med = statistics.median(times)
        p95 = sorted(times)[int(0.95 * len(times)) - 1]
        print(
            f"  {label:42s} median {med * 1000:7.3f} ms  p95 {p95 * 1000:7.3f} ms"
            f"  {1 / med:8.0f}/s  x{med / base:5.2f}"
        )


if __name__ == "__main__":
    main()
