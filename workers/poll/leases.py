"""Feed leases in Redis: one poller at a time per feed, taken and released many at once."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import redis
import structlog

log = structlog.get_logger("newsmon.poller")

LEASE_KEY = "newsmon:poll:lease:{}"
_CHUNK = 500
"""Leases per script call: each call runs atomically in Redis, so a chunk bounds how long
Redis serves nothing else."""
# One script call for many leases: a pipelined SET or EVALSHA per feed spends more time in
# the client packing and parsing commands than Redis spends running them.
_ACQUIRE = """
local taken = {}
for i, key in ipairs(KEYS) do
  taken[i] = redis.call('set', key, ARGV[2], 'NX', 'PX', ARGV[1]) and 1 or 0
end
return taken
"""
_RELEASE = """
local freed = 0
for i, key in ipairs(KEYS) do
  if redis.call('get', key) == ARGV[i] then freed = freed + redis.call('del', key) end
end
return freed
"""


class Leases:
    """`SET key token NX PX` per feed, released only by its holder (compare-and-delete), both
    in Lua scripts over many feeds at once."""

    def __init__(self, client: redis.Redis, seconds: float) -> None:
        self.client = client
        self.ms = max(1, int(seconds * 1000))
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)

    def acquire(self, feed_id: int) -> str | None:
        return self.acquire_many([feed_id])[0]

    def acquire_many(self, feed_ids: Sequence[int]) -> list[str | None]:
        """A token where this caller now holds the feed's lease, None where another holds
        it. One token serves the whole call: it only has to tell this holder from others."""
        token = secrets.token_hex(8)
        taken: list[int] = []
        for start in range(0, len(feed_ids), _CHUNK):
            keys = [LEASE_KEY.format(i) for i in feed_ids[start : start + _CHUNK]]
            taken.extend(self._acquire(keys=keys, args=[self.ms, token]))
        return [token if ok else None for ok in taken]

    def release(self, feed_id: int, token: str) -> None:
        self.release_many([(feed_id, token)])

    def release_many(self, held: Sequence[tuple[int, str]]) -> None:
        """Release leases this caller holds; on a Redis error they expire."""
        try:
            for start in range(0, len(held), _CHUNK):
                chunk = held[start : start + _CHUNK]
                keys = [LEASE_KEY.format(feed_id) for feed_id, _ in chunk]
                self._release(keys=keys, args=[token for _, token in chunk])
        except redis.RedisError:
            log.warning("lease_release_failed", feeds=[feed_id for feed_id, _ in held])
