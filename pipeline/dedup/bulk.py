"""The wire form of a bulk load into the near-duplicate index: records, bucket coordinates and
pipelined Redis commands built in bulk (pure, no I/O; NearDuplicateIndex.bulk_load sends them)."""

from __future__ import annotations

import struct

import numpy as np

# Bucket shard of band i: its first 3 bytes as an integer + i * _BAND_SALT (as in the Lua).
_BAND_SALT = 40503


def resp(*args: bytes) -> bytes:
    """One Redis command in the wire protocol (RESP)."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


def pack_record(key: str, ts: float, kshard: str, slot: int) -> bytes:
    """The msgpack record [key, ts, "", key shard, slot] of an original, byte for byte as the
    check-and-insert script's cmsgpack.pack writes it (so either path reads the other's)."""
    return b"\x95" + _str(key) + _number(ts) + b"\xa0" + _str(kshard) + _number(slot)


def _str(text: str) -> bytes:
    raw = text.encode()
    n = len(raw)
    if n < 32:
        return bytes([0xA0 | n]) + raw
    if n <= 0xFF:
        return b"\xd9" + bytes([n]) + raw
    if n <= 0xFFFF:
        return b"\xda" + struct.pack(">H", n) + raw
    return b"\xdb" + struct.pack(">I", n) + raw


def _number(value: float) -> bytes:
    # cmsgpack stores a Lua number that is a whole number as the shortest integer, any other
    # as a float when that is exact, else as a double.
    if float(value).is_integer() and -(2**63) <= value < 2**63:
        n = int(value)
        if 0 <= n <= 0x7F:
            return bytes([n])
        if n >= 0:
            for tag, fmt, top in (
                (0xCC, ">B", 0xFF),
                (0xCD, ">H", 0xFFFF),
                (0xCE, ">I", 2**32 - 1),
            ):
                if n <= top:
                    return bytes([tag]) + struct.pack(fmt, n)
            return b"\xcf" + struct.pack(">Q", n)
        if n >= -32:
            return struct.pack(">b", n)
        for tag, fmt, low in (
            (0xD0, ">b", -(2**7)),
            (0xD1, ">h", -(2**15)),
            (0xD2, ">i", -(2**31)),
        ):
            if n >= low:
                return bytes([tag]) + struct.pack(fmt, n)
        return b"\xd3" + struct.pack(">q", n)
    single = struct.pack(">f", value)
    if struct.unpack(">f", single)[0] == value:
        return b"\xca" + single
    return b"\xcb" + struct.pack(">d", value)


def bucket_coordinates(
    sigs: np.ndarray, bands: int, rows: int, bits: int
) -> tuple[np.ndarray, np.ndarray]:
    """(shards, fields) of every band of every signature, as the Lua's `bucket` computes them.

    `sigs` is an (n, signature bytes) uint8 array; shards is (n, bands, 3) uint8 (the shard
    number spelt as 3 big-endian bytes), fields is (n, bands, field bytes) uint8: bytes 4-7 of
    each band, fewer for bands shorter than 7 bytes.
    """
    n = sigs.shape[0]
    width = 2 * rows
    band = sigs[:, : bands * width].reshape(n, bands, width).astype(np.int64)
    first = band[:, :, 0] << 16 | band[:, :, 1] << 8
    if width > 2:
        first |= band[:, :, 2]
    shard = (first + np.arange(bands, dtype=np.int64) * _BAND_SALT) % (1 << bits)
    shards = np.stack([shard >> 16, (shard >> 8) & 0xFF, shard & 0xFF], axis=2).astype(np.uint8)
    fields = sigs[:, : bands * width].reshape(n, bands, width)[:, :, 3 : min(7, width)]
    return shards, np.ascontiguousarray(fields)


def hsetnx_commands(prefix: bytes, shards: np.ndarray, fields: np.ndarray, seqs: range) -> bytes:
    """`HSETNX prefix+shard field seq` for every band of every signature, in order (entry by
    entry, band by band), built as one array: at bulk sizes these are almost all the commands,
    and packing them one at a time in Python would cost more than Redis takes to run them."""
    n = fields.shape[0]
    out = []
    # Only the spelling of seq varies in length; a chunk holds at most a few lengths.
    start = 0
    while start < n:
        digits = len(str(seqs[start]))
        stop = start
        while stop < n and len(str(seqs[stop])) == digits:
            stop += 1
        out.append(_hsetnx_block(prefix, shards[start:stop], fields[start:stop], seqs[start:stop]))
        start = stop
    return b"".join(out)


def _hsetnx_block(prefix: bytes, shards: np.ndarray, fields: np.ndarray, seqs: range) -> bytes:
    n, bands, flen = fields.shape
    digits = len(str(seqs[0]))
    key_len = len(prefix) + 3
    head = b"*4\r\n$6\r\nHSETNX\r\n$%d\r\n%s" % (key_len, prefix)
    mid = b"\r\n$%d\r\n" % flen
    tail = b"\r\n$%d\r\n" % digits
    template = head + b"\0\0\0" + mid + b"\0" * flen + tail + b"\0" * digits + b"\r\n"
    at_shard = len(head)
    at_field = at_shard + 3 + len(mid)
    at_seq = at_field + flen + len(tail)
    cmds = np.empty((n, bands, len(template)), dtype=np.uint8)
    cmds[:] = np.frombuffer(template, dtype=np.uint8)
    cmds[:, :, at_shard : at_shard + 3] = shards
    cmds[:, :, at_field : at_field + flen] = fields
    spelt = np.frombuffer("".join(str(s) for s in seqs).encode(), dtype=np.uint8)
    cmds[:, :, at_seq : at_seq + digits] = spelt.reshape(n, 1, digits)
    return cmds.tobytes()
