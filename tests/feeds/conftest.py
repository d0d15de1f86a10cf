"""Fixtures for the fetch tests: the scripted local server from fetchserver.py."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer
from fetchserver import ScriptedServer, build_app


@pytest.fixture
async def server() -> AsyncIterator[ScriptedServer]:
    scripted = ScriptedServer(base="")
    test_server = TestServer(build_app(scripted), host="127.0.0.1")
    await test_server.start_server()
    scripted.base = str(test_server.make_url("")).rstrip("/")
    try:
        yield scripted
    finally:
        await test_server.close()
