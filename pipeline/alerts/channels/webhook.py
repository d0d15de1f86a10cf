"""The `webhook` channel: a JSON POST signed per Standard Webhooks (standardwebhooks.com).

Headers: `webhook-id` (the delivery id, identical on every retry so receivers can drop
repeats), `webhook-timestamp` (unix seconds) and `webhook-signature`
(`v1,` + base64 HMAC-SHA256 over `{id}.{timestamp}.{body}`). Secrets look like
`whsec_<base64>`; the key is the base64-decoded part, as in the spec's reference libraries.

Safety: the target must be http(s); the connection goes only to an address that
`pipeline.feeds.netguard` allowed (no loopback unless `allow_loopback`, never private,
link-local or metadata addresses); redirects are not followed; at most
`max_response_bytes` of the response are read; the whole call has a timeout.

Outcome: 2xx ok; timeouts, connection errors, 5xx, 408, 425 and 429 retryable (with
Retry-After); any other status, a redirect or an unsafe target is dead, with the reason.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime

import aiohttp

from pipeline.alerts.channels.base import (
    RETRY_STATUSES,
    Delivery,
    SendResult,
    encode_payload,
    run_sync,
)
from pipeline.errors import PermanentError
from pipeline.feeds import netguard

SECRET_PREFIX = "whsec_"
USER_AGENT = "newsmon-webhook/1"
DEFAULT_TOLERANCE = 300.0
"""Seconds a receiver accepts between `webhook-timestamp` and its clock (replay window)."""


def generate_secret(nbytes: int = 24) -> str:
    """A new random signing secret in the `whsec_<base64>` form."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(nbytes)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a secret; PermanentError when it is not base64 after the prefix."""
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise PermanentError(
            "webhook secret must be 'whsec_' followed by base64 (use generate_secret())"
        ) from None
    if not key:
        raise PermanentError("webhook secret is empty")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one message."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_headers(secret: str | None, msg_id: str, timestamp: int, body: bytes) -> dict:
    """Every header of a delivery; unsigned (no `webhook-signature`) when there is no secret."""
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
    }
    if secret:
        headers["webhook-signature"] = sign(secret, msg_id, timestamp, body)
    return headers


def verify_signature(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """True when `headers` carry a valid v1 signature of `body` within the replay window.

    `headers` may be any case-insensitive mapping (aiohttp's request.headers) or a dict with
    lower-case keys. Several space-separated signatures are allowed (key rotation).
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    msg_id, stamp = lowered.get("webhook-id"), lowered.get("webhook-timestamp", "")
    if not msg_id or not stamp.isdigit():
        return False
    clock = time.time() if now is None else now
    if abs(clock - int(stamp)) > tolerance:
        return False
    expected = sign(secret, msg_id, int(stamp), body).encode()
    offered = lowered.get("webhook-signature", "").split()
    return any(hmac.compare_digest(expected, sig.encode()) for sig in offered)


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
    "generate_secret",
    "parse_retry_after",
    "sign",
    "verify_signature",
]
