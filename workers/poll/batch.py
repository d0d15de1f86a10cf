"""Gathers what concurrent tasks submit and handles each gathered batch in one thread call."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Batcher(Generic[T, R]):
    """`await batcher.submit(item)` returns `handle(batch)[i]` for the item's place in a batch.

    The first submission starts a drain task; whatever else is submitted before it runs, or
    while a batch is being handled in its worker thread, forms the next batch. So under load
    a cycle's feeds share round trips and transactions, and a lone feed is not held back.
    Batches run in a thread of their own, not the loop's default pool: there they would
    queue behind every parse of the cycle and the writes would come only at its end.
    """

    def __init__(self, handle: Callable[[list[T]], Sequence[R]], name: str) -> None:
        self.handle = handle
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    items = [item for item, _ in batch]
                    loop = asyncio.get_running_loop()
                    results = await loop.run_in_executor(self._thread, self.handle, items)
                except Exception as exc:  # every submitter of the batch sees the error
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():  # a cancelled submitter no longer waits
                        future.set_result(result)
        finally:
            self._drainer = None

    def close(self) -> None:
        """Let the batch thread end once idle."""
        self._thread.shutdown(wait=False)
