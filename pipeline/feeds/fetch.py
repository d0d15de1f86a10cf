"""Polite HTTP fetching: conditional GET, bounded bodies, redirects by hand, failures classified.

One `Fetcher` owns one aiohttp session for its whole life. Every request goes through the SSRF
guard (`pipeline.feeds.netguard`), a global concurrency limit, a per-host concurrency limit and a
per-host minimum delay between request starts. Failures are classified here, at the edge:

- `FetchTransient` (retry later): timeouts, connection errors, 5xx, 408, 429 and 503 (with
  `retry_after` from the Retry-After header).
- `FetchPermanent` (retrying will not help): other 4xx, a body over the size limit (also after
  decompression), a redirect loop or too many redirects, a refused target (`UnsafeTarget`).
"""

from __future__ import annotations

import asyncio
import email.utils
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import aiohttp

from pipeline import __version__
from pipeline.errors import FetchPermanent, FetchTransient
from pipeline.feeds.netguard import UnsafeTarget, check_scheme_and_host, make_connector

DEFAULT_USER_AGENT = f"newsmon/{__version__} (+https://github.com/newsmon/newsmon)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
"""Statuses whose Retry-After header says when to come back."""
TRANSIENT_STATUSES = frozenset({408, 425, *RETRY_AFTER_STATUSES})
"""Statuses worth retrying later, besides every 5xx: the one list of retryable statuses."""
_CHUNK = 64 * 1024

try:  # brotli is optional: advertise it only when we can decode it
    import brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

