"""One leased feed's visit: conditional GET, an HTML page's feed discovered, the document parsed."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import structlog

from pipeline.errors import FetchPermanent, NewsmonError
from pipeline.feeds.discover import discover_feeds, looks_like_html
from pipeline.feeds.fetch import Fetcher, FetchResult
from pipeline.feeds.parse import ParsedFeed, parse_feed
from pipeline.models import FeedInfo
from workers.poll.outcome import Fetched, Polled

log = structlog.get_logger("newsmon.poller")

_PARSER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="poll-parse")
"""Parsing holds the GIL: one thread keeps the event loop free for I/O, several would only
fight over the GIL (each switch costs CPU) and make every parse slower."""


async def fetch_and_parse(fetcher: Fetcher, feed: FeedInfo, token: str) -> Polled:
    """The feed's poll, ready for the writer; a failure is part of it, never raised."""
    started = time.monotonic()
    try:
        fetched = await fetch(fetcher, feed)
    except NewsmonError as exc:
        return Polled(feed, token, error=exc, fetch_seconds=time.monotonic() - started)
    elapsed = time.monotonic() - started
    result = fetched.result
    if result.not_modified or result.body is None:
        return Polled(feed, token, fetched, fetch_seconds=elapsed)
    try:
        parsed = await asyncio.get_running_loop().run_in_executor(_PARSER, _parse, result)
    except NewsmonError as exc:
        return Polled(feed, token, fetched, error=exc, fetch_seconds=elapsed)
    except Exception as exc:  # a bug must not stop the other feeds: recorded, logged
        log.exception("poll_failed", feed_id=feed.id, url=feed.url)
        return Polled(feed, token, fetched, error=exc, fetch_seconds=elapsed)
    return Polled(feed, token, fetched, parsed, fetch_seconds=elapsed)


async def fetch(fetcher: Fetcher, feed: FeedInfo) -> Fetched:
    """The feed's document (conditionally); an HTML page is followed to the feed it links."""
    result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    new_url = result.permanent_redirect_to
    if result.body is not None and looks_like_html(result.body, result.content_type):
        chosen = _choose_feed(feed, result)
        result = await fetcher.fetch(chosen)
        new_url = result.permanent_redirect_to or chosen
    return Fetched(result, new_url)


def _choose_feed(feed: FeedInfo, page: FetchResult) -> str:
    assert page.body is not None
    found = discover_feeds(page.body, page.url)
    if not found:
        raise FetchPermanent(f"{page.url} is an HTML page that links no feed")
    log.info("feed_discovered", feed_id=feed.id, page=page.url, chosen=found[0], found=found)
    return found[0]


def _parse(result: FetchResult) -> ParsedFeed:
    assert result.body is not None
    return parse_feed(result.body, url=result.url, content_type=result.content_type)
