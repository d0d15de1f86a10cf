"""A near-duplicate index: MinHash signatures in LSH buckets kept in Redis, with a time window.

Layout under `<ns>:` (about 1.4 KB of Redis per stored original; see benchmarks/dedup.py):

    meta            hash   the layout (format, num_perm, shingle_size, bands, rows, shard bits,
                           slots per block), fixed; and `slots`, the last signature slot used
    seq             string the last sequence number handed out; order of arrival decides
                           which of two copies is the original
    low             string the expiry cursor: every seq below it is gone
    k:<shard>       hash   article key -> seq             (key shard = crc32(key) % key_shards)
    r:<seq // 64>   hash   seq -> msgpack [key, ts, original key or "", key shard, slot or 0]
    s:<slot // N>   string N fixed-size signatures of originals, slot s at (s % N) * 2 * num_perm
    live            hash   block number of s: -> how many of its slots are in use
    b:<shard>       hash   band field -> "seq,seq,..." of originals in that bucket

`sig` holds the low 16 bits of every MinHash value (b-bit minwise hashing); LSH band i is the
16-bit values i*rows .. (i+1)*rows-1, so buckets are derived from `sig` alone and the index
never stores band digests. Band i's bucket is `b:` + ((its first 3 bytes as an integer
+ i * 40503) mod 2**bits) spelt as 3 raw bytes, and its field is bytes 4-7 of the band.
Only originals go into buckets, so a text is compared with first-seen originals, never with
a copy of a copy.

Memory depends on Redis keeping small hashes in their compact encoding (ziplist/listpack):
every hash here holds about 64 fields of < 64 bytes, inside Redis's defaults
(hash-max-ziplist-entries 128, hash-max-ziplist-value 64); the index warns when the server
is configured below them. Signatures live in preallocated 128 KiB strings, not in hash values,
because a 512-byte hash value would force the whole hash out of the compact encoding.

One Lua script reads the candidate buckets, verifies candidates against the threshold and
inserts, so two workers racing with two copies end with one original and one duplicate. The
same script takes a batch of articles: each is decided after the ones before it.

`bulk_load` is the other way in: it stores given originals without deciding anything, with
plain pipelined commands (one short script per chunk reserves sequence numbers and slots),
for loading an index in bulk, e.g. rebuilding it from stored originals after losing Redis.
"""

from __future__ import annotations

import logging
import math
import time
import zlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from pipeline.dedup import bulk
from pipeline.dedup.signature import Encoded, MinHashLayout
from pipeline.errors import ConfigError

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

FORMAT = 2
"""Stored layout version: 2 derives bands from the 16-bit signature and keeps signatures in
fixed-size blocks (version 1 stored blake2b band digests with every record)."""
_EXPIRE_BATCH = 500
# Articles per script call in bulk inserts: Redis runs one call atomically, so this bounds how
# long other clients wait (about 100 us per article); pipelining keeps round trips few.
_BULK_CHUNK = 200
_RECORDS_PER_HASH = 64
# One signature block, header included, fits a 128 KiB allocation (jemalloc size class, or 32
# pages with libc malloc) without spilling into the next, larger one.
_BLOCK_BYTES = 128 * 1024 - 64
# Originals per bulk_load round: about 66 commands each, so a round sends ~130k commands.
_LOAD_CHUNK = 2000
# Redis's defaults; every hash of the index stays below them (about 64 short fields each).
_COMPACT_ENTRIES, _COMPACT_VALUE = 128, 64

