"""Hostile feeds through the real poller (`newsmon poll --once`) next to healthy ones.

One cycle polls every hostile feed of `hostile.HOSTILE` and three real publishers' feeds from
one database: each attack ends as its table says (failing with a clear reason, or read in
spite of the damage), the healthy feeds are polled in the same cycle, no XXE target is
contacted and no secret leaks, and the poller's peak RSS stays near a healthy-only run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import redis
import yaml

from pipeline.settings import Settings
from tests.conftest import make_settings
from tests.security import hostile
from tests.security.conftest import MAX_BYTES, Servers, queued_articles, run_cli

MAX_RSS_GROWTH_MB = 200


def poll_settings(tmp_path: Path, redis_url: str, urls: list[str], **overrides: Any) -> Settings:
    tmp_path.mkdir(parents=True, exist_ok=True)
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text(yaml.safe_dump({"feeds": [{"url": u} for u in urls]}))
    base: dict[str, Any] = {
        "redis_url": redis_url,
        "feeds_file": feeds_file,
        "fetch_allow_loopback": True,
        "fetch_connect_timeout": 2.0,
        "fetch_read_timeout": 2.0,
        "fetch_total_timeout": 3.0,
        "fetch_max_bytes": MAX_BYTES,
        "poll_host_delay": 0.0,
        "poll_host_concurrency": 64,
        "poll_failing_after": 1,
    }
    return make_settings(tmp_path, **{**base, **overrides})


async def feeds_by_url(settings: Settings) -> dict[str, dict[str, Any]]:
    listing = await run_cli(settings, "feeds", "list", "--json")
    assert listing.code == 0, listing.output
    rows = [json.loads(line) for line in listing.output.splitlines() if line.startswith("{")]
    return {row["url"]: row for row in rows}


def healthy_urls(servers: Servers) -> list[str]:
    return [f"{servers.feeds}/healthy/{name}" for name in hostile.HEALTHY]


async def hostile_cycle(
    tmp_path: Path, servers: Servers, security_redis: str
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], int]:
    """(feeds by URL, queued articles, peak RSS growth in MB) of one hostile cycle."""
    healthy = healthy_urls(servers)
    base = poll_settings(tmp_path / "baseline", security_redis, healthy)
    baseline = await run_cli(base, "poll", "--once")
    assert baseline.code == 0, baseline.output
    redis.Redis.from_url(security_redis).flushdb()
    urls = healthy + [f"{servers.feeds}{path}" for path in hostile.HOSTILE]
    settings = poll_settings(tmp_path / "hostile", security_redis, urls)
    run = await run_cli(settings, "poll", "--once")
    assert run.code == 0, run.output
    assert baseline.peak_rss_kib > 0 and run.peak_rss_kib > 0
    growth_mb = (run.peak_rss_kib - baseline.peak_rss_kib) // 1024
    print(  # the figure for the report: pytest -s tests/security/test_hostile_feeds.py
        f"poller peak RSS: healthy feeds only {baseline.peak_rss_kib // 1024} MB, "
        f"with {len(hostile.HOSTILE)} hostile feeds {run.peak_rss_kib // 1024} MB"
    )
    return await feeds_by_url(settings), queued_articles(security_redis), growth_mb


async def test_one_cycle_of_hostile_and_healthy_feeds(
    tmp_path: Path, servers: Servers, security_redis: str
) -> None:
    """One poll cycle serves all; three checks on it (a subprocess cycle costs ~10 s)."""
    feeds, articles, growth_mb = await hostile_cycle(tmp_path, servers, security_redis)
    check_each_attack_and_the_healthy_feeds(feeds, articles, growth_mb, servers)
    check_entities_never_expanded_nor_fetched(feeds, articles, servers)
    check_damaged_text_read_with_replacement(feeds, articles, servers)


def check_each_attack_and_the_healthy_feeds(
    feeds: dict[str, dict[str, Any]],
    articles: list[dict[str, Any]],
    growth_mb: int,
    servers: Servers,
) -> None:
    titles_by_feed: dict[int, list[str]] = {}
    for article in articles:
        titles_by_feed.setdefault(article["feed_id"], []).append(article["title"])
    problems = []
    for path, expect in hostile.HOSTILE.items():
        row = feeds[f"{servers.feeds}{path}"]
        if expect.outcome == "failing":
            error = row["last_error"] or ""
            if row["state"] != "failing" or not all(w in error for w in expect.words):
                problems.append(f"{path}: {row['state']} {error!r}, wanted {expect.words}")
        else:
            titles = " | ".join(titles_by_feed.get(row["id"], []))
            if row["state"] != "ok" or not all(w in titles for w in expect.words):
                problems.append(f"{path}: {row['state']} {row['last_error']!r} titles {titles!r}")
    assert not problems, "\n".join(problems)
    for url in healthy_urls(servers):
        assert feeds[url]["state"] == "ok" and feeds[url]["last_success_at"], feeds[url]
        assert len(titles_by_feed[feeds[url]["id"]]) >= 5
    assert growth_mb < MAX_RSS_GROWTH_MB, f"peak RSS grew {growth_mb} MB over a healthy cycle"


def check_entities_never_expanded_nor_fetched(
    feeds: dict[str, dict[str, Any]], articles: list[dict[str, Any]], servers: Servers
) -> None:
    assert servers.recorder.paths == [], "an XXE target was contacted"
    dumped = json.dumps(articles)
    assert hostile.SECRET not in dumped
    for route in ("/billion-laughs", "/xxe"):
        attacked = feeds[f"{servers.feeds}{route}"]["id"]
        assert not [a for a in articles if a["feed_id"] == attacked], f"{route} was ingested"
    assert "lollol" not in dumped


def check_damaged_text_read_with_replacement(
    feeds: dict[str, dict[str, Any]], articles: list[dict[str, Any]], servers: Servers
) -> None:
    by_feed = {a["feed_id"]: a for a in articles}
    wrong = by_feed[feeds[f"{servers.feeds}/wrong-encoding"]["id"]]
    assert wrong["title"] == "Zürich café"  # Windows-1252 under a false UTF-8 label
    broken = by_feed[feeds[f"{servers.feeds}/bad-utf8"]["id"]]
    assert "Broken bytes" in broken["title"] and "end" in (broken["summary"] or broken["text"])
    big = by_feed[feeds[f"{servers.feeds}/big-item"]["id"]]
    assert len(big["text"] or big["summary"] or "") > MAX_BYTES // 4


HOSTILE_PAGES = [
    "/page/nested",
    "/page/many-tags",
    "/gzip-bomb",
    "/endless",
    "/trickle",
    "/binary",
    "/to-metadata",
    "/loop/a",
]


async def test_hostile_article_pages_keep_the_summary(
    servers: Servers, security_redis: str
) -> None:
    """The full-text step on hostile pages: each gives up in bounded time, summary kept."""
    import asyncio
    import time

    from pipeline.feeds.fetch import FetchPolicy
    from pipeline.models import ArticleIn
    from workers.queue.fetch import complete

    policy = FetchPolicy(
        allow_loopback=True,
        host_delay=0.0,
        read_timeout=2.0,
        total_timeout=3.0,
        max_bytes=MAX_BYTES,
    )
    client = redis.Redis.from_url(security_redis)

    async def one(path: str) -> tuple[str, ArticleIn, float]:
        article = ArticleIn(title="t", text="", summary="kept", url=f"{servers.feeds}{path}")
        started = time.monotonic()
        done = await asyncio.to_thread(complete, article, client, policy)
        return path, done, time.monotonic() - started

    try:
        results = await asyncio.gather(*(one(path) for path in HOSTILE_PAGES))
    finally:
        client.close()
    for path, done, seconds in results:
        assert done.text == "" and done.summary == "kept", path
        assert seconds < 8, (path, seconds)
