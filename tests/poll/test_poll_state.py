"""The poller's per-feed state: only new and changed items move, failures back off and show,
every real publisher's feed is either read or reported, moved feeds stay recognised."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import Clock, add_feeds
from pollserver import Script, queued_articles
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pipeline.models import FeedSpec
from pipeline.settings import Settings
from pipeline.store import feeds as feed_store
from pipeline.store.db import transaction
from pipeline.store.tables import Feed, FeedItemSeen
from tests.conftest import ROOT, settings_env
from tests.feeds.fetchserver import ScriptedServer, feed_names
from workers.poll.poller import Poller


def feed_row(sessions: sessionmaker[Session], feed_id: int) -> Feed:
    with sessions() as session:
        return session.get_one(Feed, feed_id)


async def test_only_new_and_changed_items_move_as_updates(
    poller: Poller,
    server: ScriptedServer,
    script: Script,
    sessions: sessionmaker[Session],
    clock: Clock,
    redis13: str,
) -> None:
    (feed_id,) = add_feeds(sessions, server.url("/changing"), full_text=False)
    await poller.run_once()
    first = queued_articles(redis13)
    assert [a["url"] for a in first] == ["https://news.test/a", "https://news.test/b"]
    assert first[0]["text"] == "Alpha rises & more about a."  # HTML stripped, entities decoded

    clock.now = feed_row(sessions, feed_id).next_check_at
    unchanged = await poller.run_once()
    assert unchanged.counts["unchanged"] == 1 and len(queued_articles(redis13)) == 2

    script.generation = 2
    clock.now = feed_row(sessions, feed_id).next_check_at
    changed = await poller.run_once()
    moved = queued_articles(redis13)[2:]
    assert changed.enqueued == 2
    assert [(a["url"], a["title"]) for a in moved] == [
        ("https://news.test/b", "Beta falls further (edited)"),
        ("https://news.test/c", "Gamma"),
    ]
    with sessions() as session:
        keys = session.scalars(select(FeedItemSeen.item_key).where(FeedItemSeen.feed_id == feed_id))
        assert sorted(keys) == [f"https://news.test/{k}" for k in "abc"]
    assert len(feed_row(sessions, feed_id).item_times) == 3


def feeds_list_json(settings: Settings) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "feeds", "list", "--json"],
        env=settings_env(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


async def test_feed_failing_n_times_is_marked_then_recovers(
    poller: Poller,
    server: ScriptedServer,
    script: Script,
    sessions: sessionmaker[Session],
    clock: Clock,
    settings: Settings,
) -> None:
    script.fail_first = 3
    (feed_id,) = add_feeds(sessions, server.url("/failing-then-ok"), full_text=False)
    gaps = []
    for attempt in range(1, 4):
        await poller.run_once()
        row = feed_row(sessions, feed_id)
        assert row.consecutive_failures == attempt
        assert row.failing == (attempt >= 3)
        gaps.append((row.next_check_at - clock.now).total_seconds())
        clock.now = row.next_check_at
    assert gaps[2] >= 0.85 * 3600  # failing: the slowest rate
    assert gaps[0] <= 60  # first failure: back off from the minimum interval
    [listed] = feeds_list_json(settings)
    assert listed["state"] == "failing"
    assert "500" in listed["last_error"] and listed["next_check_at"]

    report = await poller.run_once()
    assert report.counts["new"] == 1
    row = feed_row(sessions, feed_id)
    assert (row.failing, row.consecutive_failures) == (False, 0)
    [listed] = feeds_list_json(settings)
    assert listed["state"] == "ok" and listed["last_success_at"]


@pytest.mark.parametrize("name", feed_names())
async def test_every_shared_feed_is_read_or_reported(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session], redis13: str, name: str
) -> None:
    (feed_id,) = add_feeds(sessions, server.url(f"/feeds/{name}"), full_text=False)
    report = await poller.run_once()
    [outcome] = report.outcomes
    row = feed_row(sessions, feed_id)
    if outcome.status == "error":
        assert row.last_error and name in row.last_error, "the error names the feed"
    else:
        articles = queued_articles(redis13)
        assert outcome.status == "new" and len(articles) == outcome.enqueued > 0
        assert all(a["title"] or a["text"] for a in articles)
        assert all("\ufffd" not in a["title"] for a in articles), "mis-decoded text"


def test_a_moved_config_feed_stays_the_same_row(sessions: sessionmaker[Session]) -> None:
    spec = FeedSpec(url="http://old.test/feed", name="Old")
    with transaction(sessions) as session:
        feed_store.sync_config_feeds(session, [spec])
        feed_id = session.scalars(select(Feed.id)).one()
        assert feed_store.move_feed(session, feed_id, "https://new.test/feed")
    with transaction(sessions) as session:
        feed_store.sync_config_feeds(session, [spec])
        rows = session.scalars(select(Feed)).all()
        assert [(r.id, r.url, r.enabled) for r in rows] == [
            (feed_id, "https://new.test/feed", True)
        ]
        assert feed_store.add_feed(session, FeedSpec(url="http://old.test/feed"))[1] is False