# ARGV[1..6]: ns, shard bits, rows, slots per block, bands, signature bytes.
_LUA_COMMON = """
local ns = ARGV[1]
local bits, rows, spb = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local nbands, siglen = tonumber(ARGV[5]), tonumber(ARGV[6])
local width, modulus = 2 * rows, 2 ^ bits
local live, prefix = ns .. ':live', ns .. ':b:'
local byte, char, sub, floor, min = string.byte, string.char, string.sub, math.floor, math.min
-- Numbers go to Redis as '%d' strings: Lua's own number formatting ('%.14g', and '%.17g' for
-- redis.call arguments) was the costliest single step in profiles.
local function str(n) return string.format('%d', n) end
local function rkey(seq) return ns .. ':r:' .. str(floor(seq / RECORDS)) end
local function skey(slot) return ns .. ':s:' .. str(floor(slot / spb)) end
-- Bucket key and field of band i (0-based) of a signature: only the band's own bytes count.
-- The shard is spelt as 3 raw bytes for the same reason.
local function bucket(sig, i)
  local at = i * width + 1
  local last = at + width - 1
  local a, b, c = byte(sig, at, min(at + 2, last))
  local x = (a * 65536 + (b or 0) * 256 + (c or 0) + i * 40503) % modulus
  local shard = char(floor(x / 65536), floor(x / 256) % 256, x % 256)
  return prefix .. shard, sub(sig, at + 3, min(at + 6, last))
end
local function drop(seq, rec)
  local s = str(seq)
  redis.call('HDEL', rkey(seq), s)
  local kkey = ns .. ':k:' .. rec[4]
  if tonumber(redis.call('HGET', kkey, rec[1])) == seq then redis.call('HDEL', kkey, rec[1]) end
  local slot = rec[5]
  if slot == 0 then return end
  local sk = skey(slot)
  local off = (slot % spb) * siglen
  local sig = redis.call('GETRANGE', sk, off, off + siglen - 1)
  for i = 0, nbands - 1 do
    local bk, field = bucket(sig, i)
    local list = redis.call('HGET', bk, field)
    if list == s then redis.call('HDEL', bk, field)
    elseif list then
      local kept = {}
      for x in string.gmatch(list, '%d+') do
        if x ~= s then kept[#kept + 1] = x end
      end
      if #kept == 0 then redis.call('HDEL', bk, field)
      else redis.call('HSET', bk, field, table.concat(kept, ',')) end
    end
  end
  local blk = str(floor(slot / spb))
  if redis.call('HINCRBY', live, blk, -1) <= 0 then
    redis.call('HDEL', live, blk)
    redis.call('DEL', sk)
  end
end
""".replace("RECORDS", str(_RECORDS_PER_HASH))

# ARGV[7]: min_equal; then per article from ARGV[8]: key, key shard, ts, sig.
# Returns {known, original key or ""} per article, flattened.
_CHECK_AND_INSERT = (
    _LUA_COMMON
    + """
local min_equal = tonumber(ARGV[7])
local n = siglen / 2
local function check_insert(key, kshard, ts, sig)
  local kkey = ns .. ':k:' .. kshard
  local known = redis.call('HGET', kkey, key)
  if known then
    local raw = redis.call('HGET', rkey(tonumber(known)), known)
    if raw then return 1, cmsgpack.unpack(raw)[3] end
  end
  local seq = redis.call('INCR', ns .. ':seq')
  local s = str(seq)
  -- Optimistic insert: most bands of a new text find their field empty, and one HSETNX both
  -- looks and inserts (half the calls of HGET then HSET). lists[i] is false where HSETNX
  -- inserted, true where an earlier band of this text did (same bucket), else the others'
  -- list as it was. A duplicate takes its inserted fields back below.
  local seen, cands, bks, fields, lists = {}, {}, {}, {}, {}
  for i = 0, nbands - 1 do
    local bk, field = bucket(sig, i)
    local list = false
    if redis.call('HSETNX', bk, field, s) == 0 then
      list = redis.call('HGET', bk, field)
      if list == s then list = true
      else
        for x in string.gmatch(list, '%d+') do
          if not seen[x] then seen[x] = true; cands[#cands + 1] = tonumber(x) end
        end
      end
    end
    bks[i + 1], fields[i + 1], lists[i + 1] = bk, field, list
  end
  table.sort(cands)
  local original = ''
  for _, cand in ipairs(cands) do
    local raw = redis.call('HGET', rkey(cand), str(cand))
    if raw then
      local rec = cmsgpack.unpack(raw)
      local off = (rec[5] % spb) * siglen
      local other = redis.call('GETRANGE', skey(rec[5]), off, off + siglen - 1)
      local equal, missing = 0, 0
      for i = 1, siglen, 2 do
        local a1, a2 = string.byte(sig, i, i + 1)
        local b1, b2 = string.byte(other, i, i + 1)
        if a1 == b1 and a2 == b2 then equal = equal + 1
        else
          missing = missing + 1
          if n - missing < min_equal then break end
        end
      end
      if equal >= min_equal then original = rec[1]; break end
    end
  end
  redis.call('HSET', kkey, key, s)
  if original ~= '' then
    for i = 1, nbands do
      if lists[i] == false then redis.call('HDEL', bks[i], fields[i]) end
    end
    redis.call('HSET', rkey(seq), s, cmsgpack.pack({key, ts, original, kshard, 0}))
    return 0, original
  end
  local slot = redis.call('HINCRBY', ns .. ':meta', 'slots', 1)
  local sk = skey(slot)
  if redis.call('HINCRBY', live, str(floor(slot / spb)), 1) == 1 then
    -- A new block is created at its full size: growing it by SETRANGE would let Redis
    -- preallocate up to twice the length.
    redis.call('SETRANGE', sk, str(spb * siglen - 1), '\\0')
  end
  redis.call('SETRANGE', sk, str((slot % spb) * siglen), sig)
  redis.call('HSET', rkey(seq), s, cmsgpack.pack({key, ts, '', kshard, slot}))
  -- The lists read above are still current (the script runs atomically); two bands of this
  -- text in one bucket holding others' list both write the same old list plus seq.
  for i = 1, nbands do
    local list = lists[i]
    if list and list ~= true then redis.call('HSET', bks[i], fields[i], list .. ',' .. s) end
  end
  return 0, ''
end
local out = {}
for at = 8, #ARGV, 4 do
  local known, original = check_insert(ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2]), ARGV[at + 3])
  out[#out + 1] = known
  out[#out + 1] = original
end
return out
"""
)

