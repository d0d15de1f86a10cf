"""A near-duplicate index: MinHash signatures in LSH buckets kept in Redis, with a time window.

Layout under `<ns>:` (all values compact; one million entries take well under 2 GB):

    meta            hash   the layout (num_perm, shingle_size, bands, rows, shard bits), fixed
    seq             string the last sequence number handed out; order of arrival decides
                           which of two copies is the original
    low             string the expiry cursor: every seq below it is gone
    k:<shard>       hash   article key -> seq             (key shard = crc32(key) % key_shards)
    r:<seq // 256>  hash   seq -> msgpack [key, ts, original key or "", sig, bands, key shard]
    b:<shard>       hash   band digest (8 bytes) -> "seq,seq,..." of originals in that bucket

`sig` holds the low 16 bits of every MinHash value (b-bit minwise hashing), `bands` the
8-byte digests of the LSH bands. Only originals go into buckets, so a text is compared
with first-seen originals, never with a copy of a copy. Small hashes stay in Redis's compact
listpack encoding, which is what keeps the memory per entry low.

One Lua script reads the candidate buckets, verifies candidates against the threshold and
inserts, so two workers racing with two copies end with one original and one duplicate.
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from pipeline.dedup.signature import Encoded, MinHashLayout
from pipeline.errors import ConfigError

if TYPE_CHECKING:
    import redis

_EXPIRE_BATCH = 2000

_LUA_COMMON = """
local ns = ARGV[1]
local function rkey(seq) return ns .. ':r:' .. math.floor(seq / 256) end
local function bkey(digest, bits)
  local a, b, c = string.byte(digest, 1, 3)
  return ns .. ':b:' .. math.floor((a * 65536 + b * 256 + c) / 2 ^ (24 - bits))
