"""API keys: every request names its owner with `X-API-Key: <key>` or `Authorization: Bearer`.

Keys are 256-bit random strings (`nmk_...`) stored only as their sha256; a look-up narrows
by the key's first characters and compares the hash in constant time.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from pipeline.store import alerts as alert_store
from workers.deps import Deps

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="A key from `newsmon keys create OWNER`."
)
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
    return owner


Owner = Annotated[str, Depends(current_owner)]
DepsDep = Annotated[Deps, Depends(deps_of)]
