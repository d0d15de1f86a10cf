"""A feed's health in words, from its stored row: state, last success and error, next check,
items per day (the API's and the dashboard's feed lists)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pipeline.models import parse_item_times, publishing_interval
from pipeline.store.browse import Page
from pipeline.store.rows import Feed, row_json

COLUMNS = ("id", "url", "added_url", "name", "source", "language", "origin", "enabled")
STATE_COLUMNS = (
    "last_success_at", "last_error", "last_error_at", "consecutive_failures", "next_check_at",
)  # fmt: skip


def state_of(row: Feed) -> str:
    """paused, failing, new (never polled successfully) or ok."""
    if not row.enabled:
        return "paused"
    if row.failing:
        return "failing"
    return "new" if row.last_success_at is None else "ok"


def feed_health(row: Feed, now: datetime | None = None) -> dict[str, Any]:
    """The feed's fields with its state and how many items a day it publishes."""
    interval = publishing_interval(parse_item_times(row.item_times or ()), now or datetime.now(UTC))
    return {
        **row_json(row, COLUMNS),
        "state": state_of(row),
        **row_json(row, STATE_COLUMNS),
        "items_per_day": round(86400 / interval, 1) if interval else 0.0,
    }


def health_page(rows: Sequence[Feed], *, state: str | None, limit: int) -> Page:
    """One page of feeds (a keyset page of `limit` rows), kept to those in `state` if given."""
    items = [h for h in map(feed_health, rows) if state is None or h["state"] == state]
    return Page(items, rows[-1].id if len(rows) == limit else None)
