"""Alert channels and the registry that names them: `channels.get(sub.channel).send(delivery)`.

Built in: file, webhook, email, apprise, and `stream` (Redis pub/sub for the SSE endpoint)
when a publisher is handed in. Nothing registers itself on import: the composition root
(`workers.deps.Deps.channels`) builds one registry per process with `builtin_channels` and
hands it to what delivers or checks targets. Each channel owns its target rules
(`validate_target`), so a registry answers for every channel alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.alerts.channels.apprise import AppriseChannel
from pipeline.alerts.channels.base import Channel, Delivery, SendResult, encode_payload
from pipeline.alerts.channels.email import EmailChannel
from pipeline.alerts.channels.file import FileChannel
from pipeline.alerts.channels.stream import Publisher, StreamChannel, stream_key
from pipeline.alerts.channels.webhook import WebhookChannel
from pipeline.errors import PermanentError


class Channels:
    """Channels by name."""

    def __init__(self, channels: tuple[Channel, ...] = ()) -> None:
        self._by_name: dict[str, Channel] = {}
        for channel in channels:
            self.register(channel)

    def register(self, channel: Channel) -> Channel:
        """Add (or replace) a channel under its name; returns it."""
        self._by_name[channel.name] = channel
        return channel

    def get(self, name: str) -> Channel:
        """The channel called `name`; PermanentError listing the known ones otherwise."""
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(sorted(self._by_name)) or "none"
            raise PermanentError(f"unknown channel {name!r} (known: {known})") from None

    def validate_target(self, channel: str, target: str, *, allow_loopback: bool = False) -> None:
        """Check a subscription's channel and target before saving it (PermanentError if bad)."""
        self.get(channel).validate_target(target, allow_loopback=allow_loopback)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._by_name))


def builtin_channels(
    *, file_dir: Path | None = None, publisher: Publisher | None = None
) -> Channels:
    """Every built-in channel; relative `file` targets under `file_dir`, `stream` with a
    publisher (a Redis client) only."""
    channels = Channels(
        (AppriseChannel(), EmailChannel(), FileChannel(base_dir=file_dir), WebhookChannel())
    )
    if publisher is not None:
        channels.register(StreamChannel(publisher))
    return channels


def get_channel(name: str) -> Channel:
    """A fresh built-in channel by name (no `stream`, `file` relative to the working directory):
    for tests and benchmarks that exercise one channel; processes use `Deps.channels`."""
    return builtin_channels().get(name)


__all__ = [
    "Channel",
    "Channels",
    "Delivery",
    "SendResult",
    "StreamChannel",
    "builtin_channels",
    "encode_payload",
    "get_channel",
    "stream_key",
]
