"""Feed parsing: bytes in any encoding -> ParsedFeed with stable item identities, oldest first.

RSS 0.9x/1.0/2.0 and Atom go through feedparser; JSON Feed 1.0/1.1 is read here, item by item,
so that one malformed item is skipped rather than failing the feed. The character encoding is
decided before feedparser sees the bytes (BOM, then the HTTP charset and the XML declaration,
checked against the bytes), because publishers often declare one encoding and send another.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import importlib.util
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import feedparser.api

from pipeline.dedup.normalize import html_text, is_web_url
from pipeline.errors import ParseError

FULL_CONTENT_MIN_CHARS = 700
"""An item whose longest text is shorter than this carries only a summary."""
MAX_KEY_CHARS = 512
MAX_ITEMS = 5000
"""Feeds with more items are refused: 5,000 items take about 0.7 s to parse."""
_UTF8_XML = "application/xml; charset=utf-8"

# feedparser asks xml.sax for the libxml2 driver first. Where it is not installed, the failed
# import searches sys.path again on every parse, and the pollers' parse threads queue on
# the import lock for it: a third of a changed poll cycle went there.
feedparser.api.PREFERRED_XML_PARSERS[:] = [
    name for name in feedparser.api.PREFERRED_XML_PARSERS if importlib.util.find_spec(name)
]

_XML_DECL = re.compile(rb"^<\?xml[^>]*?>", re.DOTALL)
_DECL_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)
_DOCTYPE_SEARCH = 256 * 1024
_ENTITY_DECL = re.compile(
    r"<!ENTITY\s+(?:%\s+)?[^\s>]+\s+(?:(?P<external>SYSTEM|PUBLIC)\b|(?P<q>[\"'])(?P<value>.*?)(?P=q))",
    re.DOTALL | re.IGNORECASE,
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_SPACES = re.compile(r"\s+")
# Single-byte encodings that UTF-8 text is often mislabelled as.
_WESTERN = frozenset({"iso8859-1", "cp1252", "ascii", "iso8859-15", "latin-1"})
# Decode with the superset a browser would use: the same bytes, more of them legal.
_SUPERSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, its text decoded and its link absolute."""

    key: str
    """Identity within the feed: GUID/id, else canonical link, else "sha256:" of title+content."""
    guid: str | None
    link: str | None
    title: str
    summary: str
    content: str
    """The full HTML or text when the feed carries it, else ""."""
    published: datetime | None
    updated: datetime | None
    author: str | None
    content_hash: str
    """sha256 of title, summary and content: changes when the publisher edits the item."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document: its metadata and its items, oldest first."""

    title: str | None
    link: str | None
    language: str | None
    ttl_seconds: int | None
    hub_url: str | None
    self_url: str | None
    items: tuple[FeedItem, ...]
    format: str = ""
    """feedparser's version name ("rss20", "atom10", ...) or "json11"."""
    merged: int = 0
    """Items dropped as exact repeats of another item of the document (same key and content)."""
    skipped: int = 0
    """Entries with nothing to keep (no title, text, link, GUID, enclosure, date or author)."""


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document fetched from `url`.

    Items are ordered oldest first: dated items by their date; undated items after them, in
    reverse document order (feeds list newest first). Within one document each key appears
    once. Raises ParseError with the reason when not a single item or title can be read, or
    when the document holds more than MAX_ITEMS items (parsing cost grows with the count).
    Entities declared in a DOCTYPE are never expanded or fetched (no billion laughs, no XXE).
    """
    if _looks_like_json(body, content_type):
        return parse_json_feed(body, url=url)
    # "replace": a lone surrogate (say, CESU-8 bytes in a "UTF-8" feed) becomes "?" instead
    # of an exception from the encoder.
    text = _safe_char_refs(_without_internal_subset(decode_feed_bytes(body, content_type), url))
    utf8 = text.encode("utf-8", "replace")
    _raise_if_too_many(utf8.count(b"<item") + utf8.count(b"<entry"), url)
    try:
        parsed = feedparser.parse(
            utf8,
            # No content-location: feedparser would resolve GUIDs against it, changing keys.
            response_headers={"content-type": _UTF8_XML},
            sanitize_html=False,  # content is treated as untrusted text downstream; 35% faster
            resolve_relative_uris=False,
        )
    except (UnicodeError, ValueError, TypeError) as exc:
        # feedparser's loose parser can still trip on input no fuzzing has shown us yet.
        raise ParseError(f"{url}: unreadable feed ({type(exc).__name__}: {exc})") from None
    _raise_if_unreadable(parsed, url)
    read = _feedparser_items(parsed.entries, url)
    unique = _unique(read)
    feed = _parsed_feed(parsed, url, _order(unique))
    return replace(feed, merged=len(read) - len(unique), skipped=len(parsed.entries) - len(read))


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _safe_char_refs(text: str) -> str:
    """Character references to surrogates or beyond U+10FFFF become U+FFFD: feedparser's
    loose parser would turn them into characters no encoder accepts."""

    def fix(m: re.Match[str]) -> str:
        code = int(m[1], 16) if m[1] else int(m[2])
        return "&#xFFFD;" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else m[0]

    return _CHAR_REF.sub(fix, text)


def _without_internal_subset(text: str, url: str) -> str:
    """Refuse entity attacks, then drop a DOCTYPE's internal subset.

    An internal subset that declares an external entity (XXE) or an entity built from other
    entities (billion laughs) is an attack, not a feed: ParseError says which. Any other
    internal subset is dropped, since feeds never need their own declarations; references
    to what it declared stay as literal text. An external DTD (RSS 0.91 names one) is never
    fetched: feedparser's SAX parser leaves external entities off.
    """
    head = text[:_DOCTYPE_SEARCH]
    if "<!DOCTYPE" not in head.upper():
        return text
    subset = _INTERNAL_SUBSET.search(head)
    if subset is None:
        return text
    for entity in _ENTITY_DECL.finditer(subset[0]):
        if entity["external"]:
            raise ParseError(
                f"refused the feed at {url}: it declares an external XML entity (an XXE attack)"
            )
        if "&" in entity["value"] or "%" in entity["value"]:
            raise ParseError(
                f"refused the feed at {url}: it declares nested XML entities "
                "(an entity expansion attack)"
            )
    return head[: subset.start()] + head[subset.end() :] + text[_DOCTYPE_SEARCH:]


def _raise_if_too_many(count: int, url: str) -> None:
    if count > MAX_ITEMS:
        raise ParseError(
            f"the feed at {url} has {count:,} items, more than the limit {MAX_ITEMS:,}"
        )


def _raise_if_unreadable(parsed: Any, url: str) -> None:
    if parsed.entries:
        return
    problem = _short(str(parsed.get("bozo_exception", ""))) if parsed.bozo else ""
    # A feed with no items yet whose channel was read despite an undefined entity (HTML's
    # &nbsp; in a title makes the XML not well-formed; feedparser reads on) is an empty feed.
    # A truncated document with no items stays an error.
    channel = parsed.feed.get("title") or parsed.feed.get("link")
    if parsed.get("version") and channel and problem.endswith("undefined entity"):
        return
    if not parsed.get("version"):
        detail = f" ({problem})" if problem else ""
        raise ParseError(f"the document at {url} is not an RSS, Atom or JSON feed{detail}")
    if problem:
        raise ParseError(f"the feed at {url} is broken and no item could be read: {problem}")


def _short(text: str, limit: int = 160) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parsed_feed(parsed: Any, url: str, items: tuple[FeedItem, ...]) -> ParsedFeed:
    feed = parsed.feed
    links = {link.get("rel"): link.get("href") for link in feed.get("links", [])}
    return ParsedFeed(
        title=_clean_text(feed.get("title")) or None,
        link=_absolute(feed.get("link"), url),
        language=(feed.get("language") or "").strip() or None,
        ttl_seconds=_ttl_seconds(feed.get("ttl")),
        hub_url=_absolute(links.get("hub"), url),
        self_url=_absolute(links.get("self"), url),
        items=items,
        format=parsed.get("version") or "",
    )


def _ttl_seconds(value: Any) -> int | None:
    # RSS 2.0 <ttl> is in minutes.
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return minutes * 60 if minutes > 0 else None


# -- encodings


def decode_feed_bytes(body: bytes, content_type: str | None = None) -> str:
    """Decode a feed document to text, with its XML declaration rewritten to say UTF-8.

    Order: a BOM wins; else the declared charset (HTTP header, then XML declaration) unless the
    bytes are valid UTF-8 while the declaration names a Western single-byte encoding (UTF-8
    mislabelled as Latin-1); undeclared bytes are UTF-8 if valid, else Windows-1252, and so are
    bytes declared UTF-8 that hold not one valid multi-byte UTF-8 sequence (a false label).
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16")):
        if body.startswith(bom):
            return _with_utf8_decl(body.decode(name, errors="replace").lstrip("\ufeff"))
    if body.startswith(codecs.BOM_UTF16_BE):
        return _with_utf8_decl(body.decode("utf-16", errors="replace").lstrip("\ufeff"))
    body = body.lstrip()
    declared = _codec(_http_charset(content_type)) or _codec(_xml_charset(body))
    if declared in (None, "utf-8") or declared in _WESTERN:
        try:
            return _with_utf8_decl(body.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    if declared == "utf-8" and not _UTF8_MULTIBYTE.search(body):
        declared = None  # not one valid UTF-8 sequence: Windows-1252 under a false label
    codec = _SUPERSETS.get(declared or "", declared) or "cp1252"
    return _with_utf8_decl(body.decode(codec, errors="replace"))


def _http_charset(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return None


def _xml_charset(body: bytes) -> str | None:
    decl = _XML_DECL.match(body)
    found = _DECL_ENCODING.search(decl.group(0)) if decl else None
    return found.group(1).decode("ascii") if found else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _with_utf8_decl(text: str) -> str:
    text = text.lstrip()
    if text.startswith("<?xml"):
        end = text.find("?>")
        if end != -1:
            return '<?xml version="1.0" encoding="utf-8"?>' + text[end + 2 :]
    return text


# -- items from feedparser


def _feedparser_items(entries: Iterable[Any], base_url: str) -> list[FeedItem]:
    items = []
    for entry in entries:
        item = _feedparser_item(entry, base_url)
        if item is not None:
            items.append(item)
    return items


def _feedparser_item(entry: Mapping[str, Any], base_url: str) -> FeedItem | None:
    title = _clean_text(entry.get("title"))
    summary = (entry.get("summary") or "").strip()
    contents = entry.get("content") or []
    content = max((c.get("value", "") for c in contents), key=len, default="").strip()
    if summary == content:
        summary = _short(_clean_text(content), 500) if content else ""
    link = _absolute(entry.get("feedburner_origlink") or entry.get("link"), base_url)
    # A bare podcast episode has only its enclosure: the media file is its link.
    link = link or _absolute(_enclosure(entry), base_url)
    guid = (entry.get("id") or "").strip() or None
    published = _struct_to_datetime(entry.get("published_parsed"))
    author = _clean_text(entry.get("author")) or None
    if not (title or summary or content or link or guid or published or author):
        return None  # an empty shell, e.g. an item illegally nested inside another
    return make_item(
        guid=guid,
        link=link,
        title=title,
        summary=summary,
        content=content,
        published=published,
        updated=_struct_to_datetime(entry.get("updated_parsed")),
        author=author,
    )


def _enclosure(entry: Mapping[str, Any]) -> str | None:
    for enclosure in entry.get("enclosures") or []:
        if href := (enclosure.get("href") or "").strip():
            return str(href)
    return None


def make_item(
    *,
    guid: str | None,
    link: str | None,
    title: str,
    summary: str,
    content: str,
    published: datetime | None,
    updated: datetime | None,
    author: str | None,
) -> FeedItem:
    """Build a FeedItem, computing its key and content hash."""
    digest = _sha256(title, summary, content)
    # An item with neither title nor text (only a date and an author) is told apart by those.
    extra = "" if title or content else f"{published.isoformat() if published else ''} {author}"
    return FeedItem(
        key=item_key(guid, link, title, content, extra),
        guid=guid,
        link=link,
        title=title,
        summary=summary,
        content=content,
        published=published,
        updated=updated or None,
        author=author,
        content_hash=digest,
    )


def item_key(guid: str | None, link: str | None, title: str, content: str, extra: str = "") -> str:
    """An item's identity: GUID, else canonical link, else a hash of title and content (and
    `extra`, when given: what tells apart items with neither)."""
    if guid:
        return guid if len(guid) <= MAX_KEY_CHARS else "sha256:" + _sha256(guid)
    if link:
        canonical = canonical_link(link)
        return canonical if len(canonical) <= MAX_KEY_CHARS else "sha256:" + _sha256(canonical)
    if extra:
        return "sha256:" + _sha256(title, content, extra)
    return "sha256:" + _sha256(title, content)


def canonical_link(link: str) -> str:
    """The link without its fragment, with scheme and host in lower case."""
    parts = urlsplit(link.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _unique(items: list[FeedItem]) -> list[FeedItem]:
    """One item per key. A GUID reused by items with different links is not an identity:
    those items are keyed by their link instead; reused by link-less items with different
    contents, by GUID and content. Exact repeats keep their first occurrence."""
    links_per_guid: dict[str, set[str | None]] = {}
    hashes_per_guid: dict[str, set[str]] = {}
    for item in items:
        if item.guid:
            links_per_guid.setdefault(item.guid, set()).add(item.link)
            hashes_per_guid.setdefault(item.guid, set()).add(item.content_hash)
    seen: set[str] = set()
    unique: list[FeedItem] = []
    for item in items:
        if item.guid and len(links_per_guid[item.guid]) > 1 and item.link:
            item = replace(item, key=item_key(None, item.link, item.title, item.content))
        elif item.guid and not item.link and len(hashes_per_guid[item.guid]) > 1:
            item = replace(item, key="sha256:" + _sha256(item.guid, item.title, item.content))
        if item.key not in seen:
            seen.add(item.key)
            unique.append(item)
    return unique


def _order(items: list[FeedItem]) -> tuple[FeedItem, ...]:
    undated = [item for item in reversed(items) if item.published is None]
    dated = sorted((item for item in items if item.published), key=_published)
    return (*dated, *undated)


def _published(item: FeedItem) -> datetime:
    assert item.published is not None
    return item.published


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _absolute(link: Any, base_url: str) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        absolute = urljoin(base_url, link.strip())
    except ValueError:
        return None
    return absolute if is_web_url(absolute) else None  # no javascript:, data:, vbscript:


def _clean_text(value: Any) -> str:
    """Plain one-line text: tags removed, entities decoded, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", html_text(value)).strip()


def has_full_content(item: FeedItem) -> bool:
    """True when the item carries the article itself rather than a teaser."""
    longest = max(len(_clean_text(item.content)), len(_clean_text(item.summary)))
    return longest >= FULL_CONTENT_MIN_CHARS


# -- JSON Feed


def _looks_like_json(body: bytes, content_type: str | None) -> bool:
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in ("application/feed+json", "application/json"):
        return True
    return body.lstrip()[:1] == b"{"


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """Parse JSON Feed 1.0/1.1; items with unusable fields are skipped, not fatal."""
    try:
        doc = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ParseError(f"the JSON feed at {url} is not valid JSON: {_short(str(exc))}") from None
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        raise ParseError(f"the document at {url} is JSON but not a JSON Feed")
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        raise ParseError(f"the JSON feed at {url} has no list of items")
    _raise_if_too_many(len(raw_items), url)
    items = [item for raw in raw_items if (item := _json_item(raw, url)) is not None]
    if raw_items and not items:
        raise ParseError(f"none of the {len(raw_items)} items of the JSON feed at {url} is usable")
    hub = next((h.get("url") for h in _list(doc.get("hubs")) if isinstance(h, dict)), None)
    return ParsedFeed(
        title=_str(doc.get("title")) or None,
        link=_absolute(_str(doc.get("home_page_url")), url),
        language=_str(doc.get("language")) or None,
        ttl_seconds=None,
        hub_url=_absolute(_str(hub), url),
        self_url=_absolute(_str(doc.get("feed_url")), url),
        items=_order(_unique(items)),
        format="json" + str(doc.get("version", "")).rsplit("/", 1)[-1].replace(".", ""),
    )


def _str(value: Any) -> str:
    """The value if it is a string (JSON Feed fields of the wrong type count as absent)."""
    return value.strip() if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _json_item(raw: Any, base_url: str) -> FeedItem | None:
    if not isinstance(raw, dict):
        return None
    guid = raw.get("id")
    guid = str(guid).strip() if isinstance(guid, str | int) and not isinstance(guid, bool) else ""
    link = _absolute(_str(raw.get("url")) or _str(raw.get("external_url")), base_url)
    title = _clean_text(_str(raw.get("title")))
    content = _str(raw.get("content_html")) or _str(raw.get("content_text"))
    summary = _str(raw.get("summary"))
    if not (guid or link) or not (title or content or summary):
        return None
    return make_item(
        guid=guid or None,
        link=link,
        title=title,
        summary=summary,
        content=content,
        published=_iso_datetime(raw.get("date_published")),
        updated=_iso_datetime(raw.get("date_modified")),
        author=_json_author(raw),
    )


def _iso_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def _json_author(raw: dict[str, Any]) -> str | None:
    authors = _list(raw.get("authors")) or [raw.get("author")]
    names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n) or None
