"""The row types code outside the store may name (in type hints, reading attributes), and
rows as plain dicts: the named columns of a row, with times as ISO text for JSON."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

# Named here so that nothing outside the store imports the tables module: rows are returned
# by store functions and read by attribute; queries on them stay in the store.
from pipeline.store.tables import ActorRow as ActorRow
from pipeline.store.tables import AlertRow as AlertRow
from pipeline.store.tables import ApiKey as ApiKey
from pipeline.store.tables import Article as Article
from pipeline.store.tables import ClaimRow as ClaimRow
from pipeline.store.tables import DeliveryRow as DeliveryRow
from pipeline.store.tables import Feed as Feed
from pipeline.store.tables import Story as Story
from pipeline.store.tables import Subscription as Subscription


def row_values(row: Any, columns: Iterable[str]) -> dict[str, Any]:
    """`columns` of `row` by name, values as stored (times stay datetimes)."""
    return {name: getattr(row, name) for name in columns}


def row_json(row: Any, columns: Iterable[str]) -> dict[str, Any]:
    """`columns` of `row` by name, times as ISO 8601 text (None stays None)."""
    return {
        k: v.isoformat() if isinstance(v, datetime) else v
        for k, v in row_values(row, columns).items()
    }
