"""The `stream` channel: publishes payloads on Redis pub/sub for the API's SSE endpoint.

Each payload goes to `newsmon:alerts:<owner>` (the owner from the payload's subscription,
else the target), as the same compact JSON the webhook sends, wrapped with the delivery id
so an SSE relay can use it as the event id. Pub/sub keeps nothing: with no listener the
message is simply gone, which suits a live view (the alerts themselves are in SQL).
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from redis.exceptions import RedisError

from pipeline.alerts.channels.base import Delivery, SendResult
from pipeline.errors import PermanentError

CHANNEL_PREFIX = "newsmon:alerts:"


class Publisher(Protocol):
    """The part of a redis.Redis client this channel uses."""

    def publish(self, channel: str, message: Any) -> Any: ...


def stream_key(owner: str) -> str:
    """The pub/sub channel an owner's live alerts are published on."""
    return CHANNEL_PREFIX + owner


def _owner(delivery: Delivery) -> str:
    owner = (delivery.payload.get("subscription") or {}).get("owner") or delivery.target
    if not owner:
        raise PermanentError("stream delivery has no owner (payload subscription or target)")
    return str(owner)


class StreamChannel:
    """Publishes to Redis; `builtin_channels(publisher=redis_client)` includes one."""

    name = "stream"

    def __init__(self, redis: Publisher, prefix: str = CHANNEL_PREFIX) -> None:
        self.redis = redis
        self.prefix = prefix

    def validate_target(self, target: str, *, allow_loopback: bool) -> None:
        return None  # the owner decides the Redis channel; nothing outside is contacted

    def send(self, delivery: Delivery) -> SendResult:
        try:
            key = self.prefix + _owner(delivery)
        except PermanentError as exc:
            return SendResult.dead(str(exc))
        message = {"id": delivery.delivery_id, "payload": delivery.payload}
        try:
            listeners = self.redis.publish(
                key, json.dumps(message, ensure_ascii=False, separators=(",", ":"), default=str)
            )
        except (RedisError, OSError) as exc:
            return SendResult.retry(f"Redis publish failed: {exc}")
        return SendResult.success(detail=f"published to {key} ({listeners} listener(s))")
