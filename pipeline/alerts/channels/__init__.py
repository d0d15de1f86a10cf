"""Alert channels as a registry keyed by name: `get_channel(sub.channel).send(delivery)`.

Built in: file, webhook, email, apprise. `stream` (Redis pub/sub for the SSE endpoint)
needs a Redis client, so the process that has one registers it:
`register(StreamChannel(redis_client))`.
"""

from __future__ import annotations

from pipeline.alerts.channels.apprise import AppriseChannel
from pipeline.alerts.channels.base import Channel, Delivery, SendResult, encode_payload
from pipeline.alerts.channels.email import EmailChannel
from pipeline.alerts.channels.file import FileChannel
from pipeline.alerts.channels.stream import StreamChannel, stream_key
from pipeline.alerts.channels.webhook import WebhookChannel
from pipeline.errors import PermanentError

CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Add (or replace) a channel under its name; returns it."""
    CHANNELS[channel.name] = channel
    return channel


def get_channel(name: str) -> Channel:
    """The channel called `name`; PermanentError listing the known ones otherwise."""
    try:
        return CHANNELS[name]
    except KeyError:
        known = ", ".join(sorted(CHANNELS)) or "none"
        raise PermanentError(f"unknown channel {name!r} (known: {known})") from None


def validate_target(channel: str, target: str, *, allow_loopback: bool = False) -> None:
    """Check a subscription's channel and target before saving it (PermanentError if bad)."""
    get_channel(channel).validate_target(target, allow_loopback=allow_loopback)


register(AppriseChannel())
register(EmailChannel())
register(FileChannel())
register(WebhookChannel())

__all__ = [
    "CHANNELS",
    "Channel",
    "Delivery",
    "SendResult",
    "StreamChannel",
    "encode_payload",
    "get_channel",
    "register",
    "stream_key",
    "validate_target",
]
