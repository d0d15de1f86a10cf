"""Runs newsmon's processes as supervised children: per-role log files, a bounded stop, and
restarts with back-off that give up (and say why) when a child cannot start."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from workers.process.console import LineFilter

LOG_BYTES = 10 * 1024 * 1024
LOG_BACKUPS = 5
TAIL_LINES = 40


@dataclass
class Child:
    """One supervised process: a label, its argv, and the Popen once started."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = 0.0
    failed_starts: int = 0
    restart_at: float | None = None
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    log: RotatingFileHandler | None = None


class CrashLoop(Exception):
    """A child kept exiting soon after it started; the supervisor gave up on it."""

    def __init__(self, child: Child, code: int | None, log_path: Path | None) -> None:
        self.child, self.code, self.log_path = child, code, log_path
        super().__init__(self.explain())

    def explain(self) -> str:
        """One paragraph for a person: who failed, how, its last error lines, what to try."""
        lines = [line for line in self.child.tail if line.strip()]
        last = _last_error_lines(lines)
        where = f" Its full log: {self.log_path}." if self.log_path else ""
        return (
            f"{self.child.label} could not start: it exited (code {self.code}) "
            f"{self.child.failed_starts} times in a row within seconds of starting, so newsmon "
            f"stopped.{where}\nLast lines:\n"
            + "\n".join(f"    {line}" for line in last)
            + f"\nHint: {_hint(lines)}"
        )


def _last_error_lines(lines: list[str], n: int = 6) -> list[str]:
    """The lines that explain an exit: a traceback's end, else the errors logged, else the
    tail; structured (JSON) lines are shown as `level: event` and their exception."""
    readable = [r for line in lines for r in _readable(line)]
    for i in range(len(readable) - 1, -1, -1):
        if readable[i].startswith("Traceback"):
            return readable[i:][-n:]
    errors = [r for r in readable if r.startswith(("error:", "critical:"))]
    return (errors or readable)[-n:] or ["(it printed nothing)"]


def _readable(line: str) -> list[str]:
    if not line.startswith("{"):
        return [line]
    try:
        event = json.loads(line)
    except ValueError:
        return [line]
    if not isinstance(event, dict):
        return [line]
    shown = [f"{event.get('level', 'info')}: {event.get('event', '')}"]
    exception = str(event.get("exception") or "").strip()
    return shown + exception.splitlines()[-3:] if exception else shown


def _hint(lines: list[str]) -> str:
    text = "\n".join(lines)
    if "ImportError" in text or "ModuleNotFoundError" in text:
        return (
            "a package is missing or broken in this environment; reinstall from the lock "
            "file: .venv/bin/pip install -r requirements.lock -e ."
        )
    if "OperationalError" in text or "could not connect" in text.lower():
        return "a server it needs is not answering; check NEWSMON_DATABASE_URL, NEWSMON_REDIS_URL."
    if "address already in use" in text.lower():
        return "its port is taken by another process; set NEWSMON_API_PORT or stop that process."
    return "run it alone to see the whole error, e.g. `newsmon worker` or `newsmon api`."


def newsmon_argv(*args: str) -> list[str]:
    """argv that runs a newsmon subcommand with this interpreter (no PATH needed)."""
    return [sys.executable, "-m", "workers.cli.main", *args]


class Supervisor:
    """Starts children, writes their output to `<log_dir>/<label>.log`, restarts those that
    die, and stops all.

    `verbose` prints every child line labelled, as before; otherwise only warnings and
    errors reach `out`, one line each. A child that exits within `quick_exit` seconds of
    starting is a failed start: it is restarted after 1, 2, 4 ... seconds, and after
    `max_failed_starts` in a row `watch` raises CrashLoop.
    """

    def __init__(
        self,
        out: IO[str] | None = None,
        restart: bool = True,
        *,
        log_dir: Path | None = None,
        verbose: bool = True,
        quick_exit: float = 30.0,
        max_failed_starts: int = 3,
    ) -> None:
        self.children: list[Child] = []
        self.out = out or sys.stdout
        self.restart = restart
        self.log_dir = log_dir
        self.verbose = verbose
        self.quick_exit = quick_exit
        self.max_failed_starts = max_failed_starts
        self._lock = threading.Lock()
        self._stopping = False
        self._filter = LineFilter()

    def add(self, label: str, argv: Sequence[str], env: dict[str, str] | None = None) -> Child:
        child = Child(label, list(argv), dict(env or {}))
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            child.log = RotatingFileHandler(
                self.log_dir / f"{label}.log",
                maxBytes=LOG_BYTES,
                backupCount=LOG_BACKUPS,
                encoding="utf-8",
            )
        self.children.append(child)
        return child

    def log_path(self, child: Child) -> Path | None:
        return None if self.log_dir is None else self.log_dir / f"{child.label}.log"

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        env = {**os.environ, **child.env, "PYTHONUNBUFFERED": "1"}
        if not self.verbose:
            # Structured lines let the supervisor tell warnings from chatter.
            env["NEWSMON_LOG_FORMAT"] = "json"
        # Own process group: the terminal's Ctrl-C reaches only the supervisor, which then
        # stops children in order (workers before Redis) instead of all at once.
        child.process = subprocess.Popen(
            child.argv,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        child.started_at = time.monotonic()
        child.restart_at = None
        threading.Thread(target=self._pump, args=(child, child.process), daemon=True).start()

    def _pump(self, child: Child, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        width = max(len(c.label) for c in self.children)
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            child.tail.append(line)
            if child.log is not None:
                # The handler rotates the file and flushes each line.
                child.log.emit(logging.makeLogRecord({"msg": line}))
            if self.verbose:
                self._print(f"[{child.label:<{width}}] {line}")
            elif (shown := self._filter.feed(child.label, line)) is not None:
                self._print(shown)

    def _print(self, text: str) -> None:
        with self._lock:
            print(text, file=self.out, flush=True)

    def watch(self, should_stop: Callable[[], bool], poll: float = 0.5) -> None:
        """Block until `should_stop()`; restart children that exit on their own meanwhile.

        Raises CrashLoop when a child failed to start `max_failed_starts` times in a row.
        """
        while not should_stop():
            now = time.monotonic()
            for child in self.children:
                if self._stopping or child.process is None:
                    continue
                if child.restart_at is not None:
                    if now >= child.restart_at:
                        self._say(f"restarting {child.label} (restart {child.restarts})")
                        self._spawn(child)
                    continue
                if child.process.poll() is not None:
                    self._exited(child, now)
            time.sleep(poll)

    def _exited(self, child: Child, now: float) -> None:
        assert child.process is not None
        code = child.process.returncode
        child.process.wait()
        quick = now - child.started_at < self.quick_exit
        child.failed_starts = child.failed_starts + 1 if quick else 0
        if quick and child.failed_starts >= self.max_failed_starts:
            raise CrashLoop(child, code, self.log_path(child))
        self._say(f"{child.label} exited with code {code}")
        if not self.restart:
            return
        child.restarts += 1
        child.restart_at = now + (2 ** (child.failed_starts - 1) if quick else 1.0)

    def _say(self, message: str) -> None:
        self._print(f"[newsmon] {message}")

    def alive(self) -> list[str]:
        return [c.label for c in self.children if c.process and c.process.poll() is None]

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM every child (Celery finishes or requeues its tasks), SIGKILL after `timeout`."""
        self._stopping = True
        running = [c for c in self.children if c.process and c.process.poll() is None]
        for child in running:
            assert child.process is not None
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._say(f"{child.label} did not stop in {timeout:.0f}s; killing it")
                os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait()
        for child in self.children:
            if child.log is not None:
                child.log.close()