ACCEPT_ENCODING = "gzip, deflate, br" if brotli else "gzip, deflate"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how defensively to fetch; see Settings.fetch_* and poll_*."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    concurrency: int = 100
    host_concurrency: int = 2
    host_delay: float = 0.5
    max_redirects: int = 5
    allow_loopback: bool = False
    user_agent: str = DEFAULT_USER_AGENT

    @classmethod
    def from_settings(cls, settings: Any) -> FetchPolicy:
        """Build the policy from a `pipeline.settings.Settings`."""
        return cls(
            connect_timeout=settings.fetch_connect_timeout,
            read_timeout=settings.fetch_read_timeout,
            total_timeout=settings.fetch_total_timeout,
            max_bytes=settings.fetch_max_bytes,
            concurrency=settings.poll_concurrency,
            host_concurrency=settings.poll_host_concurrency,
            host_delay=settings.poll_host_delay,
            max_redirects=settings.fetch_max_redirects,
            allow_loopback=settings.fetch_allow_loopback,
        )


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful fetch: 200 with a body, or 304 (not_modified) without one."""

    url: str
    """The final URL, after redirects."""
    status: int
    body: bytes | None
    headers: dict[str, str]
    """Response headers of the final response, names in lower case."""
    etag: str | None
    last_modified: str | None
    not_modified: bool
    permanent_redirect_to: str | None
    """Where the URL moved for good (the end of the leading 301/308 hops), else None."""
    cache_max_age: float | None
    """Seconds the response may be cached: the larger of Cache-Control max-age and Expires."""
    retry_after: float | None
    elapsed: float

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class _HostGate:
    """Per-host concurrency and a minimum delay between the starts of two requests."""

    def __init__(self, concurrency: int, delay: float, clock: Callable[[], float]) -> None:
        self.slots = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._delay = delay
        self._clock = clock
        self._next_start = 0.0

    async def wait_turn(self) -> None:
        async with self._lock:
            pause = self._next_start - self._clock()
            if pause > 0:
                await asyncio.sleep(pause)
            self._next_start = self._clock() + self._delay


class Fetcher:
    """Fetches URLs politely through one session; use as `async with Fetcher(policy) as f:`."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        connector: aiohttp.BaseConnector | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._connector = connector
        self._clock = clock
        self._slots = asyncio.Semaphore(self.policy.concurrency)
        self._gates: dict[str, _HostGate] = {}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        policy = self.policy
        connector = self._connector or make_connector(
            allow_loopback=policy.allow_loopback,
            limit=policy.concurrency,
            limit_per_host=policy.host_concurrency,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=policy.total_timeout,
                sock_connect=policy.connect_timeout,
                sock_read=policy.read_timeout,
            ),
            headers={
                "User-Agent": policy.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            auto_decompress=False,  # we decompress ourselves, within max_bytes
            raise_for_status=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url`, following redirects; 304 when the validators still match.

        Raises FetchTransient, FetchPermanent (or its subclass UnsafeTarget); never aiohttp's
        own exceptions.
        """
        # The total timeout applies to each request, not to the wait for a polite turn.
        return await self._follow(url, _conditional_headers(etag, last_modified), self._clock())

    async def _follow(self, url: str, conditional: dict[str, str], started: float) -> FetchResult:
        seen = [url]
        moved_to: str | None = None
        permanent_run = True
        while True:
            status, headers, body = await self._request(url, conditional)
            if status not in REDIRECT_STATUSES:
                return _result(url, status, headers, body, moved_to, self._clock() - started)
            target = _redirect_target(url, headers)
            permanent_run = permanent_run and status in PERMANENT_REDIRECTS
            if permanent_run:
                moved_to = target
            if target in seen:
                chain = " -> ".join([*seen, target])
                raise FetchPermanent(f"redirect loop: {chain}")
            if len(seen) > self.policy.max_redirects:
                raise FetchPermanent(
                    f"too many redirects (more than {self.policy.max_redirects}) from {seen[0]}"
                )
            seen.append(target)
            url = target

    async def _request(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, Mapping[str, str], bytes | None]:
        host = check_scheme_and_host(url)
        gate = self._gate(host)
        async with gate.slots:
            await gate.wait_turn()
            async with self._slots:
                return await self._send(url, host, headers)

    def _gate(self, host: str) -> _HostGate:
        gate = self._gates.get(host)
        if gate is None:
            policy = self.policy
            gate = _HostGate(policy.host_concurrency, policy.host_delay, self._clock)
            self._gates[host] = gate
        return gate

    async def _send(
        self, url: str, host: str, headers: dict[str, str]
    ) -> tuple[int, Mapping[str, str], bytes | None]:
        if self._session is None:
            raise RuntimeError("use the Fetcher as an async context manager")
        try:
            async with self._session.get(url, headers=headers, allow_redirects=False) as resp:
                resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                _raise_for_status(resp.status, resp.reason, host, resp_headers)
                if not is_success(resp.status):
                    return resp.status, resp_headers, None
                raw = await _read_limited(resp, self.policy.max_bytes, host)
        except (UnsafeTarget, FetchPermanent, FetchTransient):
            raise
        except aiohttp.ClientResponseError as exc:
            raise FetchPermanent(f"{host} sent an invalid HTTP response ({exc.message})") from None
        except aiohttp.ClientSSLError as exc:
            raise FetchPermanent(f"TLS failed with {host}: {exc}") from None
        except aiohttp.ClientConnectorDNSError:
            raise FetchTransient(f"could not resolve the host name {host}") from None
        except aiohttp.ClientConnectorError as exc:
            raise FetchTransient(f"could not connect to {host} ({exc.strerror})") from None
        except (TimeoutError, aiohttp.ServerTimeoutError):
            raise FetchTransient(_timeout_message(host, self.policy)) from None
        except aiohttp.InvalidURL as exc:
            raise FetchPermanent(f"invalid URL {exc}") from None
        except aiohttp.ClientError as exc:
            raise FetchTransient(f"connection to {host} failed ({type(exc).__name__})") from None
        body = _decode_body(raw, resp_headers.get("content-encoding"), self.policy.max_bytes, host)
        return resp.status, resp_headers, body


def is_success(status: int) -> bool:
    """A status whose body is the resource (partial and empty answers are not)."""
    return 200 <= status < 300 and status not in (204, 205, 206)


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    # RFC 9110 13.1.3: If-None-Match takes precedence; send both so either validator can match.
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _timeout_message(host: str, policy: FetchPolicy) -> str:
    return (
        f"{host} timed out (connect {policy.connect_timeout:g} s, "
        f"read {policy.read_timeout:g} s, total {policy.total_timeout:g} s)"
    )


def _status_text(status: int, reason: str | None) -> str:
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return f"{status} {reason}".strip()


def _raise_for_status(
    status: int, reason: str | None, host: str, headers: Mapping[str, str]
) -> None:
    """Classify a non-success status at the edge: transient or permanent."""
    if is_success(status) or status == 304 or status in REDIRECT_STATUSES:
        return
    text = _status_text(status, reason)
    if status in RETRY_AFTER_STATUSES:
        retry_after = parse_retry_after(headers.get("retry-after"))
        wait = f"; it asks to wait {retry_after:.0f} s" if retry_after is not None else ""
        raise FetchTransient(f"{host} answered {text}{wait}", retry_after=retry_after)
    if status >= 500 or status in TRANSIENT_STATUSES:
        raise FetchTransient(f"{host} answered {text}")
    raise FetchPermanent(f"{host} answered {text}")


def _redirect_target(url: str, headers: Mapping[str, str]) -> str:
    location = headers.get("location")
    if not location:
        raise FetchPermanent(f"{_host(url)} sent a redirect without a Location header")
    target = urljoin(url, location.strip())
    check_scheme_and_host(target)
    return target.split("#", 1)[0]


async def _read_limited(resp: aiohttp.ClientResponse, max_bytes: int, host: str) -> bytes:
    declared = resp.content_length
    if declared is not None and declared > max_bytes:
        raise _too_large(host, max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(host, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(host: str, max_bytes: int, *, decompressed: bool = False) -> FetchPermanent:
    what = "the decompressed response" if decompressed else "the response"
    return FetchPermanent(f"{what} from {host} is larger than the limit of {max_bytes:,} bytes")


def _decode_body(raw: bytes, encoding: str | None, max_bytes: int, host: str) -> bytes:
    """Undo Content-Encoding, stopping as soon as the output would pass max_bytes (gzip bombs)."""
    coding = (encoding or "identity").strip().lower()
    if coding in ("identity", ""):
        return raw
    try:
        if coding in ("gzip", "x-gzip"):
            return _inflate(raw, 16 + zlib.MAX_WBITS, max_bytes, host)
        if coding == "deflate":
            # Servers disagree on whether "deflate" has a zlib header; accept both.
            wbits = zlib.MAX_WBITS if raw[:1] == b"\x78" else -zlib.MAX_WBITS
            return _inflate(raw, wbits, max_bytes, host)
        if coding == "br" and brotli is not None:
            return _unbrotli(raw, max_bytes, host)
    except zlib.error as exc:
        raise FetchPermanent(f"the {coding} response from {host} is corrupt ({exc})") from None
    raise FetchPermanent(f"{host} used an unsupported content encoding {coding!r}")


def _inflate(raw: bytes, wbits: int, max_bytes: int, host: str) -> bytes:
    out: list[bytes] = []
    size = 0
    data = raw
    while data:  # gzip allows several members one after another
        inflater = zlib.decompressobj(wbits)
        piece = inflater.decompress(data, max_bytes + 1 - size)
        size += len(piece)
        if size > max_bytes or inflater.unconsumed_tail:
            raise _too_large(host, max_bytes, decompressed=True)
        out.append(piece)
        data = inflater.unused_data if wbits > zlib.MAX_WBITS else b""
    return b"".join(out)


def _unbrotli(raw: bytes, max_bytes: int, host: str) -> bytes:  # pragma: no cover - optional
    out = brotli.decompress(raw)
    if len(out) > max_bytes:
        raise _too_large(host, max_bytes, decompressed=True)
    return bytes(out)


def _result(
    url: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes | None,
    moved_to: str | None,
    elapsed: float,
) -> FetchResult:
    return FetchResult(
        url=url,
        status=status,
        body=body,
        headers=dict(headers),
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        not_modified=status == 304,
        permanent_redirect_to=moved_to,
        cache_max_age=cache_lifetime(headers),
        retry_after=parse_retry_after(headers.get("retry-after")),
        elapsed=elapsed,
    )


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _http_date(value: str) -> datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cache_lifetime(headers: Mapping[str, str]) -> float | None:
    """The larger of Cache-Control max-age (or s-maxage) and Expires minus Date, in seconds."""
    candidates: list[float] = []
    for directive in headers.get("cache-control", "").split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() in ("max-age", "s-maxage") and value.strip('"').isdigit():
            candidates.append(float(value.strip('"')))
    expires = _http_date(headers.get("expires", ""))
    if expires is not None:
        date = _http_date(headers.get("date", "")) or datetime.now(UTC)
        candidates.append(max(0.0, (expires - date).total_seconds()))
    return max(candidates) if candidates else None
