"""A real alert pipeline for the tests: a Celery worker and a beat scheduler as processes, on
Redis db 12 and SQLite, plus a programmable webhook receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import email
import os
import random
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
import redis
from aiohttp import web
from sqlalchemy import select

from pipeline.alerts import subscriptions
from pipeline.models import ArticleIn, Rule, SubscriptionSpec
from pipeline.settings import Settings
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from pipeline.store.tables import AlertRow, DeliveryRow
from tests.alerts.channels.notify_servers import ThreadedServer
from tests.conftest import REDIS_BASE, ROOT, WorkerProcess, make_settings, settings_env, wait_for
from workers.deps import Deps
from workers.process.runtime import prepare
from workers.queue.app import configure

ALERTS_DB = int(os.environ.get("NEWSMON_TEST_ALERTS_DB", "12"))
WORDS = [
    "river",
    "market",
    "harbour",
    "council",
    "winter",
    "bridge",
    "farmer",
    "school",
    "railway",
    "village",
    "summer",
    "museum",
    "factory",
    "garden",
    "tower",
    "festival",
    "library",
    "station",
    "mountain",
    "island",
    "orchard",
    "valley",
]
NO_SUBSCRIPTIONS = "subscriptions: []\n"


def salad(seed: object, words: int = 80) -> str:
    """Filler sentences unique to `seed`, so articles of different tests never look alike."""
    rng = random.Random(str(seed))
    sentences = [" ".join(rng.choice(WORDS) for _ in range(10)) for _ in range(words // 10)]
    return " ".join(s.capitalize() + "." for s in sentences)


def article(lead: str, seed: object, *, source: str = "example.org", title: str = "") -> ArticleIn:
    slug = uuid.uuid4().hex[:10]
    return ArticleIn(
        title=title or lead[:60],
        text=f"{lead} {salad(seed)}",
        url=f"https://{source}/news/{slug}",
        source=source,
        language="en",
        origin="feed",
    )


def copy_of(original: ArticleIn, source: str, headline: str) -> ArticleIn:
    """A syndicated copy: same text under another headline with the outlet's footer."""
    footer = f"Copyright {source} 2026. All rights reserved. Distributed by a wire service."
    return ArticleIn(
        title=headline,
        text=f"{original.text}\n\n{footer}",
        url=f"https://{source}/wire/{uuid.uuid4().hex[:10]}",
        source=source,
        language="en",
        origin="feed",
    )


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Receiver:
    """A webhook receiver: per path, a script of (status, headers) answers, then 200."""

    scripts: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    blocking: set[str] = field(default_factory=set)
    server: ThreadedServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        loop = asyncio.get_running_loop()
        with self.lock:
            self.hits.append(Hit(request.path, dict(request.headers), body, loop.time()))
            script = self.scripts.get(request.path) or []
            status, headers = script.pop(0) if script else (200, {})
            blocked = request.path in self.blocking
        if blocked:
            await asyncio.sleep(3600)  # until the sending worker is killed
        return web.Response(status=status, headers=headers, text=f"answer {status}")

    def url(self, path: str) -> str:
        assert self.server is not None
        return self.server.url(path)

    def at(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted"


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    app = web.Application()
    app.router.add_post("/{tail:.*}", rec.handle)
    rec.server = ThreadedServer(app).start()
    yield rec
    rec.server.close()


@dataclass
class Stack:
    """Settings, stores and the worker and scheduler processes of one test module."""

    settings: Settings
    deps: Deps
    tmp: Path
    worker: WorkerProcess | None = None
    beat: subprocess.Popen[bytes] | None = None

    def submit(self, *articles: ArticleIn, alerts: bool = True) -> str:
        """Enqueue the articles as one job; returns the job id to `wait_job` on."""
        from workers.queue.tasks import ingest

        job = uuid.uuid4().hex
        batch = [a.to_json() for a in articles]
        ingest.delay(batch, job, {"force": True, "alerts": alerts})
        return job

    def wait_job(self, job: str, count: int) -> None:
        """Wait until `count` articles of the job reached the end of the pipeline."""
        from workers.queue import progress

        def done() -> bool:
            return progress.finished(progress.counts(self.deps.redis, job)) >= count

        wait_for(done, 60, 0.1, what=f"{count} articles of job {job}")

    def subscribe(self, name: str, target: str, **fields: Any) -> tuple[int, str | None]:
        rule = fields.pop("rule", Rule(any_actors=("wagner-group",)))
        spec = SubscriptionSpec(
            name=name,
            owner=fields.pop("owner", "tester"),
            rule=rule,
            channel=fields.pop("channel", "webhook"),
            target=target,
            **fields,
        )
        with transaction(self.deps.sessions) as session:
            sub_id = subscriptions.save(session, spec)
            return sub_id, alert_store.subscription(session, sub_id).secret

    def alerts(self, subscription_id: int) -> list[AlertRow]:
        with self.deps.sessions() as session:
            stmt = select(AlertRow).where(AlertRow.subscription_id == subscription_id)
            return list(session.scalars(stmt.order_by(AlertRow.id)))

    def deliveries(self, subscription_id: int) -> list[DeliveryRow]:
        with self.deps.sessions() as session:
            stmt = select(DeliveryRow).where(DeliveryRow.subscription_id == subscription_id)
            return list(session.scalars(stmt.order_by(DeliveryRow.id)))

    def wait_delivery(self, subscription_id: int, state: str, count: int = 1) -> list[DeliveryRow]:
        def done() -> list[DeliveryRow] | None:
            rows = self.deliveries(subscription_id)
            return rows if len([r for r in rows if r.state == state]) >= count else None

        return wait_for(done, 120, 0.1, what=f"{count} {state} deliveries")  # type: ignore[return-value]

    def start_worker(self) -> None:
        self.worker = WorkerProcess(settings_env(self.settings), self.tmp / "worker.log")
        self.worker.wait_ready()

    def start_beat(self) -> None:
        argv = [sys.executable, "-m", "workers.cli.main", "scheduler"]
        log = (self.tmp / "beat.log").open("wb")
        self.beat = subprocess.Popen(
            argv,
            env=settings_env(self.settings),
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self.beat is not None and self.beat.poll() is None:
            self.beat.terminate()
            self.beat.wait(30)


def alert_settings(tmp: Path, redis_url: str, **overrides: object) -> Settings:
    subs = tmp / "subscriptions.yaml"
    subs.write_text(NO_SUBSCRIPTIONS)
    base: dict[str, object] = {
        "redis_url": redis_url,
        "subscriptions_file": subs,
        "alerts_allow_loopback": True,
        "alerts_retry_schedule": (0.3, 0.3, 0.3),
        "alerts_sweep_interval": 0.2,
        "alerts_delivery_timeout": 2.0,
        "worker_concurrency": 2,
    }
    return make_settings(tmp, **{**base, **overrides})


@pytest.fixture(scope="module")
def alerts_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"{REDIS_BASE}/{ALERTS_DB}"
    client = redis.Redis.from_url(url)
    client.ping()
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, alerts_redis: str
) -> Iterator[Stack]:
    """One worker and one beat per test module; a module may set STACK_SETTINGS overrides."""
    tmp = tmp_path_factory.mktemp("alerts")
    overrides = getattr(request.module, "STACK_SETTINGS", {})
    settings = alert_settings(tmp, alerts_redis, **overrides)
    deps = Deps(settings)
    prepare(deps)
    configure(settings)
    built = Stack(settings, deps, tmp)
    built.start_worker()
    built.start_beat()
    yield built
    built.stop()
    deps.close()
