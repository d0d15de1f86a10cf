"""Subscriptions, alerts and deliveries: exactly one alert per subscription and story."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.models import Rule, SubscriptionSpec
from pipeline.store.tables import AlertRow, DeliveryRow, Subscription, utcnow
from pipeline.store.upsert import insert_ignore


def spec_from_row(row: Subscription) -> SubscriptionSpec:
    return SubscriptionSpec(
        id=row.id,
        name=row.name,
        owner=row.owner,
        rule=Rule.from_json(row.rule),
        channel=row.channel,
        target=row.target,
        mode=row.mode,
        digest_minutes=row.digest_minutes,
        updates=row.updates,
        secret=row.secret,
    )


def sync_config_subscriptions(session: Session, specs: Sequence[SubscriptionSpec]) -> None:
    """Mirror `subscriptions.yaml` into the table (origin=config); API-made ones are untouched."""
    wanted = {(s.owner, s.name): s for s in specs}
    rows = session.execute(select(Subscription).where(Subscription.origin == "config")).scalars()
    for row in rows:
        if (row.owner, row.name) not in wanted:
            row.enabled = False
            row.disabled_reason = "removed from subscriptions.yaml"
    for spec in specs:
        save_subscription(session, spec, origin="config")


def save_subscription(session: Session, spec: SubscriptionSpec, *, origin: str = "api") -> int:
    """Create or update the subscription (owner, name); returns its id."""
    row = session.execute(
        select(Subscription).where(Subscription.owner == spec.owner, Subscription.name == spec.name)
    ).scalar_one_or_none()
    if row is None:
        row = Subscription(owner=spec.owner, name=spec.name, origin=origin)
        session.add(row)
    row.rule = spec.rule.to_json()
    row.channel, row.target, row.mode = spec.channel, spec.target, spec.mode
    row.digest_minutes, row.updates = spec.digest_minutes, spec.updates
    row.secret = spec.secret or row.secret
    row.enabled, row.disabled_reason = True, None
    session.flush()
    return row.id


def active_subscriptions(session: Session) -> list[SubscriptionSpec]:
    rows = session.execute(select(Subscription).where(Subscription.enabled.is_(True))).scalars()
    return [spec_from_row(r) for r in rows]


def create_alert(
    session: Session,
    *,
    subscription: SubscriptionSpec,
    story_id: int | None,
    article_id: int,
    kind: str,
    dedupe_key: str,
    payload: dict[str, Any],
) -> int | None:
    """Insert the alert unless one with this (subscription, dedupe key) exists; returns the new id.

    The unique index, not a prior read, guarantees one alert per subscription and story even
    when two workers match copies of one story at the same instant.
    """
    assert subscription.id is not None
    created = insert_ignore(
        session,
        AlertRow.__table__,
        {
            "subscription_id": subscription.id,
            "owner": subscription.owner,
            "story_id": story_id,
            "article_id": article_id,
            "kind": kind,
            "dedupe_key": dedupe_key,
            "payload": payload,
            "created_at": utcnow(),
        },
        ["subscription_id", "dedupe_key"],
    )
    if not created:
        return None
    return session.execute(
        select(AlertRow.id).where(
            AlertRow.subscription_id == subscription.id, AlertRow.dedupe_key == dedupe_key
        )
    ).scalar_one()


def create_delivery(session: Session, alert_id: int, subscription: SubscriptionSpec) -> int:
    """A pending delivery of an alert; its key is the webhook-id every retry carries."""
    assert subscription.id is not None
    row = DeliveryRow(
        alert_id=alert_id,
        subscription_id=subscription.id,
        delivery_key=f"msg_{uuid.uuid4().hex}",
        channel=subscription.channel,
        state="pending",
    )
    session.add(row)
    session.flush()
    return row.id


def alerts_for_story(session: Session, subscription_id: int, story_id: int) -> list[AlertRow]:
    return list(
        session.execute(
            select(AlertRow)
            .where(AlertRow.subscription_id == subscription_id, AlertRow.story_id == story_id)
            .order_by(AlertRow.id)
        ).scalars()
    )


def record_attempt(
    session: Session,
    delivery_id: int,
    *,
    state: str,
    status: int | None,
    error: str | None,
    next_attempt_at: datetime | None = None,
) -> DeliveryRow:
    row = session.get_one(DeliveryRow, delivery_id)
    row.attempts += 1
    row.state, row.last_status, row.last_error = state, status, error
    row.next_attempt_at = next_attempt_at
    if state == "sent":
        row.delivered_at = utcnow()
    return row


def set_payload(session: Session, alert_id: int, payload: dict[str, Any]) -> None:
    session.get_one(AlertRow, alert_id).payload = payload