# ARGV[7..8]: key, key shard
_REMOVE = (
    _LUA_COMMON
    + """
local kkey = ns .. ':k:' .. ARGV[8]
local known = redis.call('HGET', kkey, ARGV[7])
if not known then return 0 end
local seq = tonumber(known)
local raw = redis.call('HGET', rkey(seq), known)
if raw then drop(seq, cmsgpack.unpack(raw)) end
redis.call('HDEL', kkey, ARGV[7])
return 1
"""
)

# ARGV[7..8]: cutoff ts, max steps. Walks seqs upward from `low`; stops at the first live
# entry that is still inside the window (arrival order is nearly time order).
_EXPIRE = (
    _LUA_COMMON
    + """
local cutoff, steps = tonumber(ARGV[7]), tonumber(ARGV[8])
local low = tonumber(redis.call('GET', ns .. ':low') or '1')
local top = tonumber(redis.call('GET', ns .. ':seq') or '0')
local removed, done = 0, 1
while low <= top do
  if steps <= 0 then done = 0; break end
  steps = steps - 1
  local raw = redis.call('HGET', rkey(low), str(low))
  if raw then
    local rec = cmsgpack.unpack(raw)
    if rec[2] >= cutoff then break end
    drop(low, rec)
    removed = removed + 1
  end
  low = low + 1
end
redis.call('SET', ns .. ':low', str(low))
return {removed, done}
"""
)


# ARGV[1..4]: ns, how many, slots per block, signature bytes. Reserves consecutive seqs and
# slots for a bulk load as that many check-and-inserts of originals would take them, counts
# the slots in `live` and creates new blocks at full size, all in one atomic step (a worker
# taking the next slot of the same block must see the block created). Returns first seq, slot.
_RESERVE = """
local ns, n, spb, siglen = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local function str(x) return string.format('%d', x) end
local seq = redis.call('INCRBY', ns .. ':seq', n) - n + 1
local slot = redis.call('HINCRBY', ns .. ':meta', 'slots', n) - n + 1
local last = slot + n - 1
for blk = math.floor(slot / spb), math.floor(last / spb) do
  local used = math.min(last, blk * spb + spb - 1) - math.max(slot, blk * spb) + 1
  if redis.call('HINCRBY', ns .. ':live', str(blk), used) == used then
    redis.call('SETRANGE', ns .. ':s:' .. str(blk), str(spb * siglen - 1), '\\0')
  end
end
return {seq, slot}
"""

