"""Digest subscriptions: every N minutes, one message listing the stories alerted since the last.

A digest-mode subscription gets alert rows like any other (one per story, plus updates) but
no delivery of its own. When its period has passed, `send_due_digests` gathers the alerts
newer than the last digest into one `digest` alert with one delivery. The digest's dedupe
key names the newest alert it covers (`digest:<alert id>`), so two sweepers racing build
one digest, and an alert is never listed twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pipeline.alerts.render import digest_payload
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from pipeline.store.tables import AlertRow, Subscription

LISTED_KINDS = ("alert", "update")
MAX_ITEMS = 200


def is_due(sub: Subscription, now: datetime) -> bool:
    """True when the digest period has passed since the last digest (or the creation)."""
    last = sub.last_digest_at or sub.created_at
    return now - last >= timedelta(minutes=sub.digest_minutes or 60)


def last_listed_alert(session: Session, subscription_id: int) -> int:
    """The id of the newest alert a digest of this subscription already listed (0: none)."""
    keys = session.execute(
        select(AlertRow.dedupe_key).where(
            AlertRow.subscription_id == subscription_id, AlertRow.kind == "digest"
        )
    ).scalars()
    return max((int(k.rsplit(":", 1)[1]) for k in keys), default=0)


def pending_alerts(session: Session, subscription_id: int) -> list[AlertRow]:
    """Alerts and updates not yet listed in a digest, oldest first."""
    after = last_listed_alert(session, subscription_id)
    stmt = (
        select(AlertRow)
        .where(
            AlertRow.subscription_id == subscription_id,
            AlertRow.kind.in_(LISTED_KINDS),
            AlertRow.id > after,
        )
        .order_by(AlertRow.id)
        .limit(MAX_ITEMS)
    )
    return list(session.execute(stmt).scalars())


def build_digest(session: Session, sub: Subscription, now: datetime) -> int | None:
    """Create the digest alert and its delivery; returns the delivery id (None: nothing new)."""
    sub.last_digest_at = now
    alerts = pending_alerts(session, sub.id)
    if not alerts:
        return None
    spec = alert_store.spec_from_row(sub)
    payload = digest_payload(spec, [a.payload for a in alerts], created_at=now)
    payload["alert_ids"] = [a.id for a in alerts]
    alert_id = alert_store.create_alert(
        session,
        subscription=spec,
        story_id=None,
        article_id=alerts[-1].article_id,
        kind="digest",
        dedupe_key=f"digest:{alerts[-1].id}",
        payload=payload,
    )
    if alert_id is None:
        return None
    payload["alert_id"] = alert_id
    alert_store.set_payload(session, alert_id, payload)
    return alert_store.create_delivery(session, alert_id, spec)


def due_digest_subscriptions(session: Session, now: datetime) -> Sequence[Subscription]:
    stmt = select(Subscription).where(Subscription.enabled.is_(True), Subscription.mode == "digest")
    return [s for s in session.execute(stmt).scalars() if is_due(s, now)]


def send_due_digests(sessions: sessionmaker[Session], now: datetime) -> list[int]:
    """Build every due digest, each in its own transaction; returns the new delivery ids."""
    with sessions() as session:
        due = [s.id for s in due_digest_subscriptions(session, now)]
    deliveries: list[int] = []
    for subscription_id in due:
        with transaction(sessions) as session:
            sub = session.get_one(Subscription, subscription_id)
            delivery_id = build_digest(session, sub, now)
        if delivery_id is not None:
            deliveries.append(delivery_id)
    return deliveries
