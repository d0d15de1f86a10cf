"""The live page: the user's alerts (the SSE stream of their `stream` subscriptions) and
every new claim, as they arrive, over one Server-Sent Events connection."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from pipeline.alerts.channels import stream_key
from pipeline.store import browse
from workers.api.stream import async_client
from workers.deps import Deps
from workers.ui.session import PREFIX
from workers.ui.web import DepsDep, User, render

router = APIRouter(prefix=PREFIX, include_in_schema=False)

CLAIM_POLL_SECONDS = 1.0
"""How often the stream looks for new claims in the database (the system of record)."""


@router.get("/live", response_class=HTMLResponse)
def live_page(request: Request, user: User, deps: DepsDep) -> Response:
    return render(request, "live.html", {}, user)


def _event(kind: str, data: dict[str, Any], event_id: str = "") -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"id: {event_id}\nevent: {kind}\ndata: {body}\n\n"


def _new_claims(deps: Deps, after: int) -> list[dict[str, Any]]:
    with deps.sessions() as session:
        return browse.claims_after(session, after)


def _last_claim(deps: Deps) -> int:
    with deps.sessions() as session:
        return browse.last_claim_id(session)


async def events(request: Request, deps: Deps, owner: str, after: int) -> AsyncIterator[str]:
    """`claim` events from the database and `alert` events from the owner's stream."""
    pubsub = None
    client = async_client(deps.settings.redis_url) if deps.settings.redis_url else None
    try:
        if client is not None:
            pubsub = client.pubsub()
            await pubsub.subscribe(stream_key(owner))
        yield ": connected\n\n"
        while not await request.is_disconnected():
            for claim in await run_in_threadpool(_new_claims, deps, after):
                after = claim["id"]
                yield _event("claim", claim, f"claim-{after}")
            if pubsub is None:
                await asyncio.sleep(CLAIM_POLL_SECONDS)
                continue
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=CLAIM_POLL_SECONDS
            )
            if message is not None and message.get("type") == "message":
                raw = json.loads(message["data"])
                yield _event("alert", raw.get("payload") or {}, str(raw.get("id", "")))
            else:
                yield ": keep-alive\n\n"
    finally:
        if pubsub is not None:
            await pubsub.aclose()
        if client is not None:
            await client.aclose()


@router.get("/live/events")
async def live_events(request: Request, user: User, deps: DepsDep) -> StreamingResponse:
    """SSE: claims stored after the page opened, and the user's live alerts."""
    after = await run_in_threadpool(_last_claim, deps)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        events(request, deps, user.owner, after), media_type="text/event-stream", headers=headers
    )
