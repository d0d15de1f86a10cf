"""A real API server (uvicorn on 127.0.0.1:<free port>, in a thread) over SQLite and Redis db 12."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from pipeline.settings import Settings
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from tests.conftest import flushed_db, make_settings, wait_for
from workers.deps import Deps
from workers.process.runtime import prepare
from workers.queue.app import configure
from workers.web import create_app

API_DB = 12


@dataclass
class Api:
    url: str
    settings: Settings
    deps: Deps

    def key(self, owner: str) -> str:
        with transaction(self.deps.sessions) as session:
            return alert_store.create_api_key(session, owner)

    def client(self, owner: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"X-API-Key": self.key(owner)} if owner else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10, **kwargs)  # type: ignore[arg-type]


class ThreadedUvicorn:
    """uvicorn serving an app on a free loopback port until `stop()`."""

    def __init__(self, app: object) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> str:
        self.thread.start()
        wait_for(lambda: self.server.started, 10, what="uvicorn started")
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def api_redis_url(redis_server: str) -> Iterator[str]:
    yield from flushed_db(redis_server, API_DB)


@pytest.fixture
def api_factory(tmp_path: Path, api_redis_url: str) -> Iterator[Callable[..., Api]]:
    servers: list[tuple[ThreadedUvicorn, Deps]] = []

    def start(**overrides: object) -> Api:
        base = {"redis_url": api_redis_url, "alerts_allow_loopback": True}
        settings = make_settings(tmp_path, **{**base, **overrides})
        deps = Deps(settings)
        prepare(deps)
        configure(settings)
        app = create_app(settings)
        server = ThreadedUvicorn(app)
        url = server.start()
        servers.append((server, app.state.deps))
        deps.close()
        return Api(url, settings, app.state.deps)

    yield start
    for server, deps in servers:
        server.stop()
        deps.close()


@pytest.fixture
def api(api_factory: Callable[..., Api]) -> Api:
    return api_factory()
