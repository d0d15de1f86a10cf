"""Subscriptions API: create, list, read, change and delete the caller's own subscriptions.

Another owner's subscription is answered with 404, exactly like a missing one, so ids
reveal nothing. Every body is checked before it is saved: unknown actor ids, an unknown
channel, an unsafe or malformed target and a bad secret are 422s naming the field.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from fastapi import APIRouter, HTTPException, Response

from pipeline.alerts.subscriptions import InvalidSubscription, check_subscription, normalised, save
from pipeline.models import SubscriptionSpec
from pipeline.store import alerts as alert_store
from pipeline.store import claims as claim_store
from pipeline.store.alerts import Subscription
from pipeline.store.db import Session, transaction
from workers.api.auth import DepsDep, Owner
from workers.api.limits import LimitedRoute, RowId
from workers.api.schemas import SubscriptionIn, SubscriptionOut, SubscriptionPatch, spec_of
from workers.deps import Deps

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"], route_class=LimitedRoute)
T = TypeVar("T")


def found(row: T | None, what: str, row_id: int) -> T:
    """The row, or 404 naming it (another owner's row is answered as missing too)."""
    if row is None:
        raise HTTPException(404, f"no {what} {row_id}")
    return row


def known_actor_ids(deps: Deps) -> set[str]:
    """Actor ids of the registry file and of the database (the file may be newer)."""
    with deps.sessions() as session:
        stored = set(claim_store.actor_names(session))
    return stored | {a.id for a in deps.actors}


def checked(deps: Deps, spec: SubscriptionSpec) -> SubscriptionSpec:
    """The spec as it will be saved; InvalidSubscription listing everything wrong with it.

    For the API, the CLI and the dashboard alike: the same actors, channels and setting.
    """
    spec = normalised(spec)
    allow_loopback = deps.settings.alerts_allow_loopback
    check_subscription(spec, deps.channels, known_actor_ids(deps), allow_loopback=allow_loopback)
    return spec


def _unprocessable(exc: InvalidSubscription) -> HTTPException:
    detail = [
        {"loc": ["body", *loc], "msg": msg, "type": "value_error"} for loc, msg in exc.problems
    ]
    return HTTPException(422, detail)


def _checked(deps: Deps, spec: SubscriptionSpec) -> SubscriptionSpec:
    try:
        return checked(deps, spec)
    except InvalidSubscription as exc:
        raise _unprocessable(exc) from None


def owned(session: Session, owner: str, subscription_id: int) -> Subscription:
    """The owner's subscription, or 404 (also for anyone else's)."""
    row = alert_store.owned_subscription(session, owner, subscription_id)
    return found(row, "subscription", subscription_id)


@router.post("", status_code=201, response_model=SubscriptionOut)
def create(body: SubscriptionIn, owner: Owner, deps: DepsDep) -> SubscriptionOut:
    """Create a subscription; a webhook gets a signing secret unless one is given."""
    spec = _checked(deps, spec_of(body, owner))
    with transaction(deps.sessions) as session:
        if alert_store.find_subscription(session, owner, spec.name) is not None:
            raise HTTPException(409, f"you already have a subscription named {spec.name!r}")
        new_id = save(session, spec, origin="api")
        return SubscriptionOut.of(alert_store.subscription(session, new_id))


@router.get("", response_model=list[SubscriptionOut])
def list_own(owner: Owner, deps: DepsDep) -> list[SubscriptionOut]:
    """The caller's subscriptions."""
    with deps.sessions() as session:
        return [SubscriptionOut.of(r) for r in alert_store.list_subscriptions(session, owner)]


@router.get("/{subscription_id}", response_model=SubscriptionOut)
def read(subscription_id: RowId, owner: Owner, deps: DepsDep) -> SubscriptionOut:
    with deps.sessions() as session:
        return SubscriptionOut.of(owned(session, owner, subscription_id))


@router.patch("/{subscription_id}", response_model=SubscriptionOut)
def change(
    subscription_id: RowId, body: SubscriptionPatch, owner: Owner, deps: DepsDep
) -> SubscriptionOut:
    """Change some fields; the result is checked like a new subscription."""
    with transaction(deps.sessions) as session:
        row = owned(session, owner, subscription_id)
        spec = _patched(alert_store.spec_from_row(row), body)
        spec = _checked(deps, spec)
        other = alert_store.find_subscription(session, owner, spec.name)
        if other is not None and other.id != row.id:
            raise HTTPException(409, f"you already have a subscription named {spec.name!r}")
        alert_store.apply_spec(row, spec)
        if body.enabled is not None:
            alert_store.set_enabled(session, row, body.enabled)
        session.flush()
        return SubscriptionOut.of(row)


def _patched(spec: SubscriptionSpec, body: SubscriptionPatch) -> SubscriptionSpec:
    changes = body.model_dump(exclude_unset=True, exclude={"enabled", "rule"})
    if body.rule is not None:
        changes["rule"] = body.rule.to_rule()
    return dataclasses.replace(spec, **changes)


@router.delete("/{subscription_id}", status_code=204)
def remove(subscription_id: RowId, owner: Owner, deps: DepsDep) -> Response:
    """Delete a subscription with its alerts; one from subscriptions.yaml is refused (409)."""
    with transaction(deps.sessions) as session:
        row = owned(session, owner, subscription_id)
        if row.origin == "config":
            raise HTTPException(409, "defined in subscriptions.yaml: remove it there")
        alert_store.delete_subscription(session, row)
    return Response(status_code=204)
