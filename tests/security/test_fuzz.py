"""Property-based fuzzing: feed parsing, URL canonicalisation and claim extraction never crash.

Bounded example counts keep the module fast; spaCy is loaded once for the module.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import load_actors
from pipeline.dedup.normalize import canonical_url, url_key
from pipeline.errors import ParseError
from pipeline.extract import Extractor
from pipeline.feeds.parse import parse_feed
from pipeline.models import Extraction

ROOT = Path(__file__).resolve().parents[2]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- feed parsing

TAGS = [
    "rss",
    "channel",
    "item",
    "entry",
    "feed",
    "title",
    "link",
    "guid",
    "description",
    "content:encoded",
    "pubDate",
    "updated",
    "id",
    "summary",
    "author",
    "rdf:RDF",
]
PIECES = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            "<![CDATA[",
            "]]>",
            "&amp;",
            "&#0;",
            "&#xD800;",
            "&bogus;",
            '<link href="javascript:x"/>',
            '<!DOCTYPE rss [<!ENTITY a "&b;">]>',
            "<!-- c -->",
            "\x00",
            "\ufeff",
        ]
    ),
    st.text(max_size=30),
)
XMLISH = st.lists(PIECES, max_size=40).map("".join)


def check_parsed(body: bytes, content_type: str | None = None) -> None:
    try:
        feed = parse_feed(body, url="https://fuzz.test/feed", content_type=content_type)
    except ParseError as exc:
        assert str(exc)
        return
    keys = [item.key for item in feed.items]
    assert len(keys) == len(set(keys)) and all(isinstance(k, str) and k for k in keys)
    for item in feed.items:
        assert isinstance(item.title, str) and isinstance(item.content, str)
        assert item.link is None or isinstance(item.link, str)


@FAST
@given(st.binary(max_size=4000))
def test_parse_arbitrary_bytes(body: bytes) -> None:
    check_parsed(body)


@FAST
@given(XMLISH, st.sampled_from([None, "application/rss+xml; charset=latin-1", "text/html"]))
def test_parse_xml_shaped_text(text: str, content_type: str | None) -> None:
    check_parsed(text.encode("utf-8", "surrogatepass"), content_type)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
JSON_ITEM = st.fixed_dictionaries(
    {},
    optional={
        k: JSON_VALUES
        for k in (
            "id",
            "url",
            "title",
            "content_html",
            "content_text",
            "summary",
            "date_published",
            "authors",
            "author",
        )
    },
)


@FAST
@given(st.lists(st.one_of(JSON_ITEM, JSON_VALUES), max_size=6), JSON_VALUES)
def test_parse_json_feeds_of_any_shape(items: list, title: object) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}
    check_parsed(json.dumps(doc).encode(), "application/feed+json")


# -- URL canonicalisation

URLISH = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda scheme, host, path, query, frag: f"{scheme}://{host}{path}?{query}#{frag}",
        st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
        st.one_of(
            st.sampled_from(
                [
                    "www.Example.com",
                    "m.bbc.co.uk",
                    "amp.cnn.com:443",
                    "[::1]:80",
                    "web.archive.org",
                    "xn--bcher-kva.de",
                ]
            ),
            st.text(max_size=15),
        ),
        st.text(max_size=30).map(lambda p: "/" + p),
        st.text(max_size=30),
        st.text(max_size=10),
    ),
    st.sampled_from(
        [
            "https://web.archive.org/web/2020/https://www.bbc.com/news/x?utm_source=t",
            "https://www-bbc-com.cdn.ampproject.org/c/s/www.bbc.com/news/amp/x",
            "http://[::1",
            "https://a.test/%zz",
            "https://u:p@a.test:99999/x",
        ]
    ),
)


WELL_FORMED = st.builds(
    lambda scheme, host, port, path, query, frag: f"{scheme}://{host}{port}{path}?{query}#{frag}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["www.Example.com", "m.bbc.co.uk", "amp.cnn.com", "xn--bcher-kva.de", "[::1]"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.text(max_size=30).map(lambda p: "/" + p.replace("?", "").replace("#", "")),
    st.text(max_size=30).map(lambda q: q.replace("#", "")),
    st.text(max_size=10),
)


@settings(max_examples=300, deadline=None)
@given(WELL_FORMED)
def test_canonical_url_of_well_formed_urls(url: str) -> None:
    check_canonical(url)


@settings(max_examples=400, deadline=None, report_multiple_bugs=False)
@given(URLISH)
def test_canonical_url_is_total_idempotent_and_a_url(url: str) -> None:
    check_canonical(url)


def check_canonical(url: str) -> None:
    canon = canonical_url(url)
    assert canonical_url(canon) == canon
    assert url_key(canon) == url_key(url)
    assert isinstance(url_key(url), str)
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a port out of range, like the stdlib parser would
    except ValueError:
        assert canon == url.strip()  # not reshaped, but never an exception
        return
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        again = urlsplit(canon)
        assert again.scheme in ("http", "https") and again.netloc, (url, canon)


# -- claim extraction


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_actors(ROOT / "config" / "entities.yaml"))


WORDS = [
    "North Korea",
    "Wagner Group",
    "Russia",
    "Ukraine",
    "said",
    "denied",
    "supplies",
    "sent",
    "rockets",
    "to",
    "the",
    "not",
    "\u201c",
    "\u201d",
    '"',
    "'",
    "\u00ab",
    "\u00bb",
    ".",
    ",",
    "\n\n",
    "—",
    "Kim Jong Un",
    "told reporters",
    "Пригожин",
    "金正恩",
    "🚀",
    "accused",
    "of",
    "attacking",
    "according to",
    "officials",
]
TEXTS = st.lists(
    st.one_of(
        st.sampled_from(WORDS), st.text(max_size=12), st.integers(1, 5000).map(lambda n: "x" * n)
    ),
    max_size=60,
).map(" ".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(TEXTS)
def test_extraction_offsets_match_the_text_and_serialise(extractor: Extractor, text: str) -> None:
    result = extractor.extract(text)
    for entity in result.entities:
        for mention in entity.mentions:
            assert 0 <= mention.start <= mention.end <= len(text)
            assert text[mention.start : mention.end] == mention.text
    for claim in result.claims:
        assert 0 <= claim.start <= claim.end <= len(text)
        assert claim.sentence.strip() in text[claim.start : claim.end] or (
            text[claim.start : claim.end].strip() in claim.sentence
        )
    encoded = json.dumps(result.to_json())
    assert Extraction.from_json(json.loads(encoded)) == result
