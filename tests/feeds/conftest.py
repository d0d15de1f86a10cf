"""Fixtures for the fetch tests: the scripted local server from fetchserver.py."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fetchserver import ScriptedServer, build_app, serving


@pytest.fixture
async def server() -> AsyncIterator[ScriptedServer]:
    async with serving(build_app) as scripted:
        yield scripted
