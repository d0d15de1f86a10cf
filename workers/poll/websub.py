"""WebSub (W3C, 2018) for the poller: subscribe where a feed names a hub, serve the callback.

- Subscribe: POST hub.mode=subscribe, hub.topic, hub.callback (<websub_callback_url>/<feed id>),
  hub.secret (kept per feed in `Feed.websub_secret`) and hub.lease_seconds to the hub. The
  subscription is live only once the hub verified our intent; it is renewed
  `websub_renew_before` seconds before its lease ends, from the poll that notices.
- Verification of intent (GET): answered with hub.challenge only for a topic we asked for.
- Content distribution (POST): the body counts only when X-Hub-Signature is the HMAC of the
  body with the feed's secret (sha1, sha256, sha384 or sha512, compared in constant time).
  A bad or missing signature is still answered 2xx (WebSub 7: so a forger learns nothing)
  and the content is ignored and logged. Good content goes through the poller's own
  new-item logic at once. Polling continues at the slowest rate as a safety net.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Self

import aiohttp
import redis
import structlog
from aiohttp import web

from pipeline.errors import NewsmonError
from pipeline.feeds.fetch import is_success
from pipeline.feeds.netguard import make_connector
from pipeline.feeds.parse import ParsedFeed, parse_feed
from pipeline.models import FeedInfo
from pipeline.settings import Settings
from pipeline.store import feeds as feed_store
from pipeline.store.db import transaction

if TYPE_CHECKING:
    from workers.poll.poller import Poller

log = structlog.get_logger("newsmon.websub")

PENDING_KEY = "newsmon:websub:pending:{}"
PENDING_SECONDS = 600
"""A subscription request waits this long for the hub's verification before it is re-sent."""
HUB_TIMEOUT = 30.0
DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384}
DIGESTS["sha512"] = hashlib.sha512


def signature_ok(header: str | None, secret: str | None, body: bytes) -> bool:
    """True when `header` ("sha256=<hex>") is the HMAC of `body` under `secret`."""
    if not header or not secret:
        return False
    method, _, given = header.strip().partition("=")
    digest = DIGESTS.get(method.strip().lower())
    if digest is None:
        return False
    expected = hmac.new(secret.encode(), body, digest).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


