"""Shared fixtures for extraction tests: one Extractor per test session (the model loads once),
and a migrated store on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from pipeline.catalog import load_actors
from pipeline.extract import Extractor
from pipeline.store.db import make_engine, make_sessionmaker, migrate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(load_actors(ROOT / "config" / "entities.yaml"))


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    migrate(database_url)
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()
