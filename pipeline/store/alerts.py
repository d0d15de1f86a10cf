"""Subscriptions, alerts and API keys in SQL: exactly one alert per subscription and dedupe key.

Payloads are composed elsewhere (`pipeline.alerts.compose`, `.render`) and stored as given;
deliveries' states live in `pipeline.store.deliveries`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pipeline.models import Rule, SubscriptionSpec
from pipeline.store.tables import AlertRow, ApiKey, Article, DeliveryRow, Subscription, utcnow
from pipeline.store.upsert import insert_ignore

__all__ = ["AlertRow", "Subscription"]  # row types read by attribute outside the store


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


def disable_config_subscriptions_except(
    session: Session, keep: Collection[tuple[str, str]], reason: str
) -> None:
    """Disable every config-made subscription whose (owner, name) is not in `keep`."""
    rows = session.execute(select(Subscription).where(Subscription.origin == "config")).scalars()
    for row in rows:
        if (row.owner, row.name) not in keep:
            row.enabled = False
            row.disabled_reason = reason


def save_subscription(
    session: Session,
    spec: SubscriptionSpec,
    *,
    origin: str = "api",
    new_secret: str | None = None,
) -> int:
    """Create or update the subscription (owner, name), enabled; returns its id.

    The secret is the spec's, else the stored one, else `new_secret`: saving again never
    changes a secret nobody asked to change.
    """
    row = find_subscription(session, spec.owner, spec.name)
    if row is None:
        row = Subscription(owner=spec.owner, name=spec.name, origin=origin)
        session.add(row)
    apply_spec(row, spec)
    row.secret = row.secret or new_secret
    row.enabled, row.disabled_reason = True, None
    session.flush()
    return row.id


def apply_spec(row: Subscription, spec: SubscriptionSpec) -> None:
    """Write a spec's fields onto its row (a missing secret keeps the stored one)."""
    row.name, row.rule = spec.name, spec.rule.to_json()
    row.channel, row.target, row.mode = spec.channel, spec.target, spec.mode
    row.digest_minutes, row.updates = spec.digest_minutes, spec.updates
    row.secret = spec.secret or row.secret


def set_enabled(session: Session, row: Subscription, enabled: bool) -> None:
    """Switch a subscription on or off by its owner (on again: no longer failing)."""
    row.enabled = enabled
    row.disabled_reason = None if enabled else "disabled by its owner"
    if enabled:
        row.failing_since = None
    session.flush()


def subscription(session: Session, subscription_id: int) -> Subscription:
    return session.get_one(Subscription, subscription_id)


def find_subscription_by_id(session: Session, subscription_id: int) -> Subscription | None:
    return session.get(Subscription, subscription_id)


def alert(session: Session, alert_id: int) -> AlertRow | None:
    return session.get(AlertRow, alert_id)


def newest_article_id(session: Session) -> int | None:
    """The newest stored article, for an alert that is about none (an alert row needs one)."""
    return session.scalar(select(func.max(Article.id)))


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


def create_notice(
    session: Session,
    subscription: SubscriptionSpec,
    *,
    article_id: int,
    dedupe_key: str,
    payload: dict[str, Any],
) -> int | None:
    """A `notice` alert (about no story) unless one with this dedupe key exists."""
    return create_alert(
        session,
        subscription=subscription,
        story_id=None,
        article_id=article_id,
        kind="notice",
        dedupe_key=dedupe_key,
        payload=payload,
    )


PENDING_GRACE = 60.0
"""Seconds after which the sweeper re-enqueues a delivery whose task never ran."""


def create_delivery(
    session: Session,
    alert_id: int,
    subscription: SubscriptionSpec,
    *,
    grace: float = PENDING_GRACE,
) -> int:
    """A pending delivery of an alert; its key is the webhook-id every retry carries.

    `next_attempt_at` is set `grace` seconds ahead: if the process that created it dies
    before enqueueing its task, the sweeper picks it up then.
    """
    assert subscription.id is not None
    row = DeliveryRow(
        alert_id=alert_id,
        subscription_id=subscription.id,
        delivery_key=f"msg_{uuid.uuid4().hex}",
        channel=subscription.channel,
        state="pending",
        next_attempt_at=utcnow() + timedelta(seconds=grace),
    )
    session.add(row)
    session.flush()
    return row.id


