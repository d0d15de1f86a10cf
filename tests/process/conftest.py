"""Operations test kit: private Redis servers, a cuttable TCP proxy, a corpus, process checks."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import redis
from sqlalchemy import func, select

from pipeline.settings import SPACY_MODEL, Settings
from pipeline.store.db import make_engine, make_sessionmaker
from pipeline.store.tables import AlertRow, Article, ClaimRow, DeliveryRow, MentionRow
from tests.conftest import (
    ROOT,
    Background,
    make_settings,
    newsmon_cmd,
    settings_env,
    wait_for,
    write_wagner_subscription,
)

pytestmark = pytest.mark.slow

TERMINAL = {"processed", "duplicate", "failed"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def newsmon(
    *args: str, env: dict[str, str], cwd: Path = ROOT, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        newsmon_cmd(*args), env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def worker(env: dict[str, str], log: Path, queues: str, name: str, concurrency: int = 1):
    argv = newsmon_cmd(
        "worker", "--queues", queues, "--concurrency", str(concurrency), "--name", name
    )
    proc = Background(argv, env, log)
    proc.wait_text("ready.")
    return proc


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (zombies count as gone)."""
    out = []
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
    return out


class RedisServer:
    """A private redis-server on a free port with AOF fsync'd on every write."""

    def __init__(self, workdir: Path) -> None:
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        argv = [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
            "--appendonly", "yes", "--appendfsync", "always", "--save", "",
            "--logfile", str(self.dir / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(argv, start_new_session=True)
        wait_for(self.answers, 10, what="redis-server up")

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())
        except (redis.RedisError, OSError):
            return False

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)

    def kill(self) -> None:
        """SIGKILL: only what the AOF holds survives."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


class TcpProxy:
    """127.0.0.1 TCP forwarder that can be cut (connections dropped, new ones refused)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.connections = 0

    def _call(self, coro) -> object:  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def open(self) -> None:
        self._call(self._open())

    async def _open(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    def cut(self) -> None:
        """Stop listening (new connections are refused) and reset every live connection."""
        self._call(self._cut())

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            self._writers.discard(writer)
            writer.transport.abort()

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)


_VOCABULARY = (
    "convoy ministry harbour border refinery drone artillery ceasefire summit sanctions "
    "shipment brigade parliament embassy militia pipeline frontier garrison envoy treaty "
    "corridor airfield battalion tribunal customs blockade uranium mercenary contractor "
    "observer delegation province checkpoint reservoir railway satellite warehouse cargo"
)
WORDS = tuple(_VOCABULARY.split(" "))
ACTORS = ("North Korea", "the Kremlin", "Ukraine", "the White House", "Yevgeny Prigozhin")
VERBS = ("supplied", "delivered", "sent", "accused", "denied", "sold", "shipped")


