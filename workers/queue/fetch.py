"""Celery task on the io queue: fetch an item's article page, extract its main text, ingest it.

Pages are fetched with the feed politeness rules (the Fetcher's SSRF guard, timeouts and size
limit) plus a per-host minimum delay kept in Redis, so that every io worker process together
waits `poll_host_delay` between two requests to one publisher. Any failure to fetch or to
extract keeps the feed's summary: the article is ingested either way.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import redis
import structlog

from pipeline.errors import NewsmonError
from pipeline.feeds.feedstate import with_page_text
from pipeline.feeds.fetch import Fetcher, FetchPolicy
from pipeline.feeds.fulltext import MAX_HTML_BYTES, extract_main_text
from pipeline.models import ArticleIn
from workers.queue.app import app
from workers.queue.tasks import RETRY, deps, ingest

log = structlog.get_logger("newsmon.fulltext")

HOST_GATE_KEY = "newsmon:hostgate:{}"
MAX_GATE_WAIT = 30.0
"""A page whose host stays busy longer than this is fetched anyway (the feed summary is
better late than never, and the Fetcher's own per-host limits still apply)."""


def wait_host_turn(client: redis.Redis, host: str, delay: float, *, limit: float) -> float:
    """Block until this process may start a request to `host`; return the seconds waited.

    `SET key NX PX delay` succeeds for one caller per `delay` across every process sharing
    the Redis; the others sleep for the key's remaining time and try again.
    """
    if delay <= 0:
        return 0.0
    started = time.monotonic()
    key, ms = HOST_GATE_KEY.format(host), max(1, int(delay * 1000))
    while not client.set(key, "1", nx=True, px=ms):
        waited = time.monotonic() - started
        if waited >= limit:
            return waited
        remaining = client.pttl(key)
        time.sleep(min(max(remaining, 1) / 1000, limit - waited))  # politeness, not a test wait
    return time.monotonic() - started


async def _fetch_page(url: str, policy: FetchPolicy) -> tuple[bytes, str]:
    policy = replace(policy, max_bytes=min(policy.max_bytes, MAX_HTML_BYTES))
    async with Fetcher(policy) as fetcher:
        result = await fetcher.fetch(url)
    return result.body or b"", result.url


def complete(article: ArticleIn, client: redis.Redis, policy: FetchPolicy) -> ArticleIn:
    """The article with its page's main text and canonical URL, or unchanged on any failure."""
    if not article.url:
        return article
    host = urlsplit(article.url).hostname or ""
    wait_host_turn(client, host, policy.host_delay, limit=MAX_GATE_WAIT)
    try:
        body, final_url = asyncio.run(_fetch_page(article.url, policy))
    except NewsmonError as exc:
        log.info("fulltext_fetch_failed", url=article.url, error=str(exc))
        return article
    text, canonical = extract_main_text(body, final_url)
    return with_page_text(article, text, canonical)


@app.task(name="newsmon.fetch_full_text", **RETRY)
def fetch_full_text(article: dict[str, Any], opts: dict | None = None) -> None:
    """Fetch the page of an item that carried only a summary, then enqueue its ingest."""
    d = deps()
    done = complete(ArticleIn.from_json(article), d.redis, FetchPolicy.from_settings(d.settings))
    ingest.delay([done.to_json()], None, opts)
