"""What a person sees on `newsmon run`'s console: children's warnings and errors in one line
each (repeats held back), and a status line of what the service did in the last minute."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

SHOWN_LEVELS = {"warning", "error", "critical", "exception"}
# Keys that say what a warning is about and why, in the order a reader wants them.
CAUSE_KEYS = ("error", "reason", "detail", "exception")
ID_KEYS = ("feed_id", "article_id", "subscription_id", "delivery_id", "url")
REPEAT_WINDOW = 3600.0


@dataclass
class LineFilter:
    """Turns one child's output lines into console lines, or None for chatter.

    JSON log lines at warning or above become `HH:MM:SS role level: event - cause (ids)`;
    a raw traceback becomes its final `SomeError: message` line. The same event about the
    same thing is shown once per `repeat_window` seconds.
    """

    repeat_window: float = REPEAT_WINDOW
    _seen: dict[tuple[str, ...], float] = field(default_factory=dict)
    _in_traceback: dict[str, bool] = field(default_factory=dict)

    def feed(self, label: str, line: str) -> str | None:
        if line.startswith("{"):
            try:
                event = json.loads(line)
            except ValueError:
                event = None
            if isinstance(event, dict):
                return self._event(label, event)
        return self._raw(label, line)

    def _event(self, label: str, event: dict[str, Any]) -> str | None:
        level = str(event.get("level", "info")).lower()
        if level not in SHOWN_LEVELS:
            return None
        name = str(event.get("event", ""))
        cause = next((str(event[k]) for k in CAUSE_KEYS if event.get(k)), "")
        cause = cause.strip().splitlines()[-1] if cause.strip() else ""
        ids = [f"{k}={event[k]}" for k in ID_KEYS if event.get(k) is not None]
        key = (label, name, *ids)
        if self._repeated(key):
            return None
        text = f"{_clock()} {label} {level}: {name}"
        if cause:
            text += f" - {cause}"
        if ids:
            text += f" ({', '.join(ids)})"
        return text

    def _raw(self, label: str, line: str) -> str | None:
        if line.startswith("Traceback (most recent call last)"):
            self._in_traceback[label] = True
            return None
        if not self._in_traceback.get(label) or line[:1] in (" ", "\t") or not line:
            return None
        self._in_traceback[label] = False
        if self._repeated((label, "traceback", line)):
            return None
        return f"{_clock()} {label} error: {line}"

    def _repeated(self, key: tuple[str, ...]) -> bool:
        now = time.monotonic()
        last = self._seen.get(key)
        if last is not None and now - last < self.repeat_window:
            return True
        self._seen[key] = now
        return False


def _clock() -> str:
    return time.strftime("%H:%M:%S")


@dataclass(frozen=True)
class Snapshot:
    """Counters and totals at one moment, read from Redis and the database."""

    counters: dict[str, int]
    feeds: int
    feeds_failing: int
    processed: int
    queued: int


def status_line(before: Snapshot, now: Snapshot, seconds: float = 60.0) -> str:
    """`status (last minute): feeds 3 polled, 1 failing · articles 4 in, ...` from two snapshots."""

    def delta(name: str) -> int:
        return max(0, now.counters.get(name, 0) - before.counters.get(name, 0))

    span = (
        "last minute"
        if round(seconds) == 60
        else f"last {seconds:.0f} s"
        if seconds < 120
        else f"last {seconds / 60:.0f} min"
    )
    return (
        f"{_clock()} status ({span}): "
        f"feeds {delta('feed_polls')} polled, {now.feeds_failing} of {now.feeds} failing · "
        f"articles {delta('articles_ingested')} in, {max(0, now.processed - before.processed)} "
        f"processed, {delta('duplicates')} duplicates, {delta('articles_failed')} failed · "
        f"claims {delta('claims')} · "
        f"alerts {delta('deliveries_sent')} sent, {delta('deliveries_failed')} failed · "
        f"queue {now.queued}"
    )