# ARGV: (bucket key, field, seq) triples whose HSETNX found the field taken: appends seq to
# the list unless it is there already (two bands of one text in one bucket).
_APPEND = """
for i = 1, #ARGV, 3 do
  local list = redis.call('HGET', ARGV[i], ARGV[i + 1])
  if not list then redis.call('HSET', ARGV[i], ARGV[i + 1], ARGV[i + 2])
  else
    local present = false
    for x in string.gmatch(list, '%d+') do
      if x == ARGV[i + 2] then present = true; break end
    end
    if not present then redis.call('HSET', ARGV[i], ARGV[i + 1], list .. ',' .. ARGV[i + 2]) end
  end
end
return 0
"""


class NearDuplicateIndex:
    """MinHash + LSH stored in Redis so it survives restarts and is shared by every worker;
    entries expire after a window.

    `check_and_insert(key, text)` answers "which first-seen original does this text copy?"
    and records the answer in the same atomic step; asking again for the same key returns
    the same answer. `capacity` only sizes the shards (more entries still work, using more
    memory per entry); the layout is fixed when the namespace is first used. The default
    namespace carries the stored format, so an upgrade that changes the format starts a new
    index beside the old one (whose keys can be deleted) instead of refusing to start.
    """

    def __init__(
        self,
        redis: redis.Redis,
        *,
        namespace: str = f"newsmon:lsh{FORMAT}",
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
        self.slots_per_block = _BLOCK_BYTES // (2 * num_perm)
        self.layout = self._adopt_layout(layout)
        self._warn_if_not_compact()
        self._check = redis.register_script(_CHECK_AND_INSERT)
        self._remove = redis.register_script(_REMOVE)
        self._expire = redis.register_script(_EXPIRE)
        self._reserve = redis.register_script(_RESERVE)
        self._append = redis.register_script(_APPEND)

    def _adopt_layout(self, layout: MinHashLayout) -> MinHashLayout:
        """The layout already stored for this namespace; refuses incompatible signatures.

        A changed threshold keeps the stored bands and rows (the buckets depend on them)
        and only moves the verification threshold.
        """
        meta_key = f"{self.namespace}:meta"
        # `format` is written first, so a namespace that has `num_perm` without it predates
        # format 2 (even while another worker is creating the namespace right now).
        old_format, num_perm = self.redis.hmget(meta_key, ["format", "num_perm"])
        if num_perm is not None and int(old_format or 1) != FORMAT:
            raise ConfigError(
                f"dedup index {self.namespace!r} has stored format {int(old_format or 1)}, "
                f"this version reads format {FORMAT}: use another namespace or delete it"
            )
        wanted = {
            "format": FORMAT,
            "num_perm": layout.num_perm,
            "shingle_size": layout.shingle_size,
            "seed": layout.seed,
            "bands": layout.bands,
            "rows": layout.rows,
            "shard_bits": self.shard_bits,
            "key_shards": self.key_shards,
            "slots_per_block": self.slots_per_block,
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
        self.slots_per_block = stored["slots_per_block"]
        return MinHashLayout(
            layout.num_perm,
            layout.shingle_size,
            layout.threshold,
            layout.seed,
            bands=stored["bands"],
            rows=stored["rows"],
        )

    def _warn_if_not_compact(self) -> None:
        """Warn when the server keeps fewer or shorter hash fields compact than Redis's
        defaults: the index still works, but takes several times the memory per entry."""
        try:
            config = {
                **self.redis.config_get("hash-max-ziplist-entries"),
                **self.redis.config_get("hash-max-ziplist-value"),
            }
        except ResponseError:  # CONFIG is often disabled on managed Redis: nothing to check
            return
        values = {_text(k): int(_text(v)) for k, v in config.items()}
        entries = values.get("hash-max-ziplist-entries", values.get("hash-max-listpack-entries"))
        value = values.get("hash-max-ziplist-value", values.get("hash-max-listpack-value"))
        if (entries is not None and entries < _COMPACT_ENTRIES) or (
            value is not None and value < _COMPACT_VALUE
        ):
            log.warning(
                "Redis keeps hashes compact only up to %s entries of %s bytes; the dedup index "
                "needs %s and %s (the defaults) for its memory per entry",
                entries,
                value,
                _COMPACT_ENTRIES,
                _COMPACT_VALUE,
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
        args = [*self._common_args(), self.layout.min_equal, *self._item(key, signature, now)]
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
        """`check_and_insert_many` for signatures already in their stored form (bulk loads):
        one script call per chunk of articles, all chunks in one pipeline."""
        head = [*self._common_args(), self.layout.min_equal]
        pipe = self.redis.pipeline(transaction=False)
        chunk: list[Any] = []
        for key, enc in items:
            chunk += self._item(key, enc, now)
            if len(chunk) == 4 * _BULK_CHUNK:
                self._check(args=[*head, *chunk], client=pipe)
                chunk = []
        if chunk:
            self._check(args=[*head, *chunk], client=pipe)
        flat = [value for reply in pipe.execute() for value in reply]
        return [_text(original) or None for original in flat[1::2]]

    def bulk_load(self, entries: Iterable[tuple[str, np.ndarray | Encoded, float]]) -> int:
        """Store (key, signature, ts) entries as originals, in the given order; returns how
        many were new. For loading many at once, e.g. rebuilding the index from the stored
        originals after losing Redis: ts is the article's time, so expiry works as usual.

        Nothing is decided: every entry becomes an original with the next sequence number
        and its buckets, exactly as check_and_insert would store it had it found no original,
        even if an entry nearly duplicates another one loaded or stored before. A caller that
        cannot guarantee the entries are distinct originals uses check_and_insert_many. A key
        already in the index (or repeated in `entries`) keeps its place and answer and is
        skipped. After the load, check_and_insert finds these originals as it finds any other.

        Plain pipelined commands in rounds of thousands, not one script per article, so the
        load is not atomic: run it while no worker checks the same keys and no expire() runs
        (an expiry pass could step over sequence numbers reserved but not yet written).
        Checks by other workers meanwhile are safe but may miss originals not loaded yet.
        """
        loaded = 0
        chunk: list[tuple[str, Encoded, float]] = []
        for key, signature, ts in entries:
            enc = signature if isinstance(signature, Encoded) else self.layout.encode(signature)
            chunk.append((key, enc, float(ts)))
            if len(chunk) == _LOAD_CHUNK:
                loaded += self._load_chunk(chunk)
                chunk = []
        if chunk:
            loaded += self._load_chunk(chunk)
        return loaded

    def _load_chunk(self, chunk: list[tuple[str, Encoded, float]]) -> int:
        ns = self.namespace
        shards = {key: str(self._key_shard(key)) for key, _enc, _ts in chunk}
        pipe = self.redis.pipeline(transaction=False)
        for key, kshard in shards.items():
            pipe.hget(f"{ns}:k:{kshard}", key)
        known = {key for key, seq in zip(shards, pipe.execute(), strict=True) if seq is not None}
        fresh, taken = [], set(known)
        for key, enc, ts in chunk:
            if key not in taken:
                taken.add(key)
                fresh.append((key, enc, ts))
        if not fresh:
            return 0
        siglen, spb = 2 * self.layout.num_perm, self.slots_per_block
        first_seq, first_slot = (int(x) for x in self._reserve(args=[ns, len(fresh), spb, siglen]))
        seqs = range(first_seq, first_seq + len(fresh))
        sigs = np.frombuffer(b"".join(enc.sig for _k, enc, _t in fresh), dtype=np.uint8)
        sigs = sigs.reshape(len(fresh), siglen)
        # Signatures first, then records, then buckets: a worker checking meanwhile that finds
        # a loaded original in a bucket can read its record and signature.
        commands, replies = [], []
        block_bytes = b":%d\r\n" % (spb * siglen)
        slot = first_slot
        while slot < first_slot + len(fresh):
            upto = min(first_slot + len(fresh), (slot // spb + 1) * spb)
            data = sigs[slot - first_slot : upto - first_slot].tobytes()
            offset = b"%d" % ((slot % spb) * siglen)
            commands.append(
                bulk.resp(b"SETRANGE", b"%s:s:%d" % (ns.encode(), slot // spb), offset, data)
            )
            replies.append(block_bytes)
            slot = upto
        for i, (key, _enc, ts) in enumerate(fresh):
            seq, kshard = seqs[i], shards[key]
            record = bulk.pack_record(key, ts, kshard, first_slot + i)
            rkey = b"%s:r:%d" % (ns.encode(), seq // _RECORDS_PER_HASH)
            commands.append(bulk.resp(b"HSET", rkey, b"%d" % seq, record))
            commands.append(
                bulk.resp(b"HSET", f"{ns}:k:{kshard}".encode(), key.encode(), b"%d" % seq)
            )
        layout = self.layout
        shard_bytes, fields = bulk.bucket_coordinates(
            sigs, layout.bands, layout.rows, self.shard_bits
        )
        commands.append(bulk.hsetnx_commands(f"{ns}:b:".encode(), shard_bytes, fields, seqs))
        taken_fields = self._send_raw(
            commands, b"".join(replies), 2 * len(fresh) + fields.shape[0] * fields.shape[1]
        )
        hsetnx_taken = taken_fields[2 * len(fresh) :]
        collided = np.flatnonzero(hsetnx_taken)
        if len(collided):
            prefix = f"{ns}:b:".encode()
            args: list[bytes] = []
            for flat in collided.tolist():
                entry, band = divmod(flat, layout.bands)
                args += [
                    prefix + shard_bytes[entry, band].tobytes(),
                    fields[entry, band].tobytes(),
                    b"%d" % seqs[entry],
                ]
            pipe = self.redis.pipeline(transaction=False)
            for at in range(0, len(args), 3 * 1000):
                self._append(args=args[at : at + 3 * 1000], client=pipe)
            pipe.execute()
        return len(fresh)

    def _send_raw(self, commands: list[bytes], exact: bytes, flags: int) -> np.ndarray:
        """Send packed commands on one connection and check their replies: first `exact`
        byte for byte, then `flags` integer replies of 0 or 1; returns which of those were 0.

        Reading the replies byte by byte instead of through redis-py's parser is what makes
        the bulk path fast: parsing ~130k replies per round costs several times what Redis
        takes to execute the commands. Every reply expected here is `:0` or `:1` (4 bytes),
        and an error reply is longer, so the count of bytes to read is known in advance.
        """
        pool = self.redis.connection_pool
        conn = pool.get_connection()
        try:
            conn.send_packed_command(commands)
            want = len(exact) + 4 * flags
            buf = bytearray(want)
            view, got = memoryview(buf), 0
            # The socket itself: redis-py's public reading is its parser, one reply at a time.
            sock = conn._sock  # type: ignore[attr-defined]
            if sock is None:
                raise RedisConnectionError("no connection for a bulk load")
            while got < want:
                n = sock.recv_into(view[got:])
                if not n:
                    raise RedisConnectionError("Redis closed the connection during a bulk load")
                got += n
            if bytes(buf[: len(exact)]) != exact:
                raise ResponseError(f"bulk load: unexpected reply {bytes(buf[:200])!r}")
            flat = np.frombuffer(buf, dtype=np.uint8, offset=len(exact)).reshape(flags, 4)
            wrong = (
                (flat[:, 0] != ord(":"))
                | ~np.isin(flat[:, 1], (ord("0"), ord("1")))
                | (flat[:, 2] != 13)
                | (flat[:, 3] != 10)
            )
            if wrong.any():
                bad = int(np.flatnonzero(wrong)[0])
                raise ResponseError(f"bulk load: unexpected reply {flat[bad:].tobytes()[:200]!r}")
        except BaseException:
            conn.disconnect()  # replies may be left unread: the connection is out of step
            raise
        finally:
            pool.release(conn)
        return flat[:, 1] == ord("0")

    def _common_args(self) -> list[Any]:
        layout = self.layout
        return [
            self.namespace,
            self.shard_bits,
            layout.rows,
            self.slots_per_block,
            layout.bands,
            2 * layout.num_perm,
        ]

    def _item(self, key: str, signature: np.ndarray | Encoded, now: float | None) -> list[Any]:
        enc = signature if isinstance(signature, Encoded) else self.layout.encode(signature)
        return [key, self._key_shard(key), _now(now), enc.sig]

    def remove(self, key: str) -> None:
        """Forget `key` (its buckets too); duplicates that pointed at it keep their answer."""
        self._remove(args=[*self._common_args(), key, self._key_shard(key)])

    def expire(self, now: float | None = None) -> int:
        """Drop entries older than the window; returns how many. Runs in short steps so
        Redis never blocks for long."""
        cutoff = _now(now) - self.window_seconds
        total = 0
        while True:
            args: list[Any] = [*self._common_args(), cutoff, _EXPIRE_BATCH]
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
