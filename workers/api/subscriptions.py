"""Subscriptions API: create, list, read, change and delete the caller's own subscriptions.

Another owner's subscription is answered with 404, exactly like a missing one, so ids
reveal nothing. Every body is checked before it is saved: unknown actor ids, an unknown
channel, an unsafe or malformed target and a bad secret are 422s naming the field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy import select

from pipeline.alerts.channels import validate_target
from pipeline.alerts.channels.webhook import secret_key
from pipeline.errors import PermanentError
from pipeline.models import SubscriptionSpec
from pipeline.settings import Settings
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from pipeline.store.tables import ActorRow, Subscription
from workers.api.auth import DepsDep, Owner
from workers.api.limits import LimitedRoute, RowId
from workers.api.schemas import SubscriptionIn, SubscriptionOut, SubscriptionPatch, spec_of
from workers.deps import Deps

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"], route_class=LimitedRoute)

ACTOR_FIELDS = ("any_actors", "all_actors", "claim_subject", "claim_object")


class InvalidSubscription(PermanentError):
    """A subscription that cannot be saved; `problems` are (field path, message) pairs."""

    def __init__(self, problems: list[tuple[tuple[str, ...], str]]) -> None:
        super().__init__("; ".join(f"{'.'.join(loc)}: {msg}" for loc, msg in problems))
        self.problems = problems


def known_actor_ids(deps: Deps) -> set[str]:
    """Actor ids of the registry file and of the database (the file may be newer)."""
    with deps.sessions() as session:
        stored = set(session.execute(select(ActorRow.id)).scalars())
    return stored | {a.id for a in deps.actors}


def _actor_problems(spec: SubscriptionSpec, actor_ids: Collection[str]) -> list[Any]:
    problems = []
    for name in ACTOR_FIELDS:
        value = getattr(spec.rule, name)
        named = [value] if isinstance(value, str) else list(value or ())
        unknown = sorted({a for a in named if a not in actor_ids})
        if unknown:
            problems.append((("rule", name), f"unknown actor id(s): {', '.join(unknown)}"))
    return problems


def _rule_problems(spec: SubscriptionSpec) -> list[Any]:
    rule = spec.rule
    criteria = (rule.any_actors, rule.all_actors, rule.sources, rule.languages)
    if not (any(criteria) or rule.has_claim_pattern):
        return [(("rule",), "the rule matches nothing: give actors, a claim or filters")]
    if spec.mode == "digest" and not spec.digest_minutes:
        return [(("digest_minutes",), "required when mode is digest")]
    return []


def _target_problems(spec: SubscriptionSpec, settings: Settings) -> list[Any]:
    if spec.channel == "file":
        inside = settings.var_dir.resolve()
        path = (settings.var_dir / spec.target).resolve()
        if spec.target and not path.is_relative_to(inside):
            return [(("target",), f"file targets must be inside {inside}")]
    try:
        validate_target(spec.channel, spec.target, allow_loopback=settings.alerts_allow_loopback)
    except PermanentError as exc:
        field = "channel" if str(exc).startswith("unknown channel") else "target"
        return [((field,), str(exc))]
    if spec.secret:
        try:
            secret_key(spec.secret)
        except PermanentError as exc:
            return [(("secret",), str(exc))]
    return []


def check_subscription(
    spec: SubscriptionSpec, settings: Settings, actor_ids: Collection[str]
) -> None:
    """Raise InvalidSubscription listing everything wrong with `spec`."""
    problems = _actor_problems(spec, actor_ids) + _rule_problems(spec)
    problems += _target_problems(spec, settings)
    if problems:
        raise InvalidSubscription(problems)


def normalised(spec: SubscriptionSpec) -> SubscriptionSpec:
    """A stream subscription's target is its owner (the pub/sub channel it is published on)."""
    if spec.channel == "stream":
        return dataclasses.replace(spec, target=spec.owner)
    return spec


