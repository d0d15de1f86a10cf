"""Feeds in Chromium: health table, add, pause, remove, and an OPML round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ParseError
from pipeline.feeds.opml import read_opml
from tests.ui.conftest import Stack, shot
from tests.ui.test_pages import TIMEOUT, login

OPML = """<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
<head><title>An analyst's feeds</title></head>
<body>
  <outline text="News">
    <outline type="rss" text="Kyiv Wire" title="Kyiv Wire" xmlUrl="https://kyiv-wire.example/rss.xml" language="en"/>
    <outline type="rss" text="Minsk &amp; Co" xmlUrl="https://minsk.example/feed"/>
  </outline>
  <outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" text="Repeat" xmlUrl="https://kyiv-wire.example/rss.xml"/>
</body>
</opml>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/&x;"/></body></opml>
"""


def test_read_opml_keeps_web_feeds_once() -> None:
    feeds = read_opml(OPML.encode())
    assert [f.url for f in feeds] == [
        "https://kyiv-wire.example/rss.xml",
        "https://minsk.example/feed",
    ]
    assert (
        feeds[0].name == "Kyiv Wire" and feeds[0].language == "en" and feeds[1].name == "Minsk & Co"
    )


def test_read_opml_expands_no_external_entity() -> None:
    with pytest.raises(ParseError, match="external entity"):
        read_opml(XXE.encode())
    with pytest.raises(ParseError):
        read_opml(b"<html><body>not opml</body></html>")


def test_opml_round_trip_add_pause_remove(page: Any, stack: Stack, tmp_path: Path) -> None:
    login(page, stack)
    page.goto(f"{stack.url}/ui/feeds")
    upload = tmp_path / "feeds.opml"
    upload.write_text(OPML)
    page.set_input_files('form.opml-import input[type="file"]', str(upload))
    page.click("form.opml-import button")
    page.locator("p.message", has_text="imported 2 feed(s)").wait_for(timeout=TIMEOUT)
    table = page.locator("table.feeds")
    assert "kyiv-wire.example/rss.xml" in table.inner_text()
    assert "javascript" not in table.inner_text()

    form = page.locator("form.add-feed")
    form.locator('input[name="url"]').fill("https://tass.example/news")
    form.locator('input[name="name"]').fill("TASS page")
    form.locator("button").click()
    page.locator("p.message", has_text="added feed").wait_for(timeout=TIMEOUT)
    row = page.locator("tr.feed", has_text="tass.example")
    assert row.get_attribute("data-state") == "new"
    row.locator("button", has_text="Pause").click()
    page.locator("p.message", has_text="paused").wait_for(timeout=TIMEOUT)
    assert page.locator("tr.feed", has_text="tass.example").get_attribute("data-state") == "paused"
    shot(stack, page, "feeds")

    exported = page.request.get(stack.url + page.locator("a.export-opml").get_attribute("href"))
    urls = {f.url for f in read_opml(exported.body())}
    assert {
        "https://kyiv-wire.example/rss.xml",
        "https://minsk.example/feed",
        "https://tass.example/news",
    } <= urls

    page.locator("tr.feed", has_text="minsk.example").locator("button", has_text="Remove").click()
    page.locator("p.message", has_text="removed").wait_for(timeout=TIMEOUT)
    assert "minsk.example" not in page.locator("table.feeds").inner_text()
