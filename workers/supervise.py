"""Runs newsmon's processes as supervised children with merged, labelled logs and a bounded stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO


@dataclass
class Child:
    """One supervised process: a label, its argv, and the Popen once started."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0


def newsmon_argv(*args: str) -> list[str]:
    """argv that runs a newsmon subcommand with this interpreter (no PATH needed)."""
    return [sys.executable, "-m", "workers.cli", *args]


class Supervisor:
    """Starts children, prefixes their output with `[label]`, restarts any that die, stops all."""

    def __init__(self, out: IO[str] | None = None, restart: bool = True) -> None:
        self.children: list[Child] = []
        self.out = out or sys.stdout
        self.restart = restart
        self._lock = threading.Lock()
        self._stopping = False

    def add(self, label: str, argv: Sequence[str], env: dict[str, str] | None = None) -> Child:
        child = Child(label, list(argv), dict(env or {}))
        self.children.append(child)
        return child

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        env = {**os.environ, **child.env, "PYTHONUNBUFFERED": "1"}
        # Own process group: the terminal's Ctrl-C reaches only the supervisor, which then
        # stops children in order (workers before Redis) instead of all at once.
        child.process = subprocess.Popen(
            child.argv,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        threading.Thread(target=self._pump, args=(child, child.process), daemon=True).start()

    def _pump(self, child: Child, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        width = max(len(c.label) for c in self.children)
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            with self._lock:
                print(f"[{child.label:<{width}}] {line}", file=self.out, flush=True)

    def watch(self, should_stop: Callable[[], bool], poll: float = 0.5) -> None:
        """Block until `should_stop()`; restart children that exit on their own meanwhile."""
        while not should_stop():
            for child in self.children:
                if child.process and child.process.poll() is not None and not self._stopping:
                    code = child.process.returncode
                    self._say(f"{child.label} exited with code {code}")
                    if self.restart:
                        child.restarts += 1
                        time.sleep(min(30, 2**child.restarts) / 10)
                        self._say(f"restarting {child.label} (restart {child.restarts})")
                        self._spawn(child)
            time.sleep(poll)

    def _say(self, message: str) -> None:
        with self._lock:
            print(f"[newsmon] {message}", file=self.out, flush=True)

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
