"""Run-time edits through the API: actors (with aliases) and feeds added, changed, paused and
removed without a restart, and the caller's API keys listed and revoked.

Actors and feeds are shared by every owner (like `config/*.yaml`); keys are the caller's own,
and another owner's key is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field

from pipeline.errors import NewsmonError
from pipeline.feeds.health import feed_health
from pipeline.feeds.netguard import check_scheme_and_host
from pipeline.models import FeedSpec
from pipeline.store import browse, manage
from pipeline.store import feeds as feed_store
from pipeline.store.db import transaction
from workers.api.auth import DepsDep, Owner
from workers.api.limits import LimitedRoute, RowId

router = APIRouter(tags=["manage"], route_class=LimitedRoute)

ActorId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,127}$")]
Name = Annotated[str, Field(min_length=1, max_length=256)]
Alias = Annotated[str, Field(min_length=1, max_length=256)]
ActorType = Literal["PERSON", "ORG", "GPE", "NORP"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ActorIn(_Body):
    id: ActorId
    name: Name
    type: ActorType
    aliases: Annotated[list[Alias], Field(max_length=200)] = []


class ActorPatch(_Body):
    name: Name | None = None
    type: ActorType | None = None
    aliases: Annotated[list[Alias], Field(max_length=200)] | None = None


class FeedIn(_Body):
    url: Annotated[str, Field(min_length=1, max_length=2048)]
    name: Annotated[str | None, Field(max_length=512)] = None
    source: Annotated[str | None, Field(max_length=256)] = None
    language: Annotated[str | None, Field(max_length=16)] = None
    full_text: bool | None = None


class FeedPatch(_Body):
    name: Annotated[str | None, Field(max_length=512)] = None
    source: Annotated[str | None, Field(max_length=256)] = None
    language: Annotated[str | None, Field(max_length=16)] = None
    min_interval: Annotated[int | None, Field(ge=10, le=7 * 86400)] = None
    max_interval: Annotated[int | None, Field(ge=10, le=30 * 86400)] = None
    full_text: bool | None = None
    enabled: bool | None = None


# -- actors


def _gone(removed: bool, what: str) -> Response:
    """204 when `what` was removed, else 404."""
    if not removed:
        raise HTTPException(404, f"no {what}")
    return Response(status_code=204)


@router.post("/actors", status_code=201)
def add_actor(body: ActorIn, owner: Owner, deps: DepsDep) -> dict[str, Any]:
    """Add an actor; 409 if the id exists (change it with PATCH)."""
    with transaction(deps.sessions) as session:
        if manage.get_actor(session, body.id) is not None:
            raise HTTPException(409, f"actor {body.id} exists: PATCH /actors/{body.id}")
        row = manage.save_actor(
            session, body.id, name=body.name, type=body.type, aliases=body.aliases
        )
        return browse.actor_json(row)


@router.patch("/actors/{actor_id}")
def change_actor(actor_id: str, body: ActorPatch, owner: Owner, deps: DepsDep) -> dict[str, Any]:
    with transaction(deps.sessions) as session:
        row = manage.get_actor(session, actor_id)
        if row is None:
            raise HTTPException(404, f"no actor {actor_id}")
        row = manage.save_actor(
            session,
            actor_id,
            name=body.name or row.name,
            type=body.type or row.type,
            aliases=list(row.aliases or []) if body.aliases is None else body.aliases,
        )
        return browse.actor_json(row)


@router.delete("/actors/{actor_id}", status_code=204)
def remove_actor(actor_id: str, owner: Owner, deps: DepsDep) -> Response:
    with transaction(deps.sessions) as session:
        removed = manage.remove_actor(session, actor_id)
    return _gone(removed, f"actor {actor_id}")


# -- feeds


@router.post("/feeds", status_code=201)
def add_feed(body: FeedIn, owner: Owner, deps: DepsDep) -> dict[str, Any]:
    """Add a feed (or a page whose feed the poller discovers); an existing one is re-enabled."""
    try:
        check_scheme_and_host(body.url)
    except NewsmonError as exc:
        raise HTTPException(422, str(exc)) from None
    spec = FeedSpec(**body.model_dump())
    with transaction(deps.sessions) as session:
        feed_id, _ = feed_store.add_feed(session, spec, origin="api")
        return feed_health(manage.feed(session, feed_id))


@router.patch("/feeds/{feed_id}")
def change_feed(feed_id: RowId, body: FeedPatch, owner: Owner, deps: DepsDep) -> dict[str, Any]:
    """Change a feed's fields; `enabled: false` pauses it, `true` resumes it (due at once)."""
    changes = body.model_dump(exclude_unset=True, exclude={"enabled"})
    with transaction(deps.sessions) as session:
        row = manage.edit_feed(session, feed_id, changes)
        if row is None:
            raise HTTPException(404, f"no feed {feed_id}")
        if body.enabled is not None:
            manage.set_feed_enabled(session, feed_id, body.enabled)
        session.flush()
        return feed_health(row)


@router.delete("/feeds/{feed_id}", status_code=204)
def remove_feed(feed_id: RowId, owner: Owner, deps: DepsDep) -> Response:
    with transaction(deps.sessions) as session:
        removed = manage.remove_feed(session, feed_id)
    return _gone(removed, f"feed {feed_id}")


# -- keys


@router.get("/keys")
def list_keys(owner: Owner, deps: DepsDep) -> list[dict[str, Any]]:
    """The caller's API keys (prefix, created, revoked); the keys themselves are never stored."""
    with deps.sessions() as session:
        return [manage.key_json(k) for k in manage.list_keys(session, owner)]


@router.delete("/keys/{key_id}")
def revoke_key(key_id: RowId, owner: Owner, deps: DepsDep) -> dict[str, Any]:
    """Revoke one of the caller's keys; it stops working at once."""
    with transaction(deps.sessions) as session:
        row = manage.revoke_key(session, key_id, owner)
        if row is None:
            raise HTTPException(404, f"no key {key_id}")
        return manage.key_json(row)
