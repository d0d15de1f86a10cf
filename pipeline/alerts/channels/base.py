"""What every alert channel shares: the Delivery it is handed, the SendResult it returns."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from pipeline.errors import PermanentError, TransientError

T = TypeVar("T")

# HTTP answers below 500 that are still worth retrying (Timeout, Too Early, Too Many Requests).
RETRY_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True, slots=True)
class Delivery:
    """One attempt to hand one payload to one target.

    `delivery_id` is stable across retries (the Standard Webhooks `webhook-id`), so a
    receiver can drop repeats; `attempt` counts from 1.
    """

    delivery_id: str
    subscription_id: int | None
    target: str
    payload: dict[str, Any]
    secret: str | None = None
    attempt: int = 1
    timeout: float = 10.0
    max_response_bytes: int = 64 * 1024
    allow_loopback: bool = False


@dataclass(frozen=True, slots=True)
class SendResult:
    """How an attempt ended. `retryable` is meaningful only when `ok` is False."""

    ok: bool
    status: int | None = None
    detail: str = ""
    retryable: bool = False
    retry_after: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def success(cls, status: int | None = None, detail: str = "delivered") -> SendResult:
        return cls(ok=True, status=status, detail=detail)

    @classmethod
    def retry(
        cls, detail: str, *, status: int | None = None, retry_after: float | None = None
    ) -> SendResult:
        return cls(ok=False, status=status, detail=detail, retryable=True, retry_after=retry_after)

    @classmethod
    def dead(cls, detail: str, *, status: int | None = None) -> SendResult:
        return cls(ok=False, status=status, detail=detail, retryable=False)

    def raise_for_failure(self) -> None:
        """Map a failed result onto the error hierarchy (for callers that prefer raising)."""
        if self.ok:
            return
        if self.retryable:
            raise TransientError(self.detail, retry_after=self.retry_after)
        raise PermanentError(self.detail)


@runtime_checkable
class Channel(Protocol):
    """An alert channel: validates targets when a subscription is saved, sends deliveries.

    `send` never raises for a delivery failure: it returns a SendResult saying whether a
    retry can help. `validate_target` raises PermanentError with a reason a person can act on.
    """

    name: str

    def validate_target(self, target: str, *, allow_loopback: bool) -> None: ...

    def send(self, delivery: Delivery) -> SendResult: ...


def encode_payload(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous code, even inside a running loop.

    Celery tasks call channels synchronously (plain `asyncio.run`); the API calls them from
    its event loop, where `asyncio.run` is refused, so there the coroutine gets its own
    thread and loop.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="notify") as pool:
        return pool.submit(asyncio.run, coro).result()