end
local function drop(seq, rec, bits)
  redis.call('HDEL', rkey(seq), seq)
  local kkey = ns .. ':k:' .. rec[6]
  if tonumber(redis.call('HGET', kkey, rec[1])) == seq then redis.call('HDEL', kkey, rec[1]) end
  local bands = rec[5]
  for i = 1, #bands, 8 do
    local digest = string.sub(bands, i, i + 7)
    local key = bkey(digest, bits)
    local list = redis.call('HGET', key, digest)
    if list then
      local kept = {}
      for s in string.gmatch(list, '%d+') do
        if tonumber(s) ~= seq then kept[#kept + 1] = s end
      end
      if #kept == 0 then redis.call('HDEL', key, digest)
      else redis.call('HSET', key, digest, table.concat(kept, ',')) end
    end
  end
end
"""

# ARGV: ns, key, key shard, ts, sig, bands, min_equal, shard bits
_CHECK_AND_INSERT = (
    _LUA_COMMON
    + """
local key, kshard, ts, sig, bands = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
local min_equal, bits = tonumber(ARGV[7]), tonumber(ARGV[8])
local kkey = ns .. ':k:' .. kshard
local known = redis.call('HGET', kkey, key)
if known then
  local raw = redis.call('HGET', rkey(tonumber(known)), known)
  if raw then return {1, cmsgpack.unpack(raw)[3]} end
end
local seen, cands = {}, {}
for i = 1, #bands, 8 do
  local digest = string.sub(bands, i, i + 7)
  local list = redis.call('HGET', bkey(digest, bits), digest)
  if list then
    for s in string.gmatch(list, '%d+') do
      local n = tonumber(s)
      if not seen[n] then seen[n] = true; cands[#cands + 1] = n end
    end
  end
end
table.sort(cands)
local original = ''
local n = #sig / 2
for _, cand in ipairs(cands) do
  local raw = redis.call('HGET', rkey(cand), cand)
  if raw then
    local rec = cmsgpack.unpack(raw)
    local other, equal, missing = rec[4], 0, 0
    for i = 1, #sig, 2 do
      if string.sub(sig, i, i + 1) == string.sub(other, i, i + 1) then equal = equal + 1
      else
        missing = missing + 1
        if n - missing < min_equal then break end
      end
    end
    if equal >= min_equal then original = rec[1]; break end
  end
end
local seq = redis.call('INCR', ns .. ':seq')
redis.call('HSET', kkey, key, seq)
if original ~= '' then
  redis.call('HSET', rkey(seq), seq, cmsgpack.pack({key, ts, original, '', '', kshard}))
  return {0, original}
end
redis.call('HSET', rkey(seq), seq, cmsgpack.pack({key, ts, '', sig, bands, kshard}))
for i = 1, #bands, 8 do
  local digest = string.sub(bands, i, i + 7)
  local bk = bkey(digest, bits)
  local list = redis.call('HGET', bk, digest)
  redis.call('HSET', bk, digest, list and (list .. ',' .. seq) or tostring(seq))
end
return {0, ''}
"""
)

# ARGV: ns, key, key shard, shard bits
_REMOVE = (
    _LUA_COMMON
    + """
local known = redis.call('HGET', ns .. ':k:' .. ARGV[3], ARGV[2])
if not known then return 0 end
local seq = tonumber(known)
local raw = redis.call('HGET', rkey(seq), known)
if raw then drop(seq, cmsgpack.unpack(raw), tonumber(ARGV[4])) end
redis.call('HDEL', ns .. ':k:' .. ARGV[3], ARGV[2])
return 1
"""
)

# ARGV: ns, cutoff ts, max steps, shard bits. Walks seqs upward from `low`; stops at the
# first live entry that is still inside the window (arrival order is nearly time order).
_EXPIRE = (
    _LUA_COMMON
    + """
local cutoff, steps, bits = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local low = tonumber(redis.call('GET', ns .. ':low') or '1')
local top = tonumber(redis.call('GET', ns .. ':seq') or '0')
local removed, done = 0, 1
while low <= top do
  if steps <= 0 then done = 0; break end
  steps = steps - 1
  local raw = redis.call('HGET', rkey(low), low)
  if raw then
    local rec = cmsgpack.unpack(raw)
    if rec[2] >= cutoff then break end
    drop(low, rec, bits)
    removed = removed + 1
  end
  low = low + 1
end
redis.call('SET', ns .. ':low', low)
return {removed, done}
"""
)


class NearDuplicateIndex:
    """MinHash + LSH stored in Redis so it survives restarts and is shared by every worker;
    entries expire after a window.

    `check_and_insert(key, text)` answers "which first-seen original does this text copy?"
    and records the answer in the same atomic step; asking again for the same key returns
    the same answer. `capacity` only sizes the shards (more entries still work, using more
    memory per entry); the layout is fixed when the namespace is first used.
    """

    def __init__(
        self,
        redis: redis.Redis,
        *,
        namespace: str = "newsmon:lsh",
        num_perm: int = 256,
        shingle_size: int = 3,
        threshold: float = 0.4,
        window_seconds: float = 30 * 86400.0,
        capacity: int = 1_000_000,
        seed: int = 1,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ConfigError(f"dedup threshold must be in (0, 1], got {threshold}")
        self.redis = redis
        self.namespace = namespace
        self.window_seconds = window_seconds
        layout = MinHashLayout(num_perm, shingle_size, threshold, seed)
        self.shard_bits = max(4, min(24, math.ceil(math.log2(capacity * layout.bands / 64))))
        self.key_shards = max(16, capacity // 64)
        self.layout = self._adopt_layout(layout)
        self._check = redis.register_script(_CHECK_AND_INSERT)
        self._remove = redis.register_script(_REMOVE)
        self._expire = redis.register_script(_EXPIRE)

    def _adopt_layout(self, layout: MinHashLayout) -> MinHashLayout:
        """The layout already stored for this namespace; refuses incompatible signatures.

        A changed threshold keeps the stored bands and rows (the buckets depend on them)
        and only moves the verification threshold.
        """
        meta_key = f"{self.namespace}:meta"
        wanted = {
            "num_perm": layout.num_perm,
            "shingle_size": layout.shingle_size,
            "seed": layout.seed,
            "bands": layout.bands,
            "rows": layout.rows,
            "shard_bits": self.shard_bits,
            "key_shards": self.key_shards,
        }
        for name, value in wanted.items():
            self.redis.hsetnx(meta_key, name, value)
        stored = {_text(k): int(v) for k, v in self.redis.hgetall(meta_key).items()}
        for name in ("num_perm", "shingle_size", "seed"):
            if stored[name] != wanted[name]:
                raise ConfigError(
                    f"dedup index {self.namespace!r} was built with {name}={stored[name]}, "
                    f"not {wanted[name]}: use another namespace or delete it"
                )
        self.shard_bits, self.key_shards = stored["shard_bits"], stored["key_shards"]
        return MinHashLayout(
            layout.num_perm,
            layout.shingle_size,
            layout.threshold,
            layout.seed,
            bands=stored["bands"],
            rows=stored["rows"],
        )

    @property
    def threshold(self) -> float:
        return self.layout.threshold

    def signature(self, text: str) -> np.ndarray:
        """The MinHash values (unsigned integer array of length num_perm) of the text."""
        return self.layout.signature(text)

    def similarity(self, a: str, b: str) -> float:
        """Estimated Jaccard similarity of two texts' shingle sets."""
        return self.layout.similarity(a, b)

    def check_and_insert(self, key: str, text: str, *, now: float | None = None) -> str | None:
        """The key of the first-seen original `text` nearly duplicates, or None after
        recording `key` as a new original. Atomic across processes; idempotent per key."""
        return self.check_and_insert_signature(key, self.signature(text), now=now)

    def check_and_insert_signature(
        self, key: str, signature: np.ndarray, *, now: float | None = None
    ) -> str | None:
        """`check_and_insert` for a signature computed beforehand (batches, benchmarks)."""
        args = self._check_args(key, self.layout.encode(signature), now)
        _known, original = self._check(args=args)
        return _text(original) or None

    def check_and_insert_many(
        self, items: Iterable[tuple[str, np.ndarray]], *, now: float | None = None
    ) -> list[str | None]:
        """`check_and_insert_signature` for many (key, signature) pairs in one round trip,
        in order: a later item may be found to copy an earlier one of the same batch."""
        encoded = ((key, self.layout.encode(signature)) for key, signature in items)
        return self.check_and_insert_encoded(encoded, now=now)

    def check_and_insert_encoded(
        self, items: Iterable[tuple[str, Encoded]], *, now: float | None = None
    ) -> list[str | None]:
        """`check_and_insert_many` for signatures already in their stored form."""
        pipe = self.redis.pipeline(transaction=False)
        for key, enc in items:
            self._check(args=self._check_args(key, enc, now), client=pipe)
        return [_text(original) or None for _known, original in pipe.execute()]

    def _check_args(self, key: str, enc: Encoded, now: float | None) -> list[Any]:
        args: list[Any] = [self.namespace, key, self._key_shard(key), _now(now)]
        return [*args, enc.sig, enc.bands, self.layout.min_equal, self.shard_bits]

    def remove(self, key: str) -> None:
        """Forget `key` (its buckets too); duplicates that pointed at it keep their answer."""
        self._remove(args=[self.namespace, key, self._key_shard(key), self.shard_bits])

    def expire(self, now: float | None = None) -> int:
        """Drop entries older than the window; returns how many. Runs in short steps so
        Redis never blocks for long."""
        cutoff = _now(now) - self.window_seconds
        total = 0
        while True:
            args: list[Any] = [self.namespace, cutoff, _EXPIRE_BATCH, self.shard_bits]
            removed, done = self._expire(args=args)
            total += int(removed)
            if int(done):
                return total

    def clear(self) -> int:
        """Delete every key of this namespace (tests, benchmarks); returns how many."""
        deleted = 0
        for batch in _batched(self.redis.scan_iter(match=f"{self.namespace}:*", count=1000)):
            deleted += self.redis.unlink(*batch)
        return deleted

    def _key_shard(self, key: str) -> int:
        return zlib.crc32(key.encode()) % self.key_shards


def _now(now: float | None) -> float:
    return time.time() if now is None else float(now)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _batched(items: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
