"""`/alerts/stream`: the caller's live alerts as Server-Sent Events, relayed from Redis pub/sub.

Each event carries the delivery id as its `id`, the payload kind as its `event` and the
payload JSON as its `data`. A comment line is sent once subscribed (`: connected`) and then
every `api_stream_heartbeat` seconds, so proxies keep the connection open.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import urlparse

import redis.asyncio as aioredis
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse

from pipeline.alerts.channels import stream_key
from workers.api.auth import DepsDep, Owner

router = APIRouter(tags=["alerts"])


def async_client(url: str) -> aioredis.Redis:
    parsed = urlparse(url)
    if parsed.scheme in ("redis+socket", "unix"):
        return aioredis.Redis(unix_socket_path=parsed.path)
    return aioredis.Redis.from_url(url)


def sse_event(raw: bytes | str) -> str:
    """One SSE event from a published stream message (`{"id", "payload"}`)."""
    message = json.loads(raw)
    payload = message.get("payload") or {}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    kind = str(payload.get("kind") or "alert")
    return f"id: {message.get('id', '')}\nevent: {kind}\ndata: {data}\n\n"


async def relay(request: Request, url: str, owner: str, heartbeat: float) -> AsyncIterator[str]:
    """Yield the owner's events until the client goes away."""
    client = async_client(url)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(stream_key(owner))
        yield ": connected\n\n"
        while not await request.is_disconnected():
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=heartbeat)
            if message is None:
                yield ": keep-alive\n\n"
            elif message.get("type") == "message":
                yield sse_event(message["data"])
    finally:
        await pubsub.aclose()
        await client.aclose()


@router.get(
    "/alerts/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def alert_stream(request: Request, owner: Owner, deps: DepsDep) -> StreamingResponse:
    """Server-Sent Events: every alert of the caller's `stream` subscriptions as it happens."""
    settings = deps.settings
    if not settings.redis_url:
        raise HTTPException(503, "no Redis configured for the live stream")
    events = relay(request, settings.redis_url, owner, settings.api_stream_heartbeat)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)