def _unprocessable(exc: InvalidSubscription) -> HTTPException:
    detail = [
        {"loc": ["body", *loc], "msg": msg, "type": "value_error"} for loc, msg in exc.problems
    ]
    return HTTPException(422, detail)


def _checked(deps: Deps, spec: SubscriptionSpec) -> SubscriptionSpec:
    spec = normalised(spec)
    try:
        check_subscription(spec, deps.settings, known_actor_ids(deps))
    except InvalidSubscription as exc:
        raise _unprocessable(exc) from None
    return spec


def _owned(session: Any, owner: str, subscription_id: int) -> Subscription:
    row = alert_store.owned_subscription(session, owner, subscription_id)
    if row is None:
        raise HTTPException(404, f"no subscription {subscription_id}")
    return row


@router.post("", status_code=201, response_model=SubscriptionOut)
def create(body: SubscriptionIn, owner: Owner, deps: DepsDep) -> SubscriptionOut:
    """Create a subscription; a webhook gets a signing secret unless one is given."""
    spec = _checked(deps, spec_of(body, owner))
    with transaction(deps.sessions) as session:
        if alert_store.find_subscription(session, owner, spec.name) is not None:
            raise HTTPException(409, f"you already have a subscription named {spec.name!r}")
        new_id = alert_store.save_subscription(session, spec, origin="api")
        return SubscriptionOut.of(session.get_one(Subscription, new_id))


@router.get("", response_model=list[SubscriptionOut])
def list_own(owner: Owner, deps: DepsDep) -> list[SubscriptionOut]:
    """The caller's subscriptions."""
    with deps.sessions() as session:
        return [SubscriptionOut.of(r) for r in alert_store.list_subscriptions(session, owner)]


@router.get("/{subscription_id}", response_model=SubscriptionOut)
def read(subscription_id: RowId, owner: Owner, deps: DepsDep) -> SubscriptionOut:
    with deps.sessions() as session:
        return SubscriptionOut.of(_owned(session, owner, subscription_id))


@router.patch("/{subscription_id}", response_model=SubscriptionOut)
def change(
    subscription_id: RowId, body: SubscriptionPatch, owner: Owner, deps: DepsDep
) -> SubscriptionOut:
    """Change some fields; the result is checked like a new subscription."""
    with transaction(deps.sessions) as session:
        row = _owned(session, owner, subscription_id)
        spec = _patched(alert_store.spec_from_row(row), body)
        spec = _checked(deps, spec)
        other = alert_store.find_subscription(session, owner, spec.name)
        if other is not None and other.id != row.id:
            raise HTTPException(409, f"you already have a subscription named {spec.name!r}")
        _apply(row, spec)
        if body.enabled is not None:
            row.enabled = body.enabled
            row.disabled_reason = None if body.enabled else "disabled by its owner"
            row.failing_since = None if body.enabled else row.failing_since
        session.flush()
        return SubscriptionOut.of(row)


def _patched(spec: SubscriptionSpec, body: SubscriptionPatch) -> SubscriptionSpec:
    changes = body.model_dump(exclude_unset=True, exclude={"enabled", "rule"})
    if body.rule is not None:
        changes["rule"] = body.rule.to_rule()
    return dataclasses.replace(spec, **changes)


def _apply(row: Subscription, spec: SubscriptionSpec) -> None:
    row.name, row.rule = spec.name, spec.rule.to_json()
    row.channel, row.target, row.mode = spec.channel, spec.target, spec.mode
    row.digest_minutes, row.updates = spec.digest_minutes, spec.updates
    row.secret = spec.secret or row.secret


@router.delete("/{subscription_id}", status_code=204)
def remove(subscription_id: RowId, owner: Owner, deps: DepsDep) -> Response:
    """Delete a subscription with its alerts; one from subscriptions.yaml is refused (409)."""
    with transaction(deps.sessions) as session:
        row = _owned(session, owner, subscription_id)
        if row.origin == "config":
            raise HTTPException(409, "defined in subscriptions.yaml: remove it there")
        alert_store.delete_subscription(session, row)
    return Response(status_code=204)
