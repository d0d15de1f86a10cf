"""An Atom feed (RFC 4287) of one subscription's alerts, built with lxml so every value is
escaped by the serializer, never by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from pipeline.store.alerts import AlertRow, Subscription

ATOM = "http://www.w3.org/2005/Atom"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        child.text = text
    return child


def alerts_feed(sub: Subscription, alerts: list[AlertRow], *, self_url: str, base: str) -> bytes:
    """The subscription's alerts, newest first, each linking to its story page."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _el(feed, "id", f"urn:newsmon:subscription:{sub.id}")
    _el(feed, "title", f"newsmon: {sub.name}")
    updated = alerts[0].created_at if alerts else sub.created_at
    _el(feed, "updated", (updated or datetime.now(UTC)).isoformat())
    _el(feed, "link", rel="self", href=self_url)
    author = _el(feed, "author")
    _el(author, "name", "newsmon")
    for alert in alerts:
        payload = alert.payload or {}
        entry = _el(feed, "entry")
        _el(entry, "id", f"urn:newsmon:alert:{alert.id}")
        story = payload.get("story") or {}
        _el(entry, "title", str(story.get("title") or payload.get("summary") or alert.kind))
        _el(entry, "updated", alert.created_at.isoformat())
        if alert.story_id:
            _el(entry, "link", rel="alternate", href=f"{base}/ui/stories/{alert.story_id}")
        lines = [str(payload.get("summary") or "")]
        for claim in payload.get("claims") or []:
            lines.append(str(claim.get("sentence") or ""))
        _el(entry, "summary", "\n".join(line for line in lines if line), type="text")
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
