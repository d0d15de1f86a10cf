"""A real local aiohttp server with scripted behaviours, serving the shared publishers' feeds."""

from __future__ import annotations

import asyncio
import functools
import gzip
import hashlib
import json
import time
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.conftest import SHARED

FEEDS_DIR = SHARED / "feeds"
LAST_MODIFIED = "Wed, 01 Jan 2020 00:00:00 GMT"
GZIP_BOMB_SIZE = 64 * 1024 * 1024


@dataclass
class Hit:
    """One request the server saw."""

    path: str
    at: float
    headers: dict[str, str]


@dataclass
class ScriptedServer:
    """The running server: its base URL and every request it received, in order."""

    base: str
    hits: list[Hit] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits_for(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]


SERVER = web.AppKey("server", ScriptedServer)


def feed_names() -> list[str]:
    return sorted(p.name for p in FEEDS_DIR.iterdir() if p.name != "SOURCES.tsv")


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def _conditional(request: web.Request, body: bytes, *, etag: bool, lm: bool) -> web.Response:
    headers = {"Content-Type": "application/xml"}
    if etag:
        headers["ETag"] = _etag(body)
        if request.headers.get("If-None-Match") == headers["ETag"]:
            return web.Response(status=304, headers=headers)
    if lm:
        headers["Last-Modified"] = LAST_MODIFIED
        if not etag and request.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return web.Response(status=304, headers=headers)
    return web.Response(body=body, headers=headers)


async def feed(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    path = FEEDS_DIR / name
    if "/" in name or not path.is_file():
        raise web.HTTPNotFound()
    return _conditional(request, path.read_bytes(), etag=True, lm=True)


async def etag_only(request: web.Request) -> web.Response:
    return _conditional(
        request, (FEEDS_DIR / "bbc__uk-politics-2018.xml").read_bytes(), etag=True, lm=False
    )


async def lm_only(request: web.Request) -> web.Response:
    return _conditional(
        request, (FEEDS_DIR / "bbc__uk-politics-2018.xml").read_bytes(), etag=False, lm=True
    )


def _redirect(status: int, location: str) -> web.Response:
    return web.Response(status=status, headers={"Location": location})


async def redirect(request: web.Request) -> web.Response:
    """/redirect/<status>/<status>/...: one hop per status, then the BBC feed."""
    status, _, rest = request.match_info["chain"].partition("/")
    target = f"/redirect/{rest}" if rest else "/feeds/bbc__uk-politics-2018.xml"
    return _redirect(int(status), target)


async def loop_a(request: web.Request) -> web.Response:
    return _redirect(302, "/loop/b")


async def loop_b(request: web.Request) -> web.Response:
    return _redirect(301, "/loop/a")


async def to_private(request: web.Request) -> web.Response:
    return _redirect(302, "http://10.0.0.1/feed.xml")


async def to_metadata(request: web.Request) -> web.Response:
    return _redirect(301, "http://169.254.169.254/latest/meta-data/")


async def to_file(request: web.Request) -> web.Response:
    return _redirect(302, "file:///etc/passwd")


async def rate_limited(request: web.Request) -> web.Response:
    return web.Response(status=429, headers={"Retry-After": "120"})


async def unavailable(request: web.Request) -> web.Response:
    return web.Response(status=503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})


async def status(request: web.Request) -> web.Response:
    return web.Response(status=int(request.match_info["code"]), text="no")


