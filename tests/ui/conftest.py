"""The dashboard in a real headless Chromium (Debian's package, driven by Playwright) against
the real API app on uvicorn, over a database that the real pipeline stages filled.

Each backend (SQLite, PostgreSQL) is seeded once per module: the seed article, a syndicated
copy of it from another outlet, and a hostile article whose title and link carry scripts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from pipeline import run as stages
from pipeline.feeds.feedstate import html_to_text
from pipeline.feeds.parse import parse_feed
from pipeline.models import ArticleIn
from pipeline.seeds import iter_article_files, read_article
from pipeline.settings import Settings
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from tests.api.conftest import ThreadedUvicorn
from tests.conftest import PG_ADMIN, REDIS_BASE, ROOT, make_settings, pg_database
from workers.deps import Deps
from workers.process.runtime import prepare
from workers.queue.app import configure
from workers.ui import dashboard_url
from workers.web import create_app

UI_DB = 8
LIVE_SUBSCRIPTION = """subscriptions:
  - name: wagner-live
    owner: analyst
    rule: {any_actors: [wagner-group]}
    channel: stream
    target: analyst
"""
CHROMIUM = (
    os.environ.get("NEWSMON_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
HOSTILE_TITLE = '<script>window.__pwned = "title"</script><img src=x onerror="window.__pwned=\'img\'">Wagner Group hostile headline'
HOSTILE_TEXT = (
    "Wagner Group fighters were seen in Bakhmut. <script>window.__pwned='text'</script>"
    " North Korea denied sending weapons to the Wagner Group, officials said."
    " North Korea did not send weapons to the Wagner Group, the ministry said."
)


def seed_articles() -> list[ArticleIn]:
    seed = read_article(next(iter_article_files([ROOT / "seeds"])))
    when = datetime(2023, 1, 20, 14, 0, tzinfo=UTC)
    original = ArticleIn(
        title=seed.title,
        text=seed.text,
        url="https://www.foxnews.com/world/nk-wagner",
        source="foxnews.com",
        published=when,
        origin="seed",
    )
    copy = replace(
        original, url="https://www.example-syndicate.com/nk-wagner", source="example-syndicate.com"
    )
    hostile = ArticleIn(
        title=HOSTILE_TITLE,
        text=HOSTILE_TEXT,
        url="https://hostile.example/story",
        source="hostile.example",
        published=datetime(2023, 1, 21, 9, 0, tzinfo=UTC),
    )
    return [original, copy, hostile, *hostile_feed_articles()]


HOSTILE_FEED = Path(__file__).with_name("hostile_feed.xml")


def hostile_feed_articles() -> list[ArticleIn]:
    """The hostile feed's items as the poller turns them into articles."""
    parsed = parse_feed(HOSTILE_FEED.read_bytes(), url="https://hostile.example/feed.xml")
    return [
        ArticleIn(
            title=item.title,
            text=html_to_text(item.content or item.summary),
            url=item.link,
            source="hostile-wire",
            published=item.published,
            guid=item.guid,
        )
        for item in parsed.items
    ]


def run_stages(deps: Deps, articles: list[ArticleIn]) -> list[int]:
    """The workers' stages in this process: store, drop copies, extract, assign stories."""
    ingested = stages.ingest(deps.sessions, articles)
    dedup = stages.deduplicate(deps.sessions, deps.redis, deps.index, ingested.to_process)
    stages.extract(deps.sessions, deps.extractor, dedup.originals)
    for article_id in dedup.originals:
        with transaction(deps.sessions) as session:
            stages.assign_story(session, article_id)
    return ingested.to_process


@dataclass
class Stack:
    url: str
    settings: Settings
    deps: Deps
    backend: str
    shots: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def login_url(self) -> str:
        return dashboard_url(self.settings).replace(
            f"http://{self.settings.api_host}:{self.settings.api_port}", self.url
        )

    def key(self, owner: str) -> str:
        with transaction(self.deps.sessions) as session:
            return alert_store.create_api_key(session, owner)

    def api(self, owner: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"X-API-Key": self.key(owner)}, timeout=10)


def _database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'newsmon.db'}"
        return
    yield from pg_database(PG_ADMIN, "newsmon_ui")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The API app with the dashboard, on a seeded database, served on a free port."""
    tmp = tmp_path_factory.mktemp(f"ui-{request.param}")
    redis_url = f"{REDIS_BASE}/{UI_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    for database_url in _database(request.param, tmp):
        subscriptions = tmp / "subscriptions.yaml"
        subscriptions.write_text(LIVE_SUBSCRIPTION)
        settings = make_settings(
            tmp,
            redis_url=redis_url,
            database_url=database_url,
            alerts_allow_loopback=True,
            api_rate_limit=0,
            subscriptions_file=subscriptions,
        )
        deps = Deps(settings)
        prepare(deps)
        configure(settings)
        ids = run_stages(deps, seed_articles())
        app = create_app(settings)
        server = ThreadedUvicorn(app)
        url = server.start()
        shots = tmp / "screenshots"
        shots.mkdir()
        yield Stack(url, settings, app.state.deps, request.param, shots, {"article_ids": ids})
        server.stop()
        app.state.deps.close()
        deps.close()
    redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Playwright's sync API keeps an event loop running in
    this thread while it is open, so it is closed after each module: asyncio tests collected
    after the dashboard's would otherwise find a loop already running."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, stack: Stack) -> Iterator[Any]:
    """A fresh browser context (no cookies) with a page that records script dialogs."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


def shot(stack: Stack, page: Any, name: str) -> Path:
    path = stack.shots / f"{stack.backend}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    # NEWSMON_UI_SCREENSHOTS=docs refreshes the README's images from a SQLite run.
    docs = os.environ.get("NEWSMON_UI_SCREENSHOTS")
    if docs and stack.backend == "sqlite" and name in ("actor", "story"):
        shutil.copyfile(path, Path(docs) / f"dashboard-{name}.png")
    return path
