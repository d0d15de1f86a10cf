"""Deliveries in SQL: claiming, recording attempts, sweeping, disabling, digests and replay.

Only reads and writes; the state machine they serve (which state follows which, when to
retry, when a subscription has failed too long) is `pipeline.alerts.deliver`. Each function
works inside the caller's transaction and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from pipeline.store.tables import AlertRow, Article, DeliveryRow, Subscription, utcnow

UNFINISHED = ("pending", "queued", "sending", "retrying")
CLAIMABLE = ("pending", "queued")
REPLAYABLE = ("dead", "retrying")

__all__ = ["AlertRow", "DeliveryRow", "Subscription"]  # row types read by attribute outside


def _moved(result: object) -> bool:
    return bool(getattr(result, "rowcount", 0))


# -- one attempt


def claim(session: Session, delivery_id: int, *, now: datetime, lease_until: datetime) -> bool:
    """Move a pending or queued delivery (or one whose sending lease ran out) to `sending`.

    A conditional UPDATE: of two copies of one task, only one gets True.
    """
    claimable = or_(
        DeliveryRow.state.in_(CLAIMABLE),
        and_(DeliveryRow.state == "sending", DeliveryRow.next_attempt_at <= now),
    )
    moved = session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.id == delivery_id, claimable)
        .values(state="sending", next_attempt_at=lease_until)
    )
    return _moved(moved)


def attempt_rows(
    session: Session, delivery_id: int
) -> tuple[DeliveryRow, Subscription, AlertRow, datetime]:
    """What one attempt reads: the delivery, its subscription, its alert, and when the alert's
    article was first seen (for the delivery latency)."""
    row = session.get_one(DeliveryRow, delivery_id)
    alert = session.get_one(AlertRow, row.alert_id)
    seen_at = session.get_one(Article, alert.article_id).first_seen_at
    return row, session.get_one(Subscription, row.subscription_id), alert, seen_at


def state_of(session: Session, delivery_id: int) -> tuple[str, int]:
    """(state, subscription id) of a delivery."""
    row = session.get_one(DeliveryRow, delivery_id)
    return row.state, row.subscription_id


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


def set_failing_since(session: Session, subscription_id: int, since: datetime | None) -> None:
    """Mark a subscription failing since `since` (kept when already failing), or healthy (None)."""
    sub = session.get_one(Subscription, subscription_id)
    if since is None or sub.failing_since is None:
        sub.failing_since = since


# -- the sweeper


def due_ids(session: Session, now: datetime, limit: int) -> list[int]:
    """Unfinished deliveries whose `next_attempt_at` has passed, earliest first."""
    stmt = (
        select(DeliveryRow.id)
        .where(DeliveryRow.state.in_(UNFINISHED), DeliveryRow.next_attempt_at <= now)
        .order_by(DeliveryRow.next_attempt_at)
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


def requeue_if_due(session: Session, delivery_id: int, *, now: datetime, until: datetime) -> bool:
    """Move a still-due unfinished delivery to `queued`, due again at `until`; False if gone."""
    moved = session.execute(
        update(DeliveryRow)
        .where(
            DeliveryRow.id == delivery_id,
            DeliveryRow.state.in_(UNFINISHED),
            DeliveryRow.next_attempt_at <= now,
        )
        .values(state="queued", next_attempt_at=until)
    )
    return _moved(moved)


def failing_subscriptions(session: Session, since: datetime) -> list[Subscription]:
    """Enabled subscriptions failing continuously since `since` or earlier."""
    stmt = select(Subscription).where(
        Subscription.enabled.is_(True), Subscription.failing_since <= since
    )
    return list(session.execute(stmt).scalars())


def disable_subscription(session: Session, subscription_id: int, reason: str) -> None:
    """Switch a subscription off; its unfinished deliveries go dead with the reason."""
    sub = session.get_one(Subscription, subscription_id)
    sub.enabled, sub.disabled_reason = False, reason
    session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.subscription_id == subscription_id, DeliveryRow.state.in_(UNFINISHED))
        .values(state="dead", last_error=f"subscription disabled: {reason}", next_attempt_at=None)
    )


def latest_alert_article(session: Session, subscription_id: int) -> int | None:
    """The article of the subscription's newest alert (None: it has none)."""
    return session.execute(
        select(AlertRow.article_id)
        .where(AlertRow.subscription_id == subscription_id)
        .order_by(AlertRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()


# -- digests


def digest_subscriptions(session: Session) -> list[Subscription]:
    """Enabled digest-mode subscriptions."""
    stmt = select(Subscription).where(Subscription.enabled.is_(True), Subscription.mode == "digest")
    return list(session.execute(stmt).scalars())


def digest_keys(session: Session, subscription_id: int) -> list[str]:
    """Dedupe keys of the subscription's digest alerts (`digest:<newest listed alert id>`)."""
    stmt = select(AlertRow.dedupe_key).where(
        AlertRow.subscription_id == subscription_id, AlertRow.kind == "digest"
    )
    return list(session.execute(stmt).scalars())


def alerts_after(
    session: Session, subscription_id: int, after: int, kinds: Sequence[str], limit: int
) -> list[AlertRow]:
    """The subscription's alerts of `kinds` with ids above `after`, oldest first."""
    stmt = (
        select(AlertRow)
        .where(
            AlertRow.subscription_id == subscription_id,
            AlertRow.kind.in_(kinds),
            AlertRow.id > after,
        )
        .order_by(AlertRow.id)
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


def set_last_digest(session: Session, subscription_id: int, at: datetime) -> None:
    session.get_one(Subscription, subscription_id).last_digest_at = at


# -- by owner (API, CLI, dashboard)


def of_alerts(session: Session, alert_ids: Sequence[int]) -> dict[int, list[DeliveryRow]]:
    """Deliveries grouped by alert id."""
    grouped: dict[int, list[DeliveryRow]] = {i: [] for i in alert_ids}
    if alert_ids:
        stmt = select(DeliveryRow).where(DeliveryRow.alert_id.in_(alert_ids))
        for row in session.execute(stmt.order_by(DeliveryRow.id)).scalars():
            grouped[row.alert_id].append(row)
    return grouped


def replayable_of_alert(session: Session, alert_id: int) -> list[int]:
    """Ids of an alert's dead or waiting deliveries."""
    stmt = select(DeliveryRow.id).where(
        DeliveryRow.alert_id == alert_id, DeliveryRow.state.in_(REPLAYABLE)
    )
    return list(session.scalars(stmt))


def list_owned(
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


def owned(session: Session, owner: str | None, delivery_id: int) -> DeliveryRow | None:
    """The delivery if it belongs to one of `owner`'s subscriptions (any owner when None)."""
    row = session.get(DeliveryRow, delivery_id)
    if row is None or owner is None:
        return row
    sub = session.get(Subscription, row.subscription_id)
    return row if sub is not None and sub.owner == owner else None


def replay(session: Session, row: DeliveryRow) -> bool:
    """Queue a dead (or waiting) delivery for one more attempt now; False if not replayable.

    The delivery keeps its key, so the receiver sees the same webhook-id again. The
    subscription is re-enabled when it was disabled for failing: the owner asked for it.
    """
    moved = session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.id == row.id, DeliveryRow.state.in_(REPLAYABLE))
        .values(state="queued", next_attempt_at=utcnow() + timedelta(seconds=60), attempts=0)
    )
    if not _moved(moved):
        return False
    sub = session.get_one(Subscription, row.subscription_id)
    if not sub.enabled and sub.failing_since is not None:
        sub.enabled, sub.disabled_reason, sub.failing_since = True, None, None
    session.expire(row)
    return True
