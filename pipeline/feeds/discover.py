"""Feed discovery: the feeds an HTML page advertises with <link rel="alternate">, best first."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = {
    "application/atom+xml": "atom",
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/feed+json": "json",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
MAX_HEAD_BYTES = 512 * 1024
"""Feed links live in <head>; a page is not read further than this."""
_SECONDARY = ("comment", "kommentar", "comentario", "commentaire", "reply", "replies")


@dataclass(frozen=True, slots=True)
class _Link:
    href: str
    kind: str
    title: str
    position: int

    @property
    def is_secondary(self) -> bool:
        text = f"{self.title} {self.href}".lower()
        return any(word in text for word in _SECONDARY)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[_Link] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "").strip() for name, value in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        if tag not in ("link", "a"):
            return
        rels = values.get("rel", "").lower().split()
        kind = FEED_TYPES.get(values.get("type", "").split(";")[0].strip().lower())
        if "alternate" in rels and kind and values.get("href"):
            link = _Link(values["href"], kind, values.get("title", ""), len(self.links))
            self.links.append(link)


def discover_feeds(html: bytes, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the feeds the page links, without repeats, best first.

    Best first: the site's main feeds before comment feeds, then in the page's own order
    (publishers list their main feed first).
    """
    collector = _LinkCollector()
    collector.feed(html[:MAX_HEAD_BYTES].decode("utf-8", errors="replace"))
    base = urljoin(base_url, collector.base) if collector.base else base_url
    ranked = sorted(collector.links, key=lambda link: (link.is_secondary, link.position))
    found: list[str] = []
    for link in ranked:
        url = urljoin(base, link.href).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https") and url not in found:
            found.append(url)
    return found


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """True when a fetched document is an HTML page rather than a feed."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))