def story_alerts(
    session: Session, story_id: int, subscription_ids: Collection[int]
) -> dict[int, list[AlertRow]]:
    """Each subscription's alerts about the story so far, oldest first (one query)."""
    grouped: dict[int, list[AlertRow]] = {i: [] for i in subscription_ids}
    if subscription_ids:
        stmt = (
            select(AlertRow)
            .where(AlertRow.story_id == story_id, AlertRow.subscription_id.in_(subscription_ids))
            .order_by(AlertRow.id)
        )
        for row in session.execute(stmt).scalars():
            grouped[row.subscription_id].append(row)
    return grouped


def set_payload(session: Session, alert_id: int, payload: dict[str, Any]) -> None:
    session.get_one(AlertRow, alert_id).payload = payload


# -- API keys

KEY_PREFIX = "nmk_"
PREFIX_LEN = 12


def hash_key(raw: str) -> str:
    """sha256 hex of a key: enough for a 256-bit random key (no slow KDF needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_api_key(session: Session, owner: str) -> str:
    """Store a new key for `owner` (hashed) and return the raw key, which is never stored."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(owner=owner, prefix=raw[:PREFIX_LEN], key_hash=hash_key(raw)))
    session.flush()
    return raw


def owner_of_key(session: Session, raw: str) -> str | None:
    """The owner of a live key, or None; the hash comparison is constant-time."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > 128:
        return None
    digest = hash_key(raw)
    rows = session.execute(
        select(ApiKey).where(ApiKey.prefix == raw[:PREFIX_LEN], ApiKey.revoked_at.is_(None))
    ).scalars()
    for row in rows:
        if hmac.compare_digest(row.key_hash, digest):
            return row.owner
    return None


# -- subscriptions by owner


def owned_subscription(session: Session, owner: str, subscription_id: int) -> Subscription | None:
    """The subscription if `owner` owns it; None for a missing one and for anyone else's."""
    row = session.get(Subscription, subscription_id)
    return row if row is not None and row.owner == owner else None


def list_subscriptions(session: Session, owner: str | None = None) -> list[Subscription]:
    stmt = select(Subscription).order_by(Subscription.id)
    if owner is not None:
        stmt = stmt.where(Subscription.owner == owner)
    return list(session.execute(stmt).scalars())


def find_subscription(session: Session, owner: str, name: str) -> Subscription | None:
    return session.execute(
        select(Subscription).where(Subscription.owner == owner, Subscription.name == name)
    ).scalar_one_or_none()


def delete_subscription(session: Session, row: Subscription) -> None:
    """Delete a subscription with its alerts and deliveries."""
    alert_ids = select(AlertRow.id).where(AlertRow.subscription_id == row.id)
    session.execute(delete(DeliveryRow).where(DeliveryRow.alert_id.in_(alert_ids)))
    session.execute(delete(AlertRow).where(AlertRow.subscription_id == row.id))
    session.delete(row)
    session.flush()


# -- alerts and deliveries by owner


def list_alerts(
    session: Session, owner: str, *, limit: int = 100, kind: str | None = None
) -> list[AlertRow]:
    """The owner's alerts, newest first."""
    stmt = select(AlertRow).where(AlertRow.owner == owner).order_by(AlertRow.id.desc())
    if kind:
        stmt = stmt.where(AlertRow.kind == kind)
    return list(session.execute(stmt.limit(limit)).scalars())


def owned_alert(session: Session, owner: str, alert_id: int) -> AlertRow | None:
    row = session.get(AlertRow, alert_id)
    return row if row is not None and row.owner == owner else None
