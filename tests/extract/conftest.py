"""Shared fixtures for extraction tests: one Extractor per test session (the model loads once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalog import load_actors
from pipeline.extract import Extractor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(load_actors(ROOT / "config" / "entities.yaml"))
