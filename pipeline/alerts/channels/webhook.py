"""The `webhook` channel: a JSON POST signed per Standard Webhooks (standardwebhooks.com).

Headers: `webhook-id` (the delivery id, identical on every retry so receivers can drop
repeats), `webhook-timestamp` (unix seconds) and `webhook-signature` (see
`pipeline.alerts.signing`, which also makes and checks the `whsec_` secrets).

Safety: the target must be http(s); the connection goes only to an address that
`pipeline.feeds.netguard` allowed (no loopback unless `allow_loopback`, never private,
link-local or metadata addresses); redirects are not followed; at most
`max_response_bytes` of the response are read; the whole call has a timeout.

Outcome: 2xx ok; timeouts, connection errors, 5xx, 408, 425 and 429 retryable (with
Retry-After); any other status, a redirect or an unsafe target is dead, with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime

import aiohttp

from pipeline.alerts.channels.base import (
    RETRY_STATUSES,
    Delivery,
    SendResult,
    encode_payload,
    run_sync,
)
from pipeline.alerts.signing import signature_headers
from pipeline.errors import PermanentError
from pipeline.feeds import netguard


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def classify(status: int, detail: str, retry_after: float | None) -> SendResult:
    """The outcome of an HTTP status, as retry classification data (like Scrapy's)."""
    if 200 <= status < 300:
        return SendResult.success(status, detail)
    if status >= 500 or status in RETRY_STATUSES:
        return SendResult.retry(detail, status=status, retry_after=retry_after)
    return SendResult.dead(detail, status=status)


async def _read_limited(response: aiohttp.ClientResponse, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = await response.content.read(min(65536, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _describe(response: aiohttp.ClientResponse, body: bytes) -> str:
    text = body[:300].decode("utf-8", "replace").strip()
    reason = f"HTTP {response.status} {response.reason or ''}".strip()
    if 300 <= response.status < 400:
        location = response.headers.get("location", "?")
        return f"{reason}: redirect to {location} not followed; update the webhook URL"
    return f"{reason}: {text}" if text else reason


class WebhookChannel:
    """Signed JSON POSTs. `clock` is injectable for tests of the timestamp."""

    name = "webhook"

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock

    def validate_target(self, target: str, *, allow_loopback: bool) -> None:
        run_sync(netguard.check_url(target, allow_loopback=allow_loopback))

    async def validate_target_async(self, target: str, *, allow_loopback: bool) -> None:
        await netguard.check_url(target, allow_loopback=allow_loopback)

    def send(self, delivery: Delivery) -> SendResult:
        return run_sync(self.send_async(delivery))

    async def send_async(self, delivery: Delivery) -> SendResult:
        """POST the payload once; never raises for a delivery failure."""
        try:
            netguard.check_scheme_and_host(delivery.target)
            body = encode_payload(delivery.payload)
            stamp = int(self.clock())
            headers = signature_headers(delivery.secret, delivery.delivery_id, stamp, body)
            return await self._post(delivery, headers, body)
        except PermanentError as exc:  # unsafe target, bad secret
            return SendResult.dead(str(exc))
        except TimeoutError:
            return SendResult.retry(f"timed out after {delivery.timeout:g} s")
        except aiohttp.ClientError as exc:
            return SendResult.retry(f"connection failed: {exc.__class__.__name__}: {exc}")

    async def _post(self, delivery: Delivery, headers: dict, body: bytes) -> SendResult:
        connector = netguard.make_connector(
            allow_loopback=delivery.allow_loopback, limit=1, limit_per_host=1
        )
        timeout = aiohttp.ClientTimeout(total=delivery.timeout)
        async with (
            aiohttp.ClientSession(connector=connector, timeout=timeout) as session,
            session.post(
                delivery.target, data=body, headers=headers, allow_redirects=False
            ) as response,
        ):
            received = await _read_limited(response, delivery.max_response_bytes)
            after = parse_retry_after(response.headers.get("retry-after"), now=self.clock())
            result = classify(response.status, _describe(response, received), after)
            result.extra["response_bytes"] = len(received)
            return result


__all__ = [
    "WebhookChannel",
    "classify",
    "parse_retry_after",
]
