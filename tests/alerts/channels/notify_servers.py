"""Real receivers for the channel tests: an aiohttp app served on 127.0.0.1 in its own thread.

Channels are synchronous (Celery calls them so), so the receiver runs on its own event loop
in a background thread and the tests call `send` exactly as a worker does.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class ThreadedServer:
    """An aiohttp application on 127.0.0.1:<free port>, stopped by `close()`."""

    app: web.Application
    received: list[Received] = field(default_factory=list)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    def start(self) -> ThreadedServer:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("receiver did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start_site())
        ready.set()
        self._loop.run_forever()

    async def _start_site(self) -> None:
        self._runner = web.AppRunner(self.app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _shutdown(self) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
        # Handlers still sleeping (the slow receiver) would otherwise die with the loop.
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def record(self, request: web.Request, body: bytes) -> None:
        with self._arrived:
            self.received.append(Received(request.path, dict(request.headers), body))
            self._arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"expected {count} requests, got {len(self.received)}")
            return list(self.received)

    def close(self) -> None:
        assert self._loop is not None and self._runner is not None
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        assert self._thread is not None
        self._thread.join(10)
        self._loop.close()


def recording(server_ref: list[ThreadedServer], respond: Callable[..., Any]):
    """A handler that records the request, then answers with `respond(request, body)`."""

    async def handler(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        server_ref[0].record(request, body)
        result = respond(request, body)
        return await result if asyncio.iscoroutine(result) else result

    return handler


def serve_routes(routes: Mapping[str, Callable[..., Any]]) -> Iterator[ThreadedServer]:
    """A recording receiver answering POSTs on each path with its `respond`, until closed
    (for a fixture: `yield from serve_routes(ROUTES)`)."""
    app = web.Application()
    ref: list[ThreadedServer] = []
    for path, respond in routes.items():
        app.router.add_post(path, recording(ref, respond))
    server = ThreadedServer(app)
    ref.append(server)
    yield server.start()
    server.close()
