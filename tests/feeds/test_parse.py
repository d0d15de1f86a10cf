"""Feed parsing over the real publishers' feeds, served by the local server, and hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fetchserver import FEEDS_DIR, ScriptedServer, feed_names
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import ParseError
from pipeline.feeds.fetch import Fetcher, FetchPolicy
from pipeline.feeds.parse import (
    decode_feed_bytes,
    has_full_content,
    parse_feed,
)

POLICY = FetchPolicy(allow_loopback=True, host_delay=0.0, concurrency=8, host_concurrency=8)

# (file, items expected, a title that must come out with the right characters)
FEEDS = [
    ("20minutos__lo-ultimo-very-long.xml", 104, "Cuántas personas se llaman como yo en España"),
    ("bbc__uk-politics-2018.xml", 33, "Party conferences 2017"),
    ("cnn__hp-hero-2018.xml", 69, "How Gilda Radner changed comedy"),
    ("cnn__world-2020.xml", 29, "Britain's secret attempt to build an ice warship"),
    ("dailymail__declared-latin1-but-utf8.xml", 1, "Could the infamous Black Dahlia case"),
    (
        "diario-as__ultimas-noticias-nodecl.xml",
        25,
        "primer líder del Tour de Utah",
    ),
    (
        "elconfidencial__espana-atom.atom",
        15,
        "El año que ha destruido la salud de nuestros mayores",
    ),
    (
        "golem__rss1-iso8859-1.rdf",
        1,
        "Digitalministerium: Neue Glasfaserförderung mit Schnellkasse",
    ),
    ("gov-scot__news-press-releases-2017.xml", 2, "Piloting delivery of welfare rights advice"),
    ("guardian__us-home-2018.rss", 55, "'Extraordinary success': Trump lauds first year"),
    ("heise__developer-news.atom", 15, "C# 7 – Stand der Dinge und Ausblick"),
    ("huffpost__world-news.xml", 31, "Police Called To Boris Johnson’s Flat"),
    ("humanite__actualite-xmlbase-entities.xml", 10, "Emploi des handicapés, qu'en est-il 13 ans"),
    ("ilgiornale__cronache-a10-prefix.xml", 1, "Arrestato in Pakistan Shabbar Abbas. In Italia è"),
    ("ilmessaggero__mondo-nodecl-localized-date.xml", 1, "Missili Polonia, cosa è successo?"),
    ("inovacao-tecnologica__rss2-iso8859-1.xml", 1, "Revolução nas telas com pontos quânticos"),
    (
        "jornal-de-noticias__ultimas-iso8859-1-crlf.rss",
        40,
        "Lisboa quer passes sociais com acesso a táxis",
    ),
    ("libertaddigital__feedburner-long.xml", 135, "¿Qué jamonero comprar? Comparativa"),
    (
        "liga-net__novosti-ukraine-ru.xml",
        12,
        "Вселенский патриарх Варфоломей совершил богослужение",
    ),
    ("maitre-eolas__blog-fr-full-content.atom", 20, "Maîtres mots"),
    ("nbc-new-york__rss2-cdata-dc.xml", 1, "NYC cops search for stabbing suspect"),
    ("nytimes__world-news-2020.xml", 61, "Norwegian Spy Jailed by Russia Is Free. He’s Angry"),
    (
        "oren-ru__regional-news-windows-1251.xml",
        10,
        "Имя героя увековечат в названии одной из улиц",
    ),
    ("pcmag__dvorak-illegally-nested-items.xml", 10, "Is iPhone X Apple's Vista?"),
    ("reuters__world-news-2018.xml", 10, "U.S. general says North Korea not demonstrated"),
    ("science-aaas__twis-rss1.rdf", 69, "Creating a weakness in prostate cancer"),
    ("talkingpointsmemo__all-news-politics.atom", 20, "RNC Chair Challenges Trump’s Claims"),
    ("tencent-qq__tech-gb2312.xml", 1, "拟298亿元重组盛大游戏后 世纪华通发20亿回购预案"),
    ("tjrs-judiciary-br__press-rss091-iso8859-1.xml", 1, "Comitê completa 150 dias de atuação"),
    ("uol__ultimas-noticias-latin1-no-xmldecl.rss", 15, 'Fama "A" é campeã da Primeira Divisão'),
    ("washingtonpost__wellness-custom-ns.xml", 29, "Medical Mysteries: ‘I opened my laptop"),
    ("wirecutter-nytimes__content-encoded.xml", 1, "How to Teach Someone a Board Game"),
]
BROKEN = {"reuters__most-read-truncated-malformed.xml": "broken and no item could be read"}


def test_every_shared_feed_is_in_the_table() -> None:
    assert sorted([name for name, _, _ in FEEDS] + list(BROKEN)) == feed_names()


async def _fetch_and_parse(server: ScriptedServer, name: str):  # type: ignore[no-untyped-def]
    async with Fetcher(POLICY) as fetcher:
        result = await fetcher.fetch(server.url(f"/feeds/{name}"))
    assert result.body is not None
    return parse_feed(result.body, url=result.url, content_type=result.content_type)


@pytest.mark.parametrize(("name", "count", "title"), FEEDS)
async def test_shared_feed_yields_items_with_correct_text(
    server: ScriptedServer, name: str, count: int, title: str
) -> None:
    feed = await _fetch_and_parse(server, name)
    assert len(feed.items) == count
    assert any(title in item.title for item in feed.items), [i.title for i in feed.items]
    assert len({item.key for item in feed.items}) == count
    for item in feed.items:
        assert "\ufffd" not in item.title and "Ã" not in item.title
        assert item.link is None or item.link.startswith(("http://", "https://"))
        assert item.published is None or item.published.tzinfo is UTC


@pytest.mark.parametrize(("name", "reason"), BROKEN.items())
async def test_unrecoverable_feed_raises_clear_parse_error(
    server: ScriptedServer, name: str, reason: str
) -> None:
    with pytest.raises(ParseError, match=reason):
        await _fetch_and_parse(server, name)


def _feed(name: str):  # type: ignore[no-untyped-def]
    return parse_feed((FEEDS_DIR / name).read_bytes(), url=f"https://example.org/{name}")


def test_utf8_declared_as_latin1_is_read_as_utf8() -> None:
    raw = (FEEDS_DIR / "dailymail__declared-latin1-but-utf8.xml").read_bytes()
    text = decode_feed_bytes(raw, "application/xml")
    assert "© Bettmann/CORBIS" in text and "Â©" not in text


def test_http_charset_overrides_a_missing_declaration() -> None:
    body = "<rss><channel><item><title>Привет</title><guid>1</guid></item></channel></rss>"
    feed = parse_feed(
        body.encode("cp1251"), url="https://x.test/", content_type="text/xml; charset=windows-1251"
    )
    assert feed.items[0].title == "Привет"


def test_xml_base_resolves_links() -> None:
    feed = _feed("humanite__actualite-xmlbase-entities.xml")
    assert all(item.link.startswith("https://www.humanite.fr/") for item in feed.items if item.link)


def test_items_are_oldest_first_and_undated_last() -> None:
    feed = _feed("cnn__world-2020.xml")
    dated = [item.published for item in feed.items if item.published]
    assert dated == sorted(dated) and len(dated) == 26
    assert all(item.published is None for item in feed.items[26:])


def test_feedburner_original_link_is_preferred() -> None:
    feed = _feed("libertaddigital__feedburner-long.xml")
    assert all("feedproxy.google.com" not in (item.link or "") for item in feed.items)


def _rss(*items: str) -> bytes:
    return f"<rss version='2.0'><channel><title>T</title>{''.join(items)}</channel></rss>".encode()


def test_guid_repeated_with_different_links_falls_back_to_links() -> None:
    body = _rss(
        "<item><guid>same</guid><link>https://x.test/a</link><title>A</title></item>",
        "<item><guid>same</guid><link>https://x.test/b</link><title>B</title></item>",
        "<item><guid>other</guid><link>https://x.test/c</link><title>C</title></item>",
        "<item><guid>other</guid><link>https://x.test/c</link><title>C</title></item>",
    )
    keys = sorted(item.key for item in parse_feed(body, url="https://x.test/").items)
    assert keys == ["https://x.test/a", "https://x.test/b", "other"]


@pytest.mark.parametrize(
    ("item", "key"),
    [
        ("<guid>g-1</guid><link>https://x.test/a</link>", "g-1"),
        ("<link>HTTPS://X.TEST/a#comments</link>", "https://x.test/a"),
        ("<description>only text</description>", "sha256:"),
    ],
)
def test_item_key_precedence(item: str, key: str) -> None:
    feed = parse_feed(_rss(f"<item><title>T</title>{item}</item>"), url="https://x.test/")
    assert feed.items[0].key.startswith(key)


def test_content_hash_changes_with_the_content_but_not_the_key() -> None:
    one = parse_feed(
        _rss("<item><guid>g</guid><title>T</title><description>v1</description></item>"),
        url="https://x.test/",
    )
    two = parse_feed(
        _rss("<item><guid>g</guid><title>T</title><description>v2</description></item>"),
        url="https://x.test/",
    )
    assert one.items[0].key == two.items[0].key
    assert one.items[0].content_hash != two.items[0].content_hash


def test_feed_metadata() -> None:
    feed = _feed("bbc__uk-politics-2018.xml")
    assert feed.title == "BBC News - UK Politics"
    assert feed.ttl_seconds == 15 * 60 and feed.language == "en-gb"


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("maitre-eolas__blog-fr-full-content.atom", True),
        ("elconfidencial__espana-atom.atom", True),
        ("bbc__uk-politics-2018.xml", False),
        ("reuters__world-news-2018.xml", False),
    ],
)
def test_has_full_content(name: str, full: bool) -> None:
    assert all(has_full_content(item) == full for item in _feed(name).items)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!doctype html><html><body><p>Hello</p></body></html>", "not an RSS, Atom or JSON feed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an RSS, Atom or JSON feed|broken"),
        (b"", "not an RSS, Atom or JSON feed|broken"),
        (b"{not json", "not valid JSON"),
        (b'{"version": "1", "items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "no list of items"),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [1, "x", {"id": []}]}',
            "none of the 3 items",
        ),
    ],
)
def test_unreadable_documents_raise_parse_error(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_feed(body, url="https://x.test/feed")


async def test_json_feed_with_wrong_types_keeps_the_good_items(server: ScriptedServer) -> None:
    async with Fetcher(POLICY) as fetcher:
        result = await fetcher.fetch(server.url("/json-bad"))
    assert result.body is not None
    feed = parse_feed(result.body, url=result.url, content_type=result.content_type)
    assert feed.title is None  # a list where a string belongs counts as absent
    assert [item.key for item in feed.items] == ["17"]
    assert feed.items[0].title == "Good item"


def test_json_feed() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "home_page_url": "https://j.test/",
        "hubs": [{"type": "WebSub", "url": "https://hub.test/"}],
        "items": [
            {
                "id": "2",
                "url": "/b",
                "title": "B",
                "content_html": "<p>b</p>",
                "date_published": "2024-05-02T10:00:00+02:00",
                "authors": [{"name": "Ann"}],
            },
            {
                "id": "1",
                "url": "/a",
                "title": "A",
                "content_text": "a",
                "date_published": "2024-05-01T10:00:00Z",
            },
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), url="https://j.test/feed.json")
    assert [i.key for i in feed.items] == ["1", "2"]
    assert feed.items[1].link == "https://j.test/b" and feed.items[1].author == "Ann"
    assert feed.items[1].published == datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
    assert feed.hub_url == "https://hub.test/" and feed.format == "json11"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | st.text(max_size=500).map(lambda s: _rss(s)))
def test_arbitrary_bytes_never_raise_anything_but_parse_error(body: bytes) -> None:
    try:
        feed = parse_feed(body, url="https://x.test/feed")
    except ParseError:
        return
    assert all(isinstance(item.key, str) and item.key for item in feed.items)


def _lol(n: int) -> str:
    inner = f"&lol{n - 1};" if n > 1 else "&lol;"
    return f'<!ENTITY lol{n} "{inner * 10}">'


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(_lol(n) for n in range(1, 10)).encode()
    + b']><rss version="2.0"><channel><title>t</title>'
    b"<item><title>&lol9;</title><guid>1</guid></item></channel></rss>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<rss version="2.0"><channel><title>t</title>'
    b"<item><title>x&xxe;y</title><guid>1</guid></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("body", "reason"),
    [(BILLION_LAUGHS, "nested XML entities"), (XXE, "external XML entity")],
    ids=["billion-laughs", "xxe"],
)
def test_entity_attacks_are_refused_before_expansion(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_feed(body, url="https://x.test/feed")


def test_a_harmless_internal_subset_is_dropped_and_its_references_stay_literal() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY copy "(c)">]><rss version="2.0">'
        b"<channel><title>t</title><item><title>A &copy; B</title><guid>1</guid></item>"
        b"</channel></rss>"
    )
    assert parse_feed(body, url="https://x.test/feed").items[0].title.startswith("A")


def test_a_feed_of_100000_items_is_refused_before_parsing() -> None:
    items = "".join(f"<item><title>t{i}</title><guid>{i}</guid></item>" for i in range(100_000))
    with pytest.raises(ParseError, match="100,000 items, more than the limit"):
        parse_feed(_rss(items), url="https://x.test/feed")


def test_an_item_of_several_megabytes_is_read() -> None:
    big = "<p>" + "word " * 1_000_000 + "</p>"
    body = _rss(
        f"<item><guid>1</guid><title>Big</title><description><![CDATA[{big}]]></description></item>"
    )
    item = parse_feed(body, url="https://x.test/feed").items[0]
    assert len(item.summary) > 4_000_000 and has_full_content(item)


def test_feedparser_tries_only_xml_drivers_that_are_installed() -> None:
    # A driver that is not installed costs a sys.path search on every parse.
    import importlib.util

    import feedparser.api

    parse_feed(b"<rss version='2.0'><channel><title>t</title></channel></rss>", url="u")
    assert all(importlib.util.find_spec(n) for n in feedparser.api.PREFERRED_XML_PARSERS)
