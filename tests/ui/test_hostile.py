"""Hostile text stays text: feed links other than http(s) are never stored, HTML in feed
text is read by a real parser, and script in a title, link or body never runs in the page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from pipeline.alerts.render import render_html
from pipeline.dedup.normalize import html_text, is_web_url
from pipeline.feeds.parse import parse_feed
from pipeline.store.tables import Article
from tests.ui.conftest import HOSTILE_FEED, Stack, shot
from tests.ui.test_pages import TIMEOUT, login


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a", True),
        ("http://example.com/a", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
        ("https:///no-host", False),
        ("", False),
    ],
)
def test_only_web_urls_are_article_links(url: str, ok: bool) -> None:
    assert is_web_url(url) is ok


def test_hostile_feed_items_keep_no_script_link_and_no_script_text() -> None:
    parsed = parse_feed(HOSTILE_FEED.read_bytes(), url="https://hostile.example/feed.xml")
    links = [item.link for item in parsed.items]
    assert links.count(None) == 3 and "https://hostile.example/good" in links
    body = html_text(parsed.items[0].summary or parsed.items[0].content)
    assert "__pwned" not in body and "Soledar" in body and "North Korea" in body


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("a<script>alert(1)</script>b", "ab"),
        ("<style>p{}</style>x &amp; y", "x & y"),
        ("5 < 6", "5 < 6"),
        ("line<br>next", "line\nnext"),
        ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
    ],
)
def test_html_is_read_by_a_parser(markup: str, text: str) -> None:
    assert html_text(markup) == text


def test_stored_hostile_articles_have_no_script_links(stack: Stack) -> None:
    with stack.deps.sessions() as session:
        urls = list(session.scalars(select(Article.url)))
    assert all(u is None or u.startswith(("http://", "https://")) for u in urls)


def test_script_in_titles_links_and_text_never_runs(page: Any, stack: Stack) -> None:
    login(page, stack)
    page.goto(f"{stack.url}/ui/stories?source=hostile-wire")
    titles = page.locator("li.story a.title")
    titles.first.wait_for(timeout=TIMEOUT)
    assert "<script>" in page.locator("ol.stories").inner_text()  # shown as text
    for path in ("/ui/", "/ui/stories?source=hostile.example", "/ui/actors/wagner-group"):
        page.goto(f"{stack.url}{path}")
        page.locator("main").wait_for(timeout=TIMEOUT)
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    page.goto(f"{stack.url}/ui/stories?source=hostile.example")
    page.locator("li.story a.title").first.click()
    page.locator("h1.story-title").wait_for(timeout=TIMEOUT)
    assert "<script>" in page.locator("h1.story-title").inner_text()
    assert page.locator("main img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    shot(stack, page, "hostile-story")
    csp = page.request.get(f"{stack.url}/ui/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_html_email_of_a_hostile_alert_runs_no_script(browser: Any) -> None:
    script = "<script>window.__pwned='mail'</script><img src=x onerror=\"window.__pwned='img'\">"
    payload = {
        "summary": f"[newsmon] {script}",
        "story": {
            "title": script,
            "first_article": {"source": script, "url": "javascript:window.__pwned='href'"},
            "outlets": [{"source": script, "url": "data:text/html,<script>1</script>"}],
            "independent_outlets": 1,
        },
        "actors": [{"id": "wagner-group", "text": script}],
        "claims": [{"subject": {"text": script}, "predicate": "say", "sentence": script}],
        "links": {"article": "vbscript:msgbox(1)"},
        "subscription": {"name": script, "owner": script},
    }
    context = browser.new_context()
    try:
        mail = context.new_page()
        mail.set_content(render_html(payload))
        assert mail.evaluate("typeof window.__pwned") == "undefined"
        assert mail.locator("script, img").count() == 0
        hrefs = mail.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        assert all(h.startswith(("http://", "https://")) for h in hrefs)
        assert "<script>" in mail.locator("h1").inner_text()
    finally:
        context.close()
