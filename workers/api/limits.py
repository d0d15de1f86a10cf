"""Request limits: bodies over the configured size are 413; ids out of range are 422."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import HTTPException, Path, Request, Response
from fastapi.routing import APIRoute

DEFAULT_MAX_BODY = 64 * 1024
MAX_ID = 2**31 - 1
"""The largest row id a table holds (PostgreSQL `integer`)."""

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="A row id.")]
"""A path id: one the database cannot hold is refused with 422, never sent to it (a 500)."""


def _max_body(request: Request) -> int:
    deps = getattr(request.app.state, "deps", None)
    return deps.settings.api_max_body_bytes if deps is not None else DEFAULT_MAX_BODY


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"request body over {limit} bytes")


class LimitedRequest(Request):
    """Counts body bytes as they arrive, so a chunked upload cannot exceed the limit either."""

    limit: int = DEFAULT_MAX_BODY

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > self.limit:
                    raise _too_large(self.limit)
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body


class LimitedRoute(APIRoute):
    """An APIRoute whose handler refuses a declared or actual body over the limit."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            limit = _max_body(request)
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _too_large(limit)
            wrapped = LimitedRequest(request.scope, request.receive)
            wrapped.limit = limit
            return await handler(wrapped)

        return limited
