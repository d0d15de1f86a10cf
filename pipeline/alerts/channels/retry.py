"""When to try a failed delivery again: a Svix-like schedule with jitter and Retry-After."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

DEFAULT_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
"""Seconds to wait after failed attempt 1, 2, ...; after the last the delivery is dead."""

JITTER = 0.10


class Uniform(Protocol):
    def uniform(self, a: float, b: float) -> float: ...


def next_delay(
    attempt: int,
    schedule: Sequence[float] = DEFAULT_SCHEDULE,
    *,
    retry_after: float | None = None,
    rng: Uniform,
) -> float | None:
    """Seconds to wait before the attempt after `attempt` (1-based), or None: give up.

    The scheduled delay gets +-10% jitter so retries of many deliveries spread out; a
    receiver's Retry-After is a floor (never retry sooner than it asked), not a ceiling.
    """
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    if attempt > len(schedule):
        return None
    base = float(schedule[attempt - 1])
    delay = base * rng.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None and retry_after > delay:
        return float(retry_after)
    return delay


def is_exhausted(attempt: int, schedule: Sequence[float] = DEFAULT_SCHEDULE) -> bool:
    """True when `attempt` was the last one the schedule allows."""
    return attempt > len(schedule)
