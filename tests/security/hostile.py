"""A real local aiohttp server of hostile feeds, plus a second server that records any request.

Each route is one attack from issue 8. `HOSTILE` maps a route to what the poller must make of
it: "failing" (the feed is marked failing, its last error containing the given words) or
"read" (items come out despite the damage).
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from tests.conftest import SHARED
from tests.feeds import fetchserver

FEEDS_DIR = SHARED / "feeds"
HEALTHY = ("bbc__uk-politics-2018.xml", "heise__developer-news.atom", "cnn__world-2020.xml")
SECRET = "s3cr3t-xxe-canary-5d1f"
"""Written to a local file that the XXE feed references: it must never appear in an item."""


@dataclass(frozen=True)
class Expect:
    """What the poller must make of a hostile route."""

    outcome: str
    """"failing" or "read"."""
    words: tuple[str, ...] = ()
    """Words the feed's last error must contain (failing), or an item title must (read)."""


HOSTILE: dict[str, Expect] = {
    "/billion-laughs": Expect("failing", ("refused", "entity expansion attack")),
    "/xxe": Expect("failing", ("refused", "external XML entity")),
    "/xxe-external-dtd": Expect("read", ("Harmless",)),
    "/gzip-bomb": Expect("failing", ("decompressed", "larger than the limit")),
    "/huge": Expect("failing", ("larger than the limit",)),
    "/endless": Expect("failing", ("larger than the limit",)),
    "/trickle": Expect("failing", ("timed out",)),
    "/loop/a": Expect("failing", ("redirect loop",)),
    "/to-private": Expect("failing", ("refused", "10.0.0.1", "private")),
    "/to-metadata": Expect("failing", ("refused", "169.254.169.254", "metadata")),
    "/binary": Expect("failing", ("not an RSS, Atom or JSON feed",)),
    "/not-xml": Expect("failing", ("not an RSS, Atom or JSON feed",)),
    "/bad-utf8": Expect("read", ("Broken bytes",)),
    "/wrong-encoding": Expect("read", ("Zürich",)),
    "/big-item": Expect("read", ("Big item",)),
    "/many-items": Expect("failing", ("100,000 items", "more than the limit")),
    "/json-wrong-types": Expect("read", ("Good item",)),
    "/json-all-wrong": Expect("failing", ("none of the",)),
}


@dataclass
class Recorder:
    """The second server: an XXE target that must never be contacted."""

    paths: list[str] = field(default_factory=list)


def rss(items: str, *, head: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return (
        f'{head}\n<rss version="2.0"><channel><title>Hostile</title>'
        f"<link>https://hostile.test/</link><description>d</description>{items}</channel></rss>"
    )


def item(title: str, body: str = "text", key: str = "1") -> str:
    return (
        f"<item><title>{title}</title><link>https://hostile.test/{key}</link>"
        f"<guid>https://hostile.test/{key}</guid><description>{body}</description></item>"
    )


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    head = '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(entities) + "\n]>"
    return rss(item("&lol9;", "&lol9;"), head=head).encode()


def xxe(secret_file: Path, recorder_url: str) -> bytes:
    head = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        f'<!ENTITY secret SYSTEM "file://{secret_file}">\n'
        f'<!ENTITY remote SYSTEM "{recorder_url}/entity">\n'
        f'<!ENTITY % param SYSTEM "{recorder_url}/param.dtd">\n%param;\n]>'
    )
    items = item("Harmless &secret;", "&remote; &secret;", "1") + item("Harmless two")
    return rss(items, head=head).encode()


def xxe_external_dtd(recorder_url: str) -> bytes:
    head = f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{recorder_url}/external.dtd">'
    return rss(item("Harmless &ext;", "&ext;"), head=head).encode()


@functools.cache
def gzip_bomb() -> bytes:
    """64 MB of zeros in about 64 KB."""
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