class WebSub:
    """Subscriptions and the callback server of one poller process."""

    def __init__(
        self,
        poller: Poller,
        *,
        callback_base: str,
        host: str,
        port: int,
        lease_seconds: int,
        renew_before: float,
        max_bytes: int,
    ) -> None:
        self.poller = poller
        self.callback_base = callback_base.rstrip("/")
        self.host, self.port = host, port
        self.lease_seconds = lease_seconds
        self.renew_before = renew_before
        self.max_bytes = max_bytes
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def for_poller(cls, poller: Poller, settings: Settings) -> WebSub | _Disabled:
        """The poller's WebSub, or a stand-in that does nothing when no callback URL is set."""
        if not settings.websub_callback_url:
            return _Disabled()
        return cls(
            poller,
            callback_base=settings.websub_callback_url,
            host=settings.websub_host,
            port=settings.websub_port,
            lease_seconds=settings.websub_lease_seconds,
            renew_before=settings.websub_renew_before,
            max_bytes=settings.fetch_max_bytes,
        )

    @property
    def redis(self) -> redis.Redis:
        return self.poller.redis

    def callback_for(self, feed_id: int) -> str:
        return f"{self.callback_base}/{feed_id}"

    # -- lifecycle

    async def __aenter__(self) -> Self:
        app = web.Application(client_max_size=self.max_bytes)
        app.router.add_get("/websub/{feed_id:\\d+}", self.verify)
        app.router.add_post("/websub/{feed_id:\\d+}", self.receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        policy = self.poller.policy
        self._session = aiohttp.ClientSession(
            connector=make_connector(
                allow_loopback=policy.allow_loopback, limit=10, limit_per_host=2
            ),
            timeout=aiohttp.ClientTimeout(total=HUB_TIMEOUT),
            headers={"User-Agent": policy.user_agent},
        )
        log.info("websub_listening", host=self.host, port=self.port, callback=self.callback_base)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- subscribing

    def needs_subscription(self, feed: FeedInfo, now: datetime) -> bool:
        expires = feed.websub_expires_at
        return expires is None or expires - now <= timedelta(seconds=self.renew_before)

    async def maybe_subscribe(self, feed: FeedInfo, parsed: ParsedFeed, url: str) -> None:
        """Subscribe (or renew) when the feed names a hub and no live lease covers it."""
        if not parsed.hub_url or not self.needs_subscription(feed, self.poller.clock()):
            return
        topic = parsed.self_url or url
        pending = PENDING_KEY.format(feed.id)
        fresh = await asyncio.to_thread(self.redis.set, pending, topic, nx=True, ex=PENDING_SECONDS)
        if fresh:
            await self.subscribe(feed, parsed.hub_url, topic)

    async def subscribe(self, feed: FeedInfo, hub_url: str, topic: str) -> bool:
        """Ask the hub for a subscription; True when it accepted the request (2xx)."""
        secret = feed.websub_secret or secrets.token_hex(32)
        if secret != feed.websub_secret:  # stored before the hub can verify or push
            await asyncio.to_thread(self._store, feed.id, secret, feed.websub_expires_at)
        form = {
            "hub.mode": "subscribe",
            "hub.topic": topic,
            "hub.callback": self.callback_for(feed.id),
            "hub.secret": secret,
            "hub.lease_seconds": str(self.lease_seconds),
        }
        assert self._session is not None
        status: int | str
        try:
            async with self._session.post(hub_url, data=form, allow_redirects=False) as resp:
                ok, status = is_success(resp.status), resp.status
        except (aiohttp.ClientError, TimeoutError, NewsmonError) as exc:
            ok, status = False, f"{type(exc).__name__}: {exc}"
        log.info("websub_subscribe", feed_id=feed.id, hub=hub_url, topic=topic, status=status)
        if not ok:
            await asyncio.to_thread(self.redis.delete, PENDING_KEY.format(feed.id))
        return ok

    def _store(self, feed_id: int, secret: str | None, expires_at: datetime | None) -> None:
        with transaction(self.poller.sessions) as session:
            feed_store.set_websub(session, feed_id, secret=secret, expires_at=expires_at)

    def _feed(self, feed_id: int) -> FeedInfo | None:
        with self.poller.sessions() as session:
            return feed_store.get_feed_info(session, feed_id)

    # -- the callback

    async def verify(self, request: web.Request) -> web.Response:
        """Verification of intent: echo hub.challenge for a subscription we asked for."""
        feed_id = int(request.match_info["feed_id"])
        mode, topic = request.query.get("hub.mode"), request.query.get("hub.topic")
        feed = await asyncio.to_thread(self._feed, feed_id)
        if mode == "denied":
            log.warning("websub_denied", feed_id=feed_id, reason=request.query.get("hub.reason"))
            return web.Response(text="ok")
        challenge = request.query.get("hub.challenge")
        if mode == "unsubscribe" and feed is None and challenge:
            return web.Response(text=challenge)  # a feed we no longer poll: gladly
        if mode != "subscribe" or feed is None or not challenge:
            return web.Response(status=404, text="unknown subscription")
        pending = await asyncio.to_thread(self.redis.get, PENDING_KEY.format(feed_id))
        if isinstance(pending, bytes):
            pending = pending.decode()
        wanted = {pending} if pending else {feed.self_url, feed.url}
        if topic not in wanted:
            log.warning("websub_wrong_topic", feed_id=feed_id, topic=topic)
            return web.Response(status=404, text="unknown topic")
        lease = _int(request.query.get("hub.lease_seconds")) or self.lease_seconds
        expires = self.poller.clock() + timedelta(seconds=lease)
        await asyncio.to_thread(self._store, feed_id, feed.websub_secret, expires)
        await asyncio.to_thread(self.redis.delete, PENDING_KEY.format(feed_id))
        log.info("websub_verified", feed_id=feed_id, topic=topic, lease_seconds=lease)
        return web.Response(text=challenge)

    async def receive(self, request: web.Request) -> web.Response:
        """Content distribution: ingest a correctly signed body at once, ignore anything else."""
        feed_id = int(request.match_info["feed_id"])
        body = await request.read()
        feed = await asyncio.to_thread(self._feed, feed_id)
        if feed is None:
            return web.Response(status=410, text="gone")  # tells the hub to stop
        signature = request.headers.get("X-Hub-Signature")
        if not signature_ok(signature, feed.websub_secret, body):
            log.warning("websub_bad_signature", feed_id=feed_id, signature=signature)
            return web.Response(status=202, text="accepted")
        try:
            parsed = parse_feed(body, url=feed.url, content_type=request.content_type)
            count = await asyncio.to_thread(self.poller.ingest_pushed, feed, parsed)
        except NewsmonError as exc:
            log.warning("websub_bad_content", feed_id=feed_id, error=str(exc))
            return web.Response(status=202, text="accepted")
        log.info("websub_pushed", feed_id=feed_id, items=len(parsed.items), enqueued=count)
        return web.Response(status=202, text="accepted")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class _Disabled:
    """WebSub off: the poller polls only."""

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None
