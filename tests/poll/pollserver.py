"""The scripted feed server of the fetch tests, plus feeds that change, fail, and a WebSub hub."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import redis
from aiohttp import web

from pipeline.feeds.fetch import FetchPolicy
from pipeline.settings import Settings
from pipeline.store.db import Sessions
from tests.conftest import make_settings
from tests.feeds.fetchserver import FEEDS_DIR, ScriptedServer, build_app
from workers.poll.poller import CeleryEnqueuer, PollConfig, Poller
from workers.queue.app import configure

BBC = FEEDS_DIR / "bbc__uk-politics-2018.xml"
FIXTURES_DIR = Path(__file__).parent / "feeds"
"""Small feeds written for one case each (the shared folder holds real publishers' feeds)."""


@dataclass
class Script:
    """Mutable behaviour the test steers while the server runs."""

    generation: int = 1
    fail_first: int = 0
    delay: float = 0.0
    hub_requests: list[dict[str, str]] = field(default_factory=list)
    hub_url: str = ""


SCRIPT = web.AppKey("script", Script)
SCRIPTED = web.AppKey("scripted", ScriptedServer)


def changing_feed(generation: int, hub: str = "") -> bytes:
    """Generation 1: items a, b. Generation 2: a as before, b edited, c new (newest first)."""
    base = datetime(2024, 5, 1, tzinfo=UTC)
    items = [("a", "Alpha rises", 0), ("b", "Beta falls", 1)]
    if generation >= 2:
        items = [
            ("a", "Alpha rises", 0),
            ("b", "Beta falls further (edited)", 1),
            ("c", "Gamma", 2),
        ]
    body = "".join(
        f"<item><title>{title}</title><link>https://news.test/{key}</link>"
        f"<guid>https://news.test/{key}</guid>"
        f"<pubDate>{format_datetime(base + timedelta(hours=h), usegmt=True)}</pubDate>"
        f"<description>&lt;p&gt;{title} &amp; more about {key}.&lt;/p&gt;</description></item>"
        for key, title, h in reversed(items)
    )
    link = f'<atom:link rel="hub" href="{hub}"/>' if hub else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Changing</title>'
        f"<link>https://news.test/</link>{link}{body}</channel></rss>"
    ).encode()


async def changing(request: web.Request) -> web.Response:
    script = request.app[SCRIPT]
    if script.delay:
        await asyncio.sleep(script.delay)
    return web.Response(
        body=changing_feed(script.generation, script.hub_url),
        content_type="application/rss+xml",
    )


async def failing_then_ok(request: web.Request) -> web.Response:
    script = request.app[SCRIPT]
    counters = request.app[SCRIPTED].counters
    counters["fto"] = counters.get("fto", 0) + 1
    if counters["fto"] <= script.fail_first:
        return web.Response(status=500, text="boom")
    return web.Response(body=BBC.read_bytes(), content_type="application/rss+xml")


async def numbered(request: web.Request) -> web.Response:
    script = request.app[SCRIPT]
    if script.delay:
        await asyncio.sleep(script.delay)
    n = request.match_info["n"]
    return web.Response(
        body=changing_feed(script.generation).replace(b"news.test/", f"n{n}.test/".encode()),
        content_type="application/rss+xml",
    )


async def hub(request: web.Request) -> web.Response:
    form = await request.post()
    request.app[SCRIPT].hub_requests.append({k: str(v) for k, v in form.items()})
    return web.Response(status=202)


ARTICLES_DIR = FEEDS_DIR.parent / "articles"


async def article_page(request: web.Request) -> web.Response:
    path = ARTICLES_DIR / request.match_info["name"]
    if "/" in request.match_info["name"] or not path.is_file():
        raise web.HTTPNotFound()
    return web.Response(body=path.read_bytes(), content_type="text/html")


async def fixture(request: web.Request) -> web.Response:
    path = FIXTURES_DIR / request.match_info["name"]
    if "/" in request.match_info["name"] or not path.is_file():
        raise web.HTTPNotFound()
    return web.Response(body=path.read_bytes(), content_type="application/rss+xml")


def build(scripted: ScriptedServer, script: Script) -> web.Application:
    app = build_app(scripted)
    app[SCRIPT] = script
    app[SCRIPTED] = scripted
    app.router.add_get("/changing", changing)
    app.router.add_get("/failing-then-ok", failing_then_ok)
    app.router.add_get("/numbered/{n}", numbered)
    app.router.add_post("/hub", hub)
    app.router.add_get("/articles/{name}", article_page)
    app.router.add_get("/fixtures/{name}", fixture)
    return app


def poll_settings(tmp_path: Path, redis_url: str, **overrides: Any) -> Settings:
    """Settings of a poller under test, Celery configured: short timeouts, no host delay."""
    s = make_settings(
        tmp_path,
        redis_url=redis_url,
        **{"fetch_total_timeout": 3.0, "poll_host_delay": 0.0, **overrides},
    )
    configure(s)
    return s


@asynccontextmanager
async def running_poller(
    settings: Settings,
    sessions: Sessions,
    *,
    seed: int,
    clock: Callable[[], datetime] | None = None,
) -> AsyncIterator[Poller]:
    """A real Poller on the settings' Redis, Celery enqueuer and policy, its randomness seeded."""
    client = redis.Redis.from_url(settings.redis_url or "")
    extra = {"clock": clock} if clock is not None else {}
    poller = Poller(
        sessions,
        client,
        CeleryEnqueuer(),
        policy=FetchPolicy.from_settings(settings),
        config=PollConfig.from_settings(settings),
        rng=random.Random(seed),
        **extra,  # type: ignore[arg-type]
    )
    try:
        async with poller:
            yield poller
    finally:
        client.close()


def queued(url: str, queue: str = "io") -> list[tuple[str, list]]:
    """(task name, args) of every message waiting in a Celery queue on Redis, oldest first."""
    client = redis.Redis.from_url(url)
    try:
        raw = client.lrange(queue, 0, -1)
    finally:
        client.close()
    messages = []
    for item in reversed(raw):  # kombu LPUSHes and BRPOPs: the tail is the oldest
        message = json.loads(item)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        messages.append((message["headers"]["task"], args))
    return messages


def queued_articles(url: str) -> list[dict]:
    """Articles of every queued ingest task, in enqueue order."""
    return [a for task, args in queued(url) if task == "newsmon.ingest" for a in args[0]]