def big_item(size: int) -> bytes:
    return rss(item("Big item", "word " * (size // 5))).encode()


@functools.cache
def many_items(count: int = 100_000) -> bytes:
    return rss("".join(f"<item><title>n{i}</title></item>" for i in range(count))).encode()


def bad_utf8() -> bytes:
    return rss(item("Broken bytes", "MARK")).encode().replace(b"MARK", b"ok \xff\xfe\xc3( end")


def wrong_encoding() -> bytes:
    """Windows-1252 bytes under a UTF-8 declaration: the é and ü are invalid UTF-8."""
    return rss(item("Zürich café", "Genève")).encode("cp1252")


def json_wrong_types() -> bytes:
    return fetchserver.json_wrong_types(
        "https://hostile.test", {"id": True, "url": 5, "title": None}
    )


def json_all_wrong() -> bytes:
    doc = {"version": "https://jsonfeed.org/version/1.1", "items": [1, "x", {"id": {}}, None]}
    return json.dumps(doc).encode()


async def _stream(request: web.Request, chunk: bytes, count: int | None, pause: float = 0.0):
    response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
    await response.prepare(request)
    sent = 0
    while count is None or sent < count:
        await response.write(chunk)
        sent += 1
        if pause:
            await asyncio.sleep(pause)  # the attack itself: a server that trickles
    return response


def build(secret_file: Path, recorder_url: str, max_bytes: int) -> web.Application:
    """The hostile feed server; `max_bytes` is the poller's body limit (sizes are relative)."""
    xml = "application/rss+xml"

    def body(data: bytes, ctype: str = xml, **headers: str):
        async def handler(request: web.Request) -> web.Response:
            return web.Response(body=data, headers={"Content-Type": ctype, **headers})

        return handler

    def redirect(location: str):
        async def handler(request: web.Request) -> web.Response:
            return web.Response(status=302, headers={"Location": location})

        return handler

    async def healthy(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in HEALTHY:
            raise web.HTTPNotFound()
        return web.Response(body=(FEEDS_DIR / name).read_bytes(), content_type="application/xml")

    rng = random.Random(8)
    routes = {
        "/healthy/{name}": healthy,
        "/billion-laughs": body(billion_laughs()),
        "/xxe": body(xxe(secret_file, recorder_url)),
        "/xxe-external-dtd": body(xxe_external_dtd(recorder_url)),
        "/gzip-bomb": body(gzip_bomb(), **{"Content-Encoding": "gzip"}),
        "/huge": lambda r: _stream(r, b"<item>" + b"x" * 65530, 4 * max_bytes // 65536),
        "/endless": lambda r: _stream(r, b"<!-- " + b"y" * 65531, None),
        "/trickle": lambda r: _stream(r, b"<", None, pause=1.0),
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/to-private": redirect("http://10.0.0.1/feed.xml"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/binary": body(rng.randbytes(200_000), "application/octet-stream"),
        "/not-xml": body(b"Hello, this is not a feed at all.\n" * 50, "text/plain"),
        "/bad-utf8": body(bad_utf8()),
        "/wrong-encoding": body(wrong_encoding(), "application/rss+xml; charset=utf-8"),
        "/big-item": body(big_item(max_bytes // 2)),
        "/many-items": body(many_items()),
        "/json-wrong-types": body(json_wrong_types(), "application/feed+json"),
        "/json-all-wrong": body(json_all_wrong(), "application/feed+json"),
        "/page/nested": body(b"<html><body>" + b"<div>" * 200_000 + b"x", "text/html"),
        "/page/many-tags": body(b"<html><body>" + b"<p>a</p>" * 400_000, "text/html"),
    }
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    return app


def build_recorder(recorder: Recorder) -> web.Application:
    async def anything(request: web.Request) -> web.Response:
        recorder.paths.append(request.path)
        return web.Response(text=f'<!ENTITY ext "{SECRET}">{SECRET}', content_type="text/plain")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", anything)
    return app
