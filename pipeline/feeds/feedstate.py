"""Pure per-feed polling decisions: which items move on, the articles they become, item times.

Nothing here does I/O: the poller hands in what the store knows about a feed (a `FeedInfo`
snapshot and the tombstones of the keys a document shows) and gets back what to enqueue.
`FeedInfo`, `Seen` and `Tombstone` live in `pipeline.models`: the store reads and writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import unquote, urlsplit

from pipeline.dedup.normalize import html_text
from pipeline.feeds.parse import FeedItem, has_full_content
from pipeline.models import ArticleIn, FeedInfo, Seen, Tombstone

ITEM_TIMES_KEPT = 100
"""How many recent item dates a feed keeps for its publishing rate (a week of a busy feed)."""


@dataclass(frozen=True, slots=True)
class Moving:
    """An item that moves on: new (`update` False) or changed since it was enqueued."""

    item: FeedItem
    update: bool
    first_seen: datetime


def tombstones(feed_id: int, moving: Iterable[Moving]) -> list[Tombstone]:
    """The tombstones the store writes for items just enqueued."""
    return [
        Tombstone(feed_id, m.item.key, m.item.content_hash, m.first_seen, m.update) for m in moving
    ]


def select_moving(
    items: Sequence[FeedItem], seen: Mapping[str, Seen], now: datetime
) -> list[Moving]:
    """The items to enqueue, in the feed's order (oldest first).

    New: the key has no tombstone. Update: the tombstone's content hash differs. Everything
    else is unchanged and stays. A new item's first-seen time is `now`.
    """
    moving: list[Moving] = []
    for item in items:
        known = seen.get(item.key)
        if known is None:
            moving.append(Moving(item, False, now))
        elif known.content_hash != item.content_hash:
            moving.append(Moving(item, True, known.first_seen))
    return moving


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: paragraphs kept as lines, tags dropped, entities decoded."""
    return html_text(markup)


def article_for(
    moving: Moving, feed: FeedInfo, *, feed_title: str | None, feed_language: str | None
) -> ArticleIn:
    """The article an item becomes; its date is the item's, else the time it was first seen."""
    item = moving.item
    summary = html_to_text(item.summary)
    text = html_to_text(item.content) if item.content else summary
    title = item.title or untitled_title(item)
    return ArticleIn(
        title=title,
        text=text or summary or title,
        url=item.link,
        source=feed.source or feed.name or feed_title,
        published=item.published or item.updated or moving.first_seen,
        fetched=moving.first_seen if not moving.update else None,
        feed_id=feed.id,
        guid=item.guid,
        language=feed.language or feed_language,
        summary=summary or None,
        origin="feed",
    )


def untitled_title(item: FeedItem) -> str:
    """A title for an item that has none: its link's file name (a podcast episode's media
    file), else who and when ("by Jane, 2021-09-06"), so that such items stay apart."""
    if item.link:
        name = urlsplit(item.link).path.rstrip("/").rsplit("/", 1)[-1]
        if name:
            return unquote(name)
        return item.link
    said = [
        f"by {item.author}" if item.author else "",
        item.published.date().isoformat() if item.published else "",
    ]
    return "Untitled item " + ", ".join(p for p in said if p)


def wants_full_text(item: FeedItem, full_text: bool | None) -> bool:
    """True when the article page should be fetched: the item has only a summary and a link,
    and the feed does not say no (`full_text` False)."""
    if full_text is False or not item.link:
        return False
    return full_text is True or not has_full_content(item)


def with_page_text(article: ArticleIn, text: str | None, canonical: str | None) -> ArticleIn:
    """The article with its page's main text (the summary stays when none was found) and its
    canonical URL when the page names one."""
    updated = article
    if text:
        updated = replace(updated, text=text)
    if canonical:
        updated = replace(updated, url=canonical)
    return updated


def merge_item_times(
    old: Iterable[datetime], new: Iterable[datetime | None], limit: int = ITEM_TIMES_KEPT
) -> list[datetime]:
    """The newest `limit` distinct item times of both lists, oldest first."""
    merged = {t for t in old} | {t for t in new if t is not None}
    return sorted(merged)[-limit:] if limit > 0 else []
