"""Standard Webhooks signing (standardwebhooks.com): secrets, signatures and their check.

`webhook-signature` is `v1,` + base64 HMAC-SHA256 over `{id}.{timestamp}.{body}`; secrets
look like `whsec_<base64>` and the key is the base64-decoded part, as in the spec's
reference libraries. No network here: subscriptions make and check secrets with it
without loading the HTTP client.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

from pipeline.errors import PermanentError

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
