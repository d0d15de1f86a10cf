"""Full text of an article page: its main text via trafilatura and its rel=canonical URL."""

from __future__ import annotations

from configparser import ConfigParser

import trafilatura
from trafilatura.settings import use_config

from pipeline.dedup.normalize import find_rel_canonical

MAX_HTML_BYTES = 4 * 1024 * 1024
"""Longer pages are cut: real articles are far smaller, and extraction time grows with size."""
MAX_TAGS = 30_000
"""Pages with more tags are refused before parsing: extraction time grows with the tree, and
trafilatura's own MAX_TREE_SIZE is only checked after the work is done. Real articles: 1-7k."""
MIN_TEXT_CHARS = 200
"""Less text than this is a teaser, a paywall or a failed extraction: keep the feed summary."""


def extract_main_text(html: bytes, url: str) -> tuple[str | None, str | None]:
    """(main text, canonical URL) of an HTML page; either is None when not found.

    Comments, tables and navigation are left out. Never raises on bad HTML: an unreadable page
    gives (None, canonical-or-None), and the caller keeps the summary it already has.
    """
    page = html[:MAX_HTML_BYTES]
    canonical = find_rel_canonical(page, url)
    if page.count(b"<") > MAX_TAGS:
        return None, canonical
    try:
        text = trafilatura.extract(
            page,
            url=url,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            deduplicate=False,
            config=_CONFIG,
        )
    except (ValueError, TypeError, RecursionError, AttributeError):
        return None, canonical
    text = (text or "").strip()
    return (text if len(text) >= MIN_TEXT_CHARS else None), canonical


def _config() -> ConfigParser:
    config = use_config()
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")  # we take dates from the feed
    return config


_CONFIG = _config()
