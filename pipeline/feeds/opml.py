"""OPML 2.0 subscription lists: read the feeds of an uploaded file, write ours.

Reading uses lxml with entity resolution, DTDs and the network off, so an OPML file cannot
pull in other files or expand entities (the XXE and billion-laughs attacks the feed parser
also refuses). Only outlines with an http(s) `xmlUrl` become feeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from lxml import etree

from pipeline.dedup.normalize import is_web_url
from pipeline.errors import ParseError
from pipeline.models import FeedSpec

MAX_OUTLINES = 10_000


def read_opml(body: bytes) -> list[FeedSpec]:
    """The feeds of an OPML document, in document order, each URL once.

    Raises ParseError when the document is not readable XML or not OPML.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not an OPML file: {exc}") from None
    if root.tag != "opml":
        raise ParseError(f"not an OPML file: the root element is <{root.tag}>")
    feeds: dict[str, FeedSpec] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not is_web_url(url) or url in feeds:
            continue
        name = (outline.get("title") or outline.get("text") or "").strip() or None
        language = (outline.get("language") or "").strip() or None
        feeds[url] = FeedSpec(url=url, name=name, language=language)
        if len(feeds) >= MAX_OUTLINES:
            break
    return list(feeds.values())


def write_opml(feeds: Sequence[FeedSpec], *, title: str = "newsmon feeds") -> bytes:
    """An OPML 2.0 document with one `rss` outline per feed."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    body = etree.SubElement(root, "body")
    for feed in feeds:
        attrs = {"type": "rss", "text": feed.name or feed.url, "xmlUrl": feed.url}
        if feed.name:
            attrs["title"] = feed.name
        if feed.language:
            attrs["language"] = feed.language
        etree.SubElement(body, "outline", attrs)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
