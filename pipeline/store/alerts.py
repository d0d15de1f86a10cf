"""Subscriptions, alerts and deliveries: exactly one alert per subscription and story."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from pipeline.alerts.channels.webhook import generate_secret
from pipeline.alerts.render import headline, story_changes
from pipeline.models import Rule, SubscriptionSpec
from pipeline.store.tables import AlertRow, ApiKey, DeliveryRow, Subscription, utcnow
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
    if row.secret is None and spec.channel == "webhook":
        row.secret = generate_secret()  # every webhook is signed, even from the YAML file
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


def deliveries_of(session: Session, alert_ids: Sequence[int]) -> dict[int, list[DeliveryRow]]:
    """Deliveries grouped by alert id."""
    grouped: dict[int, list[DeliveryRow]] = {i: [] for i in alert_ids}
    if alert_ids:
        stmt = select(DeliveryRow).where(DeliveryRow.alert_id.in_(alert_ids))
        for row in session.execute(stmt.order_by(DeliveryRow.id)).scalars():
            grouped[row.alert_id].append(row)
    return grouped


def list_deliveries(
    session: Session, owner: str, *, state: str | None = None, limit: int = 100
) -> list[DeliveryRow]:
    """The owner's deliveries, newest first, optionally in one state."""
    stmt = (
        select(DeliveryRow)
        .join(Subscription, Subscription.id == DeliveryRow.subscription_id)
        .where(Subscription.owner == owner)
        .order_by(DeliveryRow.id.desc())
    )
    if state:
        stmt = stmt.where(DeliveryRow.state == state)
    return list(session.execute(stmt.limit(limit)).scalars())


def owned_delivery(session: Session, owner: str | None, delivery_id: int) -> DeliveryRow | None:
    """The delivery if it belongs to one of `owner`'s subscriptions (any owner when None)."""
    row = session.get(DeliveryRow, delivery_id)
    if row is None or owner is None:
        return row
    sub = session.get(Subscription, row.subscription_id)
    return row if sub is not None and sub.owner == owner else None


REPLAYABLE = ("dead", "retrying")


def replay_delivery(session: Session, row: DeliveryRow) -> bool:
    """Queue a dead (or waiting) delivery for one more attempt now; False if not replayable.

    The delivery keeps its key, so the receiver sees the same webhook-id again. The
    subscription is re-enabled when it was disabled for failing: the owner asked for it.
    """
    moved = session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.id == row.id, DeliveryRow.state.in_(REPLAYABLE))
        .values(state="queued", next_attempt_at=utcnow() + timedelta(seconds=60), attempts=0)
    )
    if not getattr(moved, "rowcount", 0):
        return False
    sub = session.get_one(Subscription, row.subscription_id)
    if not sub.enabled and sub.failing_since is not None:
        sub.enabled, sub.disabled_reason, sub.failing_since = True, None, None
    session.expire(row)
    return True


# -- story updates


def _known_so_far(alerts: Sequence[AlertRow]) -> dict[str, Any]:
    """Everything earlier messages of a story said, merged, so growth is judged cumulatively."""
    outlets = max((a.payload.get("story") or {}).get("independent_outlets", 0) for a in alerts)
    return {
        "story": {"independent_outlets": outlets},
        "actors": [x for a in alerts for x in a.payload.get("actors") or []],
        "claims": [x for a in alerts for x in a.payload.get("claims") or []],
    }


def create_update(
    session: Session,
    *,
    subscription: SubscriptionSpec,
    story_id: int,
    article_id: int,
    payload: dict[str, Any],
) -> tuple[int, dict[str, Any]] | None:
    """An `update` alert when the story grew since its earlier messages; None otherwise.

    Its dedupe key `story:<id>:update:<n>` counts the earlier messages, so each growth step
    is sent once even when two workers see it at the same instant.
    """
    assert subscription.id is not None
    earlier = [a for a in alerts_for_story(session, subscription.id, story_id) if a.payload]
    if not earlier:
        return None
    changes = story_changes(_known_so_far(earlier), payload)
    if not changes:
        return None
    update_payload = {
        **payload,
        "kind": "update",
        "type": "newsmon.update",
        "changes": changes,
        "previous_alert_id": earlier[0].id,
    }
    update_payload["summary"] = headline(update_payload)
    alert_id = create_alert(
        session,
        subscription=subscription,
        story_id=story_id,
        article_id=article_id,
        kind="update",
        dedupe_key=f"story:{story_id}:update:{len(earlier)}",
        payload=update_payload,
    )
    return None if alert_id is None else (alert_id, update_payload)
