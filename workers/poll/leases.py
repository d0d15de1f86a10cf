"""Feed leases in Redis: one poller at a time per feed, taken and released many at once."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import redis
import structlog

log = structlog.get_logger("newsmon.poller")

LEASE_KEY = "newsmon:poll:lease:{}"
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class Leases:
    """`SET key token NX PX` per feed, released only by its holder (a Lua compare-and-delete)."""

    def __init__(self, client: redis.Redis, seconds: float) -> None:
        self.client = client
        self.ms = max(1, int(seconds * 1000))
        self._release = client.register_script(_RELEASE)

    def acquire(self, feed_id: int) -> str | None:
        return self.acquire_many([feed_id])[0]

    def acquire_many(self, feed_ids: Sequence[int]) -> list[str | None]:
        """A token per feed whose lease this caller now holds, None where another holds it;
        one Redis round trip for all."""
        tokens = [secrets.token_hex(8) for _ in feed_ids]
        with self.client.pipeline(transaction=False) as pipe:
            for feed_id, token in zip(feed_ids, tokens, strict=True):
                pipe.set(LEASE_KEY.format(feed_id), token, nx=True, px=self.ms)
            answers = pipe.execute()
        return [t if ok else None for t, ok in zip(tokens, answers, strict=True)]

    def release(self, feed_id: int, token: str) -> None:
        self.release_many([(feed_id, token)])

    def release_many(self, held: Sequence[tuple[int, str]]) -> None:
        """Release leases this caller holds, in one round trip; on a Redis error they expire."""
        if not held:
            return
        try:
            with self.client.pipeline(transaction=False) as pipe:
                for feed_id, token in held:
                    self._release(keys=[LEASE_KEY.format(feed_id)], args=[token], client=pipe)
                pipe.execute()
        except redis.RedisError:
            log.warning("lease_release_failed", feeds=[feed_id for feed_id, _ in held])
