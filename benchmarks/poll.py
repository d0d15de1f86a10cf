"""Polling cost: fetch + parse of thousands of distinct feeds, changed and unchanged (304).

A feed server runs in a subprocess on several loopback addresses (127.0.0.1 .. 127.0.0.N, one
"host" each, so per-host limits apply as they would to real publishers). Each feed is a
distinct RSS 2.0 document with an ETag; bumping the server's generation changes every feed.

Cycles, each over all feeds, run in this process and are timed in wall and CPU time:
  cold      first poll: every feed 200, fetched and parsed
  unchanged conditional GET with the stored ETags: every feed 304, nothing parsed
  changed   conditional GET after every feed changed: 200, fetched and parsed
The baseline is a bare aiohttp session doing the same requests (no guard, no politeness
gates, no parse), so the ratios show what the Fetcher and the parser add.

Then the real poller service (`workers.poll.poller.Poller.run_once`) does whole cycles over the
same feeds: lease in Redis, conditional GET, parse, new-item detection against the tombstones,
enqueue to Celery on Redis, state commit to SQLite. Before each cycle every feed is made due.
  poller changed    every feed changed: all items new, enqueued, tombstoned
  poller unchanged  every feed 304: validators checked, schedule committed, nothing enqueued
Its Redis database (--redis, default db 15) is flushed before and after.

    .venv/bin/python benchmarks/poll.py [--feeds 2000] [--items 30] [--hosts 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing as mp
import socket
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
import structlog
from aiohttp import web

from pipeline.feeds.fetch import Fetcher, FetchPolicy
from pipeline.feeds.parse import parse_feed
from pipeline.settings import Settings

# -- the feed server (subprocess)


def render_feed(index: int, generation: int, items: int) -> bytes:
    """A distinct RSS 2.0 feed: `items` items, newest first, content depending on generation."""
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=generation)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
        f"<title>Feed {index}</title><link>https://site{index}.test/</link><ttl>15</ttl>",
    ]
    for n in range(items):
        when = format_datetime(start - timedelta(hours=n), usegmt=True)
        body = f"Story {n} of feed {index}, edition {generation}. " * 6
        parts.append(
            f"<item><title>Feed {index} story {n} ({generation})</title>"
            f"<link>https://site{index}.test/{generation}/{n}</link>"
            f"<guid isPermaLink='false'>{index}-{generation}-{n}</guid>"
            f"<pubDate>{when}</pubDate><description>{body}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def serve(port: int, hosts: int, items: int, generation: mp.Value, ready: mp.Event) -> None:  # type: ignore[valid-type]
    cache: dict[tuple[int, int], bytes] = {}

    async def feed(request: web.Request) -> web.Response:
        index, gen = int(request.match_info["index"]), generation.value  # type: ignore[attr-defined]
        etag = f'"{gen}-{index}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = cache.get((index, gen))
        if body is None:
            body = cache[(index, gen)] = render_feed(index, gen, items)
        return web.Response(body=body, headers={"ETag": etag}, content_type="application/rss+xml")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{index}.xml", feed)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for host in range(1, hosts + 1):
            await web.TCPSite(runner, f"127.0.0.{host}", port, backlog=1024).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the client side (this process)


@dataclass
class Cycle:
    name: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def line(self, feeds: int, baseline: Cycle | None) -> str:
        wall, cpu = statistics.median(self.seconds), statistics.median(self.cpu)
        text = f"{self.name:28} {feeds / wall:8.0f} feeds/s {cpu / feeds * 1000:7.3f} ms CPU/feed"
        if baseline is not None:
            b_wall, b_cpu = statistics.median(baseline.seconds), statistics.median(baseline.cpu)
            text += f"   x{wall / b_wall:4.2f} wall  x{cpu / b_cpu:4.2f} CPU vs bare aiohttp"
        return text


async def timed(cycle: Cycle, work: Callable[[], Awaitable[None]]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    await work()
    cycle.seconds.append(time.perf_counter() - wall)
    cycle.cpu.append(time.process_time() - cpu)


async def poll_all(fetcher: Fetcher, urls: list[str], etags: dict[str, str]) -> int:
    """Fetch every URL (conditionally when an ETag is known), parse what changed."""

    async def one(url: str) -> int:
        result = await fetcher.fetch(url, etag=etags.get(url))
        if result.etag:
            etags[url] = result.etag
        if result.not_modified or result.body is None:
            return 0
        return len(parse_feed(result.body, url=result.url, content_type=result.content_type).items)

    return sum(await asyncio.gather(*(one(url) for url in urls)))


async def bare_all(session: aiohttp.ClientSession, urls: list[str], etags: dict[str, str]) -> None:
    sem = asyncio.Semaphore(100)

    async def one(url: str) -> None:
        headers = {"If-None-Match": etags[url]} if url in etags else {}
        async with sem, session.get(url, headers=headers) as resp:
            await resp.read()
            etags[url] = resp.headers.get("ETag", "")

    await asyncio.gather(*(one(url) for url in urls))


async def run(args: argparse.Namespace, port: int, generation: mp.Value) -> None:  # type: ignore[valid-type]
    urls = [f"http://127.0.0.{i % args.hosts + 1}:{port}/feed/{i}.xml" for i in range(args.feeds)]
    policy = FetchPolicy(
        allow_loopback=True,
        concurrency=100,
        host_concurrency=max(2, 100 // args.hosts),
        host_delay=args.host_delay,
    )
    ours = {n: Cycle(f"Fetcher+parse {n}") for n in ("cold", "unchanged", "changed")}
    bare = {n: Cycle(f"bare aiohttp {n}") for n in ("cold", "unchanged", "changed")}
    connector = aiohttp.TCPConnector(limit=100)
    async with Fetcher(policy) as fetcher, aiohttp.ClientSession(connector=connector) as session:
        for _ in range(args.repeat):
            await one_round(fetcher, session, urls, generation, ours, bare, args)
    service = await poller_cycles(args, urls, policy, generation)
    print(
        f"{args.feeds} feeds of {args.items} items on {args.hosts} hosts, "
        f"host delay {args.host_delay:g} s, median of {args.repeat} runs"
    )
    for name in ("cold", "unchanged", "changed"):
        print(bare[name].line(args.feeds, None))
        print(ours[name].line(args.feeds, bare[name]))
        if name in service:
            print(service[name].line(args.feeds, bare[name]))
    if service:
        # The targets: the service's 304 cycle against bare aiohttp, its changed cycle
        # against Fetcher+parse alone (both in feeds/s, so higher is better).
        print(
            f"ratio poller unchanged / bare aiohttp unchanged  {_ratio(service, bare, 'unchanged'):.2f}"
        )
        print(
            f"ratio poller changed / Fetcher+parse changed     {_ratio(service, ours, 'changed'):.2f}"
        )


def _ratio(a: dict[str, Cycle], b: dict[str, Cycle], name: str) -> float:
    """Throughput of `a` over that of `b` for one cycle: b's median wall time over a's."""
    return statistics.median(b[name].seconds) / statistics.median(a[name].seconds)


# -- the real poller service


async def poller_cycles(
    args: argparse.Namespace,
    urls: list[str],
    policy: FetchPolicy,
    generation: mp.Value,  # type: ignore[valid-type]
) -> dict[str, Cycle]:
    """Changed and unchanged cycles of the real Poller, with Redis, Celery and SQLite."""
    import tempfile

    import redis

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            var_dir=tmp,
            database_url=f"sqlite:///{tmp}/bench.db",
            redis_url=args.redis,
        )
        client = redis.Redis.from_url(args.redis)
        client.flushdb()
        try:
            return await _poller_rounds(args, urls, policy, generation, settings, client)
        finally:
            client.flushdb()
            client.close()


async def _poller_rounds(
    args: argparse.Namespace,
    urls: list[str],
    policy: FetchPolicy,
    generation: mp.Value,  # type: ignore[valid-type]
    settings: Settings,
    client: object,
) -> dict[str, Cycle]:
    from pipeline.store.db import make_engine, make_sessionmaker, migrate
    from workers.poll.poller import CeleryEnqueuer, PollConfig, Poller
    from workers.queue.app import configure

    migrate(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    sessions = make_sessionmaker(engine)
    _add_feeds(sessions, urls)
    configure(settings)
    cycles = {n: Cycle(f"poller service {n}") for n in ("unchanged", "changed")}
    config = PollConfig(lease_seconds=600.0)
    async with Poller(sessions, client, CeleryEnqueuer(), policy=policy, config=config) as poller:  # type: ignore[arg-type]
        await _cycle(poller, sessions, None, args.feeds * args.items)  # warm: tombstones, ETags
        for _ in range(args.repeat):
            generation.value += 1  # type: ignore[attr-defined]
            await _cycle(poller, sessions, cycles["changed"], args.feeds * args.items)
            await _cycle(poller, sessions, cycles["unchanged"], 0)
    engine.dispose()
    return cycles


def _add_feeds(sessions: object, urls: list[str]) -> None:
    from pipeline.models import FeedSpec
    from pipeline.store import feeds as feed_store
    from pipeline.store.db import transaction

    with transaction(sessions) as session:  # type: ignore[arg-type]
        for url in urls:
            # Full text off: the synthetic items are teasers, and page fetches are another task.
            feed_store.add_feed(session, FeedSpec(url=url, full_text=False), origin="cli")


async def _cycle(poller: object, sessions: object, cycle: Cycle | None, expected: int) -> None:
    from sqlalchemy import update

    from pipeline.store.db import transaction
    from pipeline.store.tables import Feed

    with transaction(sessions) as session:  # type: ignore[arg-type]
        session.execute(update(Feed).values(next_check_at=None))

    async def work() -> None:
        report = await poller.run_once()  # type: ignore[attr-defined]
        assert report.enqueued == expected, (report.counts, report.enqueued, expected)

    await timed(cycle or Cycle("warm-up"), work)


async def one_round(
    fetcher: Fetcher,
    session: aiohttp.ClientSession,
    urls: list[str],
    generation: mp.Value,  # type: ignore[valid-type]
    ours: dict[str, Cycle],
    bare: dict[str, Cycle],
    args: argparse.Namespace,
) -> None:
    """Cold, unchanged and changed cycles, bare aiohttp first each time (it warms the server)."""
    etags: dict[str, str] = {}
    bare_etags: dict[str, str] = {}
    generation.value += 1  # type: ignore[attr-defined]
    await timed(bare["cold"], lambda: bare_all(session, urls, bare_etags))
    await timed(ours["cold"], lambda: _checked(poll_all(fetcher, urls, etags), args))
    await timed(bare["unchanged"], lambda: bare_all(session, urls, bare_etags))
    await timed(ours["unchanged"], lambda: _zero(poll_all(fetcher, urls, etags)))
    generation.value += 1  # type: ignore[attr-defined]
    await timed(bare["changed"], lambda: bare_all(session, urls, bare_etags))
    await timed(ours["changed"], lambda: _checked(poll_all(fetcher, urls, etags), args))


async def _checked(work: Awaitable[int], args: argparse.Namespace) -> None:
    items = await work
    assert items == args.feeds * args.items, f"parsed {items} items"


async def _zero(work: Awaitable[int]) -> None:
    assert await work == 0, "an unchanged cycle parsed something"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--host-delay", type=float, default=0.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15", help="flushed!")
    args = parser.parse_args()
    # One log line per feed would measure the terminal; the service logs through logs.configure.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    port = free_port()
    generation, ready = mp.Value("i", 0), mp.Event()
    server = mp.Process(target=serve, args=(port, args.hosts, args.items, generation, ready))
    server.start()
    try:
        if not ready.wait(30):
            raise SystemExit("the feed server did not start")
        asyncio.run(run(args, port, generation))
    finally:
        server.terminate()
        server.join(10)


if __name__ == "__main__":
    main()
