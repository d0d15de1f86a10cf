"""Feed discovery from an HTML page, and main-text extraction over real article pages."""

from __future__ import annotations

import collections
import html
import re

import pytest
from fetchserver import ScriptedServer

from pipeline.feeds.discover import discover_feeds, looks_like_html
from pipeline.feeds.fetch import Fetcher, FetchPolicy
from pipeline.feeds.fulltext import MAX_HTML_BYTES, extract_main_text
from pipeline.feeds.parse import parse_feed
from tests.conftest import SHARED

ARTICLES = SHARED / "articles"
POLICY = FetchPolicy(allow_loopback=True, host_delay=0.0)


async def test_html_page_leads_to_its_feed(server: ScriptedServer) -> None:
    async with Fetcher(POLICY) as fetcher:
        page = await fetcher.fetch(server.url("/page.html"))
        assert page.body is not None and looks_like_html(page.body, page.content_type)
        found = discover_feeds(page.body, page.url)
        assert found == [
            server.url("/feeds/bbc__uk-politics-2018.xml"),
            server.url("/feeds/heise__developer-news.atom"),
        ]
        feed = await fetcher.fetch(found[0])
    assert feed.body is not None and not looks_like_html(feed.body, feed.content_type)
    assert len(parse_feed(feed.body, url=feed.url).items) == 33


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<link rel=alternate type=application/rss+xml href=/rss>", ["https://s.test/rss"]),
        (
            '<link rel="alternate" type="application/rss+xml" title="Comments" href="/c.xml">'
            '<link rel="alternate" type="application/atom+xml" href="/a.xml">',
            ["https://s.test/a.xml", "https://s.test/c.xml"],
        ),
        (
            '<base href="https://cdn.test/x/"><link rel="alternate" '
            'type="application/feed+json" href="feed.json">',
            ["https://cdn.test/x/feed.json"],
        ),
        ('<link rel="alternate" hreflang="fr" href="/fr/">', []),
        ('<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">', []),
        (
            '<link rel="alternate" type="application/rss+xml" href="/f">'
            '<link rel="alternate" type="application/rss+xml" href="/f#x">',
            ["https://s.test/f"],
        ),
        ("", []),
    ],
)
def test_discover_feeds(page: str, expected: list[str]) -> None:
    assert discover_feeds(page.encode(), "https://s.test/news/page") == expected


def _words(text: str) -> collections.Counter[str]:
    return collections.Counter(re.findall(r"\w+", text.lower()))


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name.removesuffix(".expected.html")
        for p in (ARTICLES / "expected").glob("*.expected.html")
    ),
)
def test_main_text_matches_the_reference_extraction(name: str) -> None:
    """Word overlap with Readability's reference output: nearly all of it, little else."""
    expected_html = (ARTICLES / "expected" / f"{name}.expected.html").read_text()
    expected = _words(html.unescape(re.sub(r"<[^>]+>", " ", expected_html)))
    text, canonical = extract_main_text(
        (ARTICLES / f"{name}.html").read_bytes(), "https://x.test/a"
    )
    assert text is not None
    common = sum((expected & _words(text)).values())
    assert common / sum(expected.values()) >= 0.9
    assert common / sum(_words(text).values()) >= 0.75
    assert canonical is not None and canonical.startswith("http")


@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("*.html")))
def test_every_shared_article_yields_text(name: str) -> None:
    text, _ = extract_main_text((ARTICLES / name).read_bytes(), f"https://x.test/{name}")
    assert text is not None and len(text) >= 500


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b"<html><body><p>Too short.</p></body></html>",
        b"<div>" * 200_000,
        b"<html><body>" + b"<p>word</p>" * 40_000 + b"</body></html>",
        b"<html><body>" + b"<p>word </p>" * (MAX_HTML_BYTES // 8) + b"</body></html>",
    ],
)
def test_unusable_pages_give_no_text_without_raising(page: bytes) -> None:
    text, canonical = extract_main_text(page, "https://x.test/a")
    assert text is None or len(text) >= 200
    assert canonical is None
