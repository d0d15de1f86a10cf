"""Liveness of long-running processes (poller, scheduler) as expiring keys in Redis."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import redis

KEY = "newsmon:heartbeat:{role}:{host}"


def key(role: str, host: str | None = None) -> str:
    return KEY.format(role=role, host=host or socket.gethostname())


def beat(client: redis.Redis, role: str, ttl: float = 60.0) -> None:
    """Say this process is alive for `ttl` seconds."""
    with contextlib.suppress(redis.RedisError):
        client.set(key(role), str(time.time()), px=int(ttl * 1000))


def is_alive(client: redis.Redis, role: str, host: str | None = None) -> bool:
    """True when `role` on `host` (default: this host) has beaten within its ttl."""
    return bool(client.exists(key(role, host)))


def start_thread(client: redis.Redis, role: str, every: float = 10.0) -> threading.Event:
    """Beat from a daemon thread until the returned event is set."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            beat(client, role, ttl=every * 6)
            stop.wait(every)

    threading.Thread(target=loop, name=f"heartbeat-{role}", daemon=True).start()
    return stop