def write_corpus(folder: Path, n: int, words: int = 300, seed: int = 7) -> list[Path]:
    """`n` distinct articles that each mention the Wagner Group (so each alerts once)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        sentences = []
        while sum(len(s.split()) for s in sentences) < words:
            a, b = rng.sample(ACTORS, 2)
            w = rng.sample(WORDS, 4)
            sentences.append(
                f"{a} {rng.choice(VERBS)} {rng.randint(2, 900)} {w[0]}s to the Wagner Group "
                f"near the {w[1]} {w[2]}, {b} said about the {w[3]} on day {rng.randint(1, 99)}."
            )
        title = f"Report {i} - Wagner Group and the {rng.choice(WORDS)} {rng.choice(WORDS)}"
        front = f"---\ntitle: {title}\nsource: Ops Wire\nurl: https://example.org/ops/{i}\n---\n"
        path = folder / f"{i:03d}.txt"
        path.write_text(front + " ".join(sentences) + "\n")
        paths.append(path)
    return paths


@dataclass
class Pipeline:
    """Settings and environment for newsmon processes of one test."""

    settings: Settings
    env: dict[str, str]
    alerts: Path
    tmp: Path

    @property
    def db(self) -> str:
        return self.settings.effective_database_url


def make_pipeline(tmp_path: Path, redis_url: str, database_url: str, **overrides) -> Pipeline:
    alerts = tmp_path / "alerts.jsonl"
    subs = tmp_path / "subscriptions.yaml"
    write_wagner_subscription(subs, alerts)
    settings = make_settings(
        tmp_path,
        redis_url=redis_url,
        database_url=database_url,
        subscriptions_file=subs,
        alerts_file=alerts,
        **overrides,
    )
    return Pipeline(settings, settings_env(settings), alerts, tmp_path)


def statuses(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as s:
            rows = s.execute(select(Article.status, func.count()).group_by(Article.status))
            return {status: n for status, n in rows.all()}
    except Exception:  # the database may be unreachable on purpose (fault tests)
        return {}
    finally:
        engine.dispose()


def all_terminal(database_url: str, n: int) -> bool:
    counts = statuses(database_url)
    return sum(v for k, v in counts.items() if k in TERMINAL) >= n


def per_article(database_url: str) -> dict[str, dict[str, int]]:
    """For each article url: its status, and how many claims, mentions, alerts it has."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        out = {}
        for row in s.scalars(select(Article)):
            out[row.url or row.key] = {
                "status": row.status,
                "story": row.story_id,
                "claims": _count(s, ClaimRow, ClaimRow.article_id == row.id),
                "mentions": _count(s, MentionRow, MentionRow.article_id == row.id),
                "alerts": _count(s, AlertRow, AlertRow.article_id == row.id),
            }
        out["_deliveries"] = {"n": _count(s, DeliveryRow, True)}
    engine.dispose()
    return out


def _count(session, table, where) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.count()).select_from(table).where(where)) or 0)


@pytest.fixture(scope="session")
def reference_extractor():
    """The extractor in this process: what one clean extraction of an article yields."""
    from pipeline.catalog import load_actors
    from pipeline.extract import Extractor

    return Extractor(load_actors(ROOT / "config" / "entities.yaml"), model=SPACY_MODEL)


def expected_counts(extractor, files: list[Path]) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """url -> (claims, mentions) of a single extraction of each file."""
    from pipeline.seeds import read_article

    articles = [read_article(p) for p in files]
    results = extractor.extract_articles((a.title, a.text) for a in articles)
    return {
        a.url: (len(r.claims), sum(len(e.mentions) for e in r.entities))
        for a, r in zip(articles, results, strict=True)
    }


def assert_exactly_once(p: Pipeline, files: list[Path], extractor) -> None:  # type: ignore[no-untyped-def]
    """Every article processed; claims and mentions as one extraction; one alert per story.

    Similar articles share a story, and a subscription alerts once per story.
    """
    seen = per_article(p.db)
    deliveries = seen.pop("_deliveries")["n"]
    expected = expected_counts(extractor, files)
    assert set(seen) == set(expected), sorted(set(seen) ^ set(expected))
    wrong = {
        url: (got, expected[url])
        for url, got in seen.items()
        if got["status"] != "processed" or (got["claims"], got["mentions"]) != expected[url]
    }
    assert not wrong, wrong
    stories = {got["story"] for got in seen.values()}
    alerts = sum(got["alerts"] for got in seen.values())
    assert None not in stories
    assert alerts == len(stories), f"{alerts} alerts for {len(stories)} stories"
    assert deliveries == alerts
    wait_for(lambda: _lines(p.alerts) >= alerts, 30, what="every alert delivered")
    lines = [json.loads(x)["alert_id"] for x in p.alerts.read_text().splitlines()]
    assert len(lines) == len(set(lines)) == alerts, f"{len(lines)} lines for {alerts} alerts"


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.fixture
async def aiohttp_feed_server():  # type: ignore[no-untyped-def]
    """Serves {path: body} on 127.0.0.1 with a per-request delay (a slow publisher)."""
    from aiohttp import web

    runners = []

    async def start(pages: dict[str, str], delay: float = 0.0) -> str:
        async def handler(request: web.Request) -> web.Response:
            await asyncio.sleep(delay)
            body = pages.get(request.path)
            if body is None:
                return web.Response(status=404)
            return web.Response(text=body, content_type="application/rss+xml")

        app = web.Application()
        app.router.add_get("/{tail:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        return f"http://127.0.0.1:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()
