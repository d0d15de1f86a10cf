"""The poller over HTTP: conditional GET, redirects, Retry-After, timeouts, limits, gzip, pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import Clock, add_feeds
from pollserver import queued, queued_articles
from sqlalchemy.orm import Session, sessionmaker

from pipeline.store.tables import Feed, FeedItemSeen
from tests.feeds.fetchserver import ScriptedServer
from workers.poll.poller import Poller


def feed_row(sessions: sessionmaker[Session], feed_id: int) -> Feed:
    with sessions() as session:
        return session.get_one(Feed, feed_id)


@pytest.mark.parametrize(
    ("path", "header"),
    [("/etag-only", "If-None-Match"), ("/lm-only", "If-Modified-Since")],
)
async def test_unchanged_feed_costs_one_304_and_enqueues_nothing(
    poller: Poller,
    server: ScriptedServer,
    sessions: sessionmaker[Session],
    clock: Clock,
    redis13: str,
    path: str,
    header: str,
) -> None:
    (feed_id,) = add_feeds(sessions, server.url(path), full_text=False)
    first = await poller.run_once()
    assert first.counts["new"] == 1
    enqueued = len(queued_articles(redis13))
    assert enqueued == first.enqueued > 10
    assert header not in server.hits_for(path)[0].headers

    clock.now = feed_row(sessions, feed_id).next_check_at
    second = await poller.run_once()

    assert second.counts["not_modified"] == 1
    assert len(queued_articles(redis13)) == enqueued
    assert header in server.hits_for(path)[1].headers
    row = feed_row(sessions, feed_id)
    assert row.last_success_at == clock.now and row.next_check_at > clock.now


@pytest.mark.parametrize(("status", "moves"), [(301, True), (308, True), (302, False)])
async def test_permanent_redirect_updates_the_stored_url(
    poller: Poller,
    server: ScriptedServer,
    sessions: sessionmaker[Session],
    status: int,
    moves: bool,
) -> None:
    start = server.url(f"/redirect/{status}")
    (feed_id,) = add_feeds(sessions, start, full_text=False)
    report = await poller.run_once()
    assert report.counts["new"] == 1
    target = server.url("/feeds/bbc__uk-politics-2018.xml")
    assert feed_row(sessions, feed_id).url == (target if moves else start)


async def test_429_retry_after_sets_the_next_check(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session], clock: Clock
) -> None:
    (feed_id,) = add_feeds(sessions, server.url("/rate-limited"))
    report = await poller.run_once()
    assert report.counts["error"] == 1
    row = feed_row(sessions, feed_id)
    assert row.next_check_at >= clock.now + timedelta(seconds=120)
    assert "429" in (row.last_error or "") and "120" in (row.last_error or "")
    assert row.consecutive_failures == 1 and not row.failing


async def test_slow_feed_times_out_while_others_are_polled(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session], redis13: str
) -> None:
    slow, good = add_feeds(sessions, server.url("/slow"), server.url("/gzip"), full_text=False)
    report = await poller.run_once()
    assert report.counts == {"error": 1, "new": 1}
    assert "timed out" in (feed_row(sessions, slow).last_error or "")
    assert feed_row(sessions, good).last_error is None
    assert queued_articles(redis13)


async def test_body_over_the_limit_is_a_feed_error(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session]
) -> None:
    (feed_id,) = add_feeds(sessions, server.url("/big"))
    await poller.run_once()
    assert "larger than the limit" in (feed_row(sessions, feed_id).last_error or "")


async def test_gzip_feed_items_are_enqueued_oldest_first(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session], redis13: str
) -> None:
    (feed_id,) = add_feeds(sessions, server.url("/gzip"), full_text=False, source="heise")
    await poller.run_once()
    articles = queued_articles(redis13)
    assert len(articles) > 5
    dates = [a["published"] for a in articles]
    assert dates == sorted(dates)
    assert {a["feed_id"] for a in articles} == {feed_id}
    assert {a["source"] for a in articles} == {"heise"}
    assert all(a["origin"] == "feed" and a["title"] and "<" not in a["text"] for a in articles)
    with sessions() as session:
        assert session.query(FeedItemSeen).filter_by(feed_id=feed_id).count() == len(articles)


async def test_html_page_leads_to_its_feed(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session], redis13: str
) -> None:
    (feed_id,) = add_feeds(sessions, server.url("/page.html"), full_text=False)
    report = await poller.run_once()
    assert report.counts["new"] == 1
    assert feed_row(sessions, feed_id).url == server.url("/feeds/bbc__uk-politics-2018.xml")
    assert queued_articles(redis13)


async def test_summary_only_items_go_to_the_full_text_task(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session], redis13: str
) -> None:
    add_feeds(sessions, server.url("/feeds/bbc__uk-politics-2018.xml"))
    await poller.run_once()
    tasks = {task for task, _ in queued(redis13)}
    assert tasks == {"newsmon.fetch_full_text"}
