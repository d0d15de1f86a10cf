"""What feedparser keeps, the poller keeps: items found losing by running feedparser's own
test corpus through `newsmon poll --once`, each as a small feed on the local test server.

- items with only an enclosure (a bare podcast episode) or only a date and an author are
  enqueued, each as its own article;
- link-less items sharing one GUID with different contents stay apart; exact repeats are
  merged and `feeds list` says how many;
- a feed with no items whose channel title holds an undefined entity is an empty feed, not a
  failing one.
"""

from __future__ import annotations

from conftest import add_feeds
from pollserver import queued_articles
from sqlalchemy.orm import Session, sessionmaker
from test_poll_state import feed_row, feeds_list_json

from pipeline.feeds.parse import parse_feed
from pipeline.settings import Settings
from tests.feeds.fetchserver import ScriptedServer
from workers.poll.poller import Poller


async def test_enclosure_only_and_date_author_only_items_are_kept(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session], redis13: str
) -> None:
    (feed_id,) = add_feeds(sessions, server.url("/fixtures/enclosure_only.xml"), full_text=False)
    report = await poller.run_once()
    assert report.enqueued == 4
    articles = queued_articles(redis13)
    urls = {a["url"] for a in articles}
    assert {"https://pod.test/ep1.mp3", "https://pod.test/ep2.mp3"} <= urls
    titles = sorted(a["title"] for a in articles)
    assert titles[:2] == [
        "Untitled item by jane@pod.test (Jane), 2021-09-06",
        "Untitled item by jane@pod.test (Jane), 2021-09-07",
    ]
    assert titles[2:] == ["ep1.mp3", "ep2.mp3"]
    assert len({a["text"] for a in articles}) == 4  # never exact copies of each other
    assert not feed_row(sessions, feed_id).failing


async def test_same_guid_without_link_is_not_collapsed_and_repeats_are_counted(
    poller: Poller,
    server: ScriptedServer,
    sessions: sessionmaker[Session],
    redis13: str,
    settings: Settings,
) -> None:
    add_feeds(sessions, server.url("/fixtures/same_guid.xml"), full_text=False)
    report = await poller.run_once()
    assert report.enqueued == 2
    assert sorted(a["title"] for a in queued_articles(redis13)) == ["First story", "Second story"]
    [listed] = feeds_list_json(settings)
    assert (listed["state"], listed["merged"], listed["skipped"]) == ("ok", 1, 0)


async def test_empty_feed_with_undefined_entity_in_title_is_ok(
    poller: Poller, server: ScriptedServer, sessions: sessionmaker[Session], redis13: str
) -> None:
    (feed_id,) = add_feeds(sessions, server.url("/fixtures/entity_title.xml"), full_text=False)
    await poller.run_once()
    row = feed_row(sessions, feed_id)
    assert not row.failing and row.consecutive_failures == 0 and row.last_success_at
    assert queued_articles(redis13) == []


def test_parse_counts_merged_and_skipped_entries() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>https://t.test/a</link></item>"
        b"<item><title>A</title><link>https://t.test/a</link></item>"
        b"<item></item></channel></rss>"
    )
    parsed = parse_feed(body, url="https://t.test/feed")
    assert [i.title for i in parsed.items] == ["A"]
    assert (parsed.merged, parsed.skipped) == (1, 1)
