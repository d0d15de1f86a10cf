"""Health checks per role, used by `newsmon health` in container health checks."""

from __future__ import annotations

import json
import socket
import urllib.request

from pipeline.settings import Settings
from workers import heartbeat
from workers.deps import redis_client
from workers.queue.app import app


def check(
    settings: Settings, role: str, *, url: str | None = None, queue: str | None = None
) -> tuple[bool, str]:
    """(healthy, one line saying why) for `role` on this host."""
    checks = {"api": _api, "worker": _worker, "poller": _beating, "scheduler": _beating}
    if role not in checks:
        return False, f"unknown role {role!r} (known: {', '.join(checks)})"
    return checks[role](settings, role, url, queue)


def _api(settings: Settings, role: str, url: str | None, queue: str | None) -> tuple[bool, str]:
    base = url or f"http://{settings.api_host}:{settings.api_port}"
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as resp:
            return resp.status == 200 and json.load(resp).get("status") == "ok", f"api {base}: ok"
    except OSError as exc:
        return False, f"api {base}: {exc}"


def _worker(settings: Settings, role: str, url: str | None, queue: str | None) -> tuple[bool, str]:
    host = socket.gethostname()
    replies = app.control.inspect(timeout=5).active_queues() or {}
    mine = {
        name: {q["name"] for q in qs} for name, qs in replies.items() if name.endswith(f"@{host}")
    }
    if not mine:
        return False, f"no worker on {host} answered"
    if queue and not any(queue in qs for qs in mine.values()):
        return False, f"no worker on {host} consumes queue {queue}"
    return True, f"workers on {host}: {', '.join(sorted(mine))}"


def _beating(settings: Settings, role: str, url: str | None, queue: str | None) -> tuple[bool, str]:
    alive = heartbeat.is_alive(redis_client(settings.redis_url or ""), role)
    return alive, f"{role} on {socket.gethostname()}: {'alive' if alive else 'no recent heartbeat'}"