async def slow(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/xml"})
    await response.prepare(request)
    await response.write(b"<rss>")
    await asyncio.sleep(5)
    await response.write(b"</rss>")
    return response


async def big(request: web.Request) -> web.Response:
    return web.Response(body=b"x" * (2 * 1024 * 1024), content_type="application/xml")


async def endless(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/xml"})
    await response.prepare(request)
    chunk = b"<item>" + b"x" * 65536 + b"</item>"
    for _ in range(10_000):
        await response.write(chunk)
    return response


async def gzipped(request: web.Request) -> web.Response:
    body = gzip.compress((FEEDS_DIR / "heise__developer-news.atom").read_bytes())
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/atom+xml"}
    return web.Response(body=body, headers=headers)


async def deflated(request: web.Request) -> web.Response:
    body = zlib.compress((FEEDS_DIR / "heise__developer-news.atom").read_bytes())
    headers = {"Content-Encoding": "deflate", "Content-Type": "application/atom+xml"}
    return web.Response(body=body, headers=headers)


async def gzip_bomb(request: web.Request) -> web.Response:
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/xml"}
    return web.Response(body=_bomb(), headers=headers)


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * GZIP_BOMB_SIZE, compresslevel=9)


async def page(request: web.Request) -> web.Response:
    html = """<!doctype html><html><head><title>News</title>
    <link rel="stylesheet" href="/style.css">
    <link rel="alternate" type="application/rss+xml" title="RSS"
          href="feeds/bbc__uk-politics-2018.xml">
    <link rel="alternate" type="application/atom+xml" title="Atom"
          href="/feeds/heise__developer-news.atom">
    </head><body><p>Hello</p></body></html>"""
    return web.Response(text=html, content_type="text/html")


async def cached(request: web.Request) -> web.Response:
    body = (FEEDS_DIR / "bbc__uk-politics-2018.xml").read_bytes()
    headers = {"Cache-Control": "public, max-age=900", "Content-Type": "application/rss+xml"}
    return web.Response(body=body, headers=headers)


def json_wrong_types(site: str, *extra: object) -> bytes:
    """A JSON Feed with a wrong type wherever one fits; only its first item is good."""
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": ["not", "a", "string"],
        "items": [
            {"id": 17, "url": f"{site}/a", "title": "Good item", "content_text": "ok"},
            {"id": "b", "title": {"oops": 1}, "content_html": 42, "date_published": 12},
            "not an object",
            {"url": None, "id": [1]},
            *extra,
        ],
    }
    return json.dumps(doc).encode()


async def json_bad(request: web.Request) -> web.Response:
    body = json_wrong_types("https://example.org")
    return web.Response(body=body, content_type="application/feed+json")


async def flaky(request: web.Request) -> web.Response:
    counters = request.app[SERVER].counters
    counters["flaky"] = counters.get("flaky", 0) + 1
    if counters["flaky"] <= 2:
        return web.Response(status=500, text="boom")
    return web.Response(body=(FEEDS_DIR / "bbc__uk-politics-2018.xml").read_bytes())


def build_app(server: ScriptedServer) -> web.Application:
    @web.middleware
    async def record(request: web.Request, handler):  # type: ignore[no-untyped-def]
        server.hits.append(Hit(request.path, time.monotonic(), dict(request.headers)))
        return await handler(request)

    app = web.Application(middlewares=[record])
    app[SERVER] = server
    routes = {
        "/feeds/{name}": feed,
        "/etag-only": etag_only,
        "/lm-only": lm_only,
        "/redirect/{chain:.*}": redirect,
        "/loop/a": loop_a,
        "/loop/b": loop_b,
        "/to-private": to_private,
        "/to-metadata": to_metadata,
        "/to-file": to_file,
        "/rate-limited": rate_limited,
        "/unavailable": unavailable,
        "/status/{code}": status,
        "/slow": slow,
        "/big": big,
        "/endless": endless,
        "/gzip": gzipped,
        "/deflate": deflated,
        "/gzip-bomb": gzip_bomb,
        "/page.html": page,
        "/cached": cached,
        "/json-bad": json_bad,
        "/flaky": flaky,
    }
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    return app


@asynccontextmanager
async def serving(
    app_for: Callable[[ScriptedServer], web.Application],
) -> AsyncIterator[ScriptedServer]:
    """Run the app `app_for` builds on a loopback port; yield it with its base URL set."""
    scripted = ScriptedServer(base="")
    test_server = TestServer(app_for(scripted), host="127.0.0.1")
    await test_server.start_server()
    scripted.base = str(test_server.make_url("")).rstrip("/")
    try:
        yield scripted
    finally:
        await test_server.close()
