"""API keys: every request names its owner with `X-API-Key: <key>` or `Authorization: Bearer`.

Keys are 256-bit random strings (`nmk_...`) stored only as their sha256; a look-up narrows
by the key's first characters and compares the hash in constant time.
"""

from __future__ import annotations

import math
import time
from typing import Annotated

import redis
import structlog
from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from pipeline.store import alerts as alert_store
from workers.deps import Deps

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="A key from `newsmon keys create OWNER`."
)
log = structlog.get_logger("newsmon.api")
bearer = HTTPBearer(auto_error=False, description="The same key as a bearer token.")


def deps_of(request: Request) -> Deps:
    return request.app.state.deps


def current_owner(
    request: Request,
    header_key: Annotated[str | None, Depends(api_key_header)],
    bearer_key: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The owner of the request's API key; 401 when it is missing, unknown or revoked."""
    raw = header_key or (bearer_key.credentials if bearer_key else None)
    if not raw:
        raise HTTPException(
            401,
            "missing API key: send X-API-Key or Authorization: Bearer",
            headers={"WWW-Authenticate": "Bearer"},
        )
    with deps_of(request).sessions() as session:
        owner = alert_store.owner_of_key(session, raw.strip())
    if owner is None:
        raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "Bearer"})
    check_rate(deps_of(request), owner)
    return owner


def check_rate(deps: Deps, owner: str) -> None:
    """429 with Retry-After once `owner` used up this window's requests (a Redis counter)."""
    limit, window = deps.settings.api_rate_limit, deps.settings.api_rate_window
    if limit <= 0:
        return
    now = time.time()
    slot = int(now // window)
    key = f"newsmon:rate:{owner}:{slot}"
    try:
        with deps.redis.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, int(window * 2) + 1)
            used, _ = pipe.execute()
    except redis.RedisError:
        log.warning("rate_limit_unavailable", owner=owner)  # fail open: Redis is not the gate
        return
    if used > limit:
        retry_after = max(1, math.ceil((slot + 1) * window - now))
        raise HTTPException(
            429,
            f"rate limit: {limit} requests per {window:g} s; retry in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


Owner = Annotated[str, Depends(current_owner)]
DepsDep = Annotated[Deps, Depends(deps_of)]
