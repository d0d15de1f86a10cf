"""Digest subscriptions: every N minutes, one message listing the stories alerted since the last.

A digest-mode subscription gets alert rows like any other (one per story, plus updates) but
no delivery of its own. When its period has passed, `send_due_digests` gathers the alerts
newer than the last digest into one `digest` alert with one delivery. The digest's dedupe
key names the newest alert it covers (`digest:<alert id>`), so two sweepers racing build
one digest, and an alert is never listed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pipeline.alerts.render import digest_payload
from pipeline.store import alerts as alert_store
from pipeline.store import deliveries as delivery_store
from pipeline.store.db import Session, Sessions, transaction
from pipeline.store.deliveries import Subscription

LISTED_KINDS = ("alert", "update")
MAX_ITEMS = 200


def is_due(sub: Subscription, now: datetime) -> bool:
    """True when the digest period has passed since the last digest (or the creation)."""
    last = sub.last_digest_at or sub.created_at
    return now - last >= timedelta(minutes=sub.digest_minutes or 60)


def last_listed(digest_keys: Iterable[str]) -> int:
    """The id of the newest alert the digests with these keys listed (0: none)."""
    return max((int(k.rsplit(":", 1)[1]) for k in digest_keys), default=0)


def build_digest(session: Session, sub: Subscription, now: datetime) -> int | None:
    """Create the digest alert and its delivery; returns the delivery id (None: nothing new)."""
    delivery_store.set_last_digest(session, sub.id, now)
    after = last_listed(delivery_store.digest_keys(session, sub.id))
    alerts = delivery_store.alerts_after(session, sub.id, after, LISTED_KINDS, MAX_ITEMS)
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


def send_due_digests(sessions: Sessions, now: datetime) -> list[int]:
    """Build every due digest, each in its own transaction; returns the new delivery ids."""
    with sessions() as session:
        due = [s.id for s in delivery_store.digest_subscriptions(session) if is_due(s, now)]
    deliveries: list[int] = []
    for subscription_id in due:
        with transaction(sessions) as session:
            sub = alert_store.subscription(session, subscription_id)
            delivery_id = build_digest(session, sub, now)
        if delivery_id is not None:
            deliveries.append(delivery_id)
    return deliveries
