"""Alerts and deliveries API: the caller's alerts with delivery state, and replay by hand."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from pipeline.store import alerts as alert_store
from pipeline.store import deliveries as delivery_store
from pipeline.store.db import transaction
from workers.api.auth import DepsDep, Owner
from workers.api.limits import LimitedRoute, RowId
from workers.api.schemas import AlertOut, DeliveryOut
from workers.api.subscriptions import found
from workers.deps import Deps
from workers.queue.app import app, celery_url, configure
from workers.queue.tasks import deliver_alert

router = APIRouter(tags=["alerts"], route_class=LimitedRoute)

Limit = Annotated[int, Query(ge=1, le=500, description="At most this many, newest first.")]
STATES = "pending|queued|sending|retrying|sent|dead"


@router.get("/alerts", response_model=list[AlertOut])
def list_alerts(
    owner: Owner,
    deps: DepsDep,
    limit: Limit = 100,
    kind: Annotated[str | None, Query(pattern="^(alert|update|digest|notice)$")] = None,
) -> list[AlertOut]:
    """The caller's alerts, newest first, each with its deliveries' state and last error."""
    with deps.sessions() as session:
        rows = alert_store.list_alerts(session, owner, limit=limit, kind=kind)
        grouped = delivery_store.of_alerts(session, [r.id for r in rows])
        return [AlertOut.of(r, grouped[r.id]) for r in rows]


@router.get("/alerts/{alert_id:int}", response_model=AlertOut)
def read_alert(alert_id: RowId, owner: Owner, deps: DepsDep) -> AlertOut:
    """One alert with its full payload."""
    with deps.sessions() as session:
        row = found(alert_store.owned_alert(session, owner, alert_id), "alert", alert_id)
        deliveries = delivery_store.of_alerts(session, [row.id])[row.id]
        return AlertOut.of(row, deliveries, with_payload=True)


@router.get("/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    owner: Owner,
    deps: DepsDep,
    limit: Limit = 100,
    state: Annotated[str | None, Query(pattern=f"^({STATES})$")] = None,
) -> list[DeliveryOut]:
    """The caller's deliveries, newest first; `state=dead` lists those to replay."""
    with deps.sessions() as session:
        rows = delivery_store.list_owned(session, owner, state=state, limit=limit)
        return [DeliveryOut.of(r) for r in rows]


@router.get("/deliveries/{delivery_id}", response_model=DeliveryOut)
def read_delivery(delivery_id: RowId, owner: Owner, deps: DepsDep) -> DeliveryOut:
    with deps.sessions() as session:
        row = delivery_store.owned(session, owner, delivery_id)
        return DeliveryOut.of(found(row, "delivery", delivery_id))


@router.post("/deliveries/{delivery_id}/replay", status_code=202, response_model=DeliveryOut)
def replay(delivery_id: RowId, owner: Owner, deps: DepsDep) -> DeliveryOut:
    """Queue a dead (or waiting) delivery for an attempt now, with the same webhook-id."""
    return found(replay_and_enqueue(deps, delivery_id, owner), "delivery", delivery_id)


def replay_and_enqueue(deps: Deps, delivery_id: int, owner: str | None) -> DeliveryOut | None:
    """Replay for the API and the CLI: None when missing (or not the owner's); 409 if busy."""
    with transaction(deps.sessions) as session:
        row = delivery_store.owned(session, owner, delivery_id)
        if row is None:
            return None
        if not delivery_store.replay(session, row):
            raise HTTPException(409, f"delivery {delivery_id} is {row.state}: nothing to replay")
        session.flush()
        out = DeliveryOut.of(row)
    enqueue(deps, delivery_id)
    return out


def enqueue(deps: Deps, delivery_id: int) -> None:
    """Enqueue one delivery attempt (the dashboard's test alert, a replay)."""
    # If the broker is away the delivery stays `queued`; the sweeper enqueues it later.
    url = deps.settings.redis_url
    if url and app.conf.broker_url != celery_url(url):
        configure(deps.settings)
    deliver_alert.delay(delivery_id)
