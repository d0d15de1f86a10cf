"""The deliver stage: one attempt of one delivery through its channel, with the retry decision.

A delivery moves through these states (`deliveries.state`):

    pending --task--> sending --ok--> sent
       |                 |---retryable failure--> retrying --sweeper--> queued --task--> sending
       |                 |---other failure or schedule used up--> dead --replay--> queued
       +--sweeper (task lost)--> queued

`next_attempt_at` is when the sweeper may look at a delivery again, in every unfinished
state: the retry time of `retrying`, the lease of `sending` (a worker killed mid-send leaves
it behind; once it expires the sweeper re-queues it), the grace of `pending` and `queued`
(a task lost before it ran). A task claims a delivery with a conditional UPDATE, so two
copies of one task never send at once; a repeat the receiver sees after a lost worker
carries the same webhook-id.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from pipeline.alerts.channels import get_channel
from pipeline.alerts.channels.base import Delivery, SendResult
from pipeline.alerts.channels.retry import DEFAULT_SCHEDULE, next_delay
from pipeline.errors import NewsmonError
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from pipeline.store.tables import AlertRow, Article, DeliveryRow, Subscription, utcnow

UNFINISHED = ("pending", "queued", "sending", "retrying")


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How deliveries behave; built from settings at the edge."""

    timeout: float = 10.0
    max_response_bytes: int = 64 * 1024
    allow_loopback: bool = False
    schedule: tuple[float, ...] = DEFAULT_SCHEDULE
    lease: float | None = None
    """Seconds a sending worker owns a delivery; None: two timeouts plus one second."""
    requeue_grace: float = 60.0
    """Seconds a queued delivery may wait for its task before the sweeper queues it again."""

    @property
    def effective_lease(self) -> float:
        return self.lease if self.lease is not None else 2 * self.timeout + 1


@dataclass(frozen=True, slots=True)
class Attempted:
    """How an attempt ended: sent, retrying (after `retry_in` seconds), dead, or skipped."""

    state: str
    retry_in: float | None = None
    detail: str = ""
    latency: float | None = None
    """Seconds from the article's first sighting to this successful delivery."""


def deliver(
    sessions: sessionmaker[Session],
    delivery_id: int,
    policy: DeliveryPolicy,
    *,
    rng: random.Random | None = None,
) -> Attempted:
    """Attempt the delivery unless another attempt owns it or it is finished (then a no-op)."""
    claimed = _claim(sessions, delivery_id, policy.effective_lease)
    if claimed is None:
        return Attempted("skipped", detail="not claimable")
    attempt, channel_name, seen_at, disabled = _prepare(sessions, delivery_id, policy)
    result = SendResult.dead(disabled) if disabled else _send(channel_name, attempt)
    outcome = _record(
        sessions, delivery_id, attempt.attempt, result, policy, rng or random.Random()
    )
    if outcome.state == "sent":
        latency = (datetime.now(UTC) - seen_at).total_seconds()
        return Attempted("sent", detail=outcome.detail, latency=latency)
    return outcome


def _claim(sessions: sessionmaker[Session], delivery_id: int, lease: float) -> int | None:
    now = utcnow()
    with transaction(sessions) as session:
        claimable = or_(
            DeliveryRow.state.in_(("pending", "queued")),
            and_(DeliveryRow.state == "sending", DeliveryRow.next_attempt_at <= now),
        )
        moved = session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id, claimable)
            .values(state="sending", next_attempt_at=now + timedelta(seconds=lease))
        )
        return delivery_id if getattr(moved, "rowcount", 0) else None


def _prepare(
    sessions: sessionmaker[Session], delivery_id: int, policy: DeliveryPolicy
) -> tuple[Delivery, str, datetime, str | None]:
    with sessions() as session:
        row = session.get_one(DeliveryRow, delivery_id)
        sub = session.get_one(Subscription, row.subscription_id)
        alert = session.get_one(AlertRow, row.alert_id)
        attempt = Delivery(
            delivery_id=row.delivery_key,
            subscription_id=sub.id,
            target=sub.target,
            payload=alert.payload,
            secret=sub.secret,
            attempt=row.attempts + 1,
            timeout=policy.timeout,
            max_response_bytes=policy.max_response_bytes,
            allow_loopback=policy.allow_loopback,
        )
        seen_at = session.get_one(Article, alert.article_id).first_seen_at
        disabled = None
        if not sub.enabled:
            disabled = f"subscription disabled: {sub.disabled_reason or 'by its owner'}"
        return attempt, sub.channel, seen_at, disabled


def _send(channel_name: str, attempt: Delivery) -> SendResult:
    try:
        return get_channel(channel_name).send(attempt)
    except NewsmonError as exc:
        return SendResult.dead(str(exc))


def _record(
    sessions: sessionmaker[Session],
    delivery_id: int,
    attempt: int,
    result: SendResult,
    policy: DeliveryPolicy,
    rng: random.Random,
) -> Attempted:
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        row = session.get_one(DeliveryRow, delivery_id)
        if row.state in ("sent", "dead"):
            # Our lease ran out and another attempt finished first: its record stands.
            return Attempted("skipped", detail=f"already {row.state}")
        if result.ok:
            alert_store.record_attempt(
                session, delivery_id, state="sent", status=result.status, error=None
            )
            _mark_subscription_healthy(session, row.subscription_id)
            return Attempted("sent", detail=result.detail)
        delay = None
        if result.retryable:
            delay = next_delay(attempt, policy.schedule, retry_after=result.retry_after, rng=rng)
        state = "retrying" if delay is not None else "dead"
        alert_store.record_attempt(
            session,
            delivery_id,
            state=state,
            status=result.status,
            error=result.detail,
            next_attempt_at=now + timedelta(seconds=delay) if delay is not None else None,
        )
        _mark_subscription_failing(session, row.subscription_id, now)
        return Attempted(state, retry_in=delay, detail=result.detail)


def _mark_subscription_healthy(session: Session, subscription_id: int) -> None:
    session.get_one(Subscription, subscription_id).failing_since = None


def _mark_subscription_failing(session: Session, subscription_id: int, now: datetime) -> None:
    sub = session.get_one(Subscription, subscription_id)
    if sub.failing_since is None:
        sub.failing_since = now


def claim_due_deliveries(
    sessions: sessionmaker[Session], now: datetime, limit: int = 500, *, grace: float = 60.0
) -> list[int]:
    """Unfinished deliveries whose time has come, each moved to `queued` once, to enqueue.

    Due means: a retry time reached, a sending lease expired (its worker died), or a pending
    or queued delivery whose task has not run within its grace (the task was lost). The
    conditional UPDATE makes two sweepers unable to claim one delivery twice; the claimed
    ones get `grace` seconds before they are due again.
    """
    claimed: list[int] = []
    with transaction(sessions) as session:
        stmt = (
            select(DeliveryRow.id)
            .where(DeliveryRow.state.in_(UNFINISHED), DeliveryRow.next_attempt_at <= now)
            .order_by(DeliveryRow.next_attempt_at)
            .limit(limit)
        )
        for delivery_id in list(session.execute(stmt).scalars()):
            moved = session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.id == delivery_id,
                    DeliveryRow.state.in_(UNFINISHED),
                    DeliveryRow.next_attempt_at <= now,
                )
                .values(state="queued", next_attempt_at=now + timedelta(seconds=grace))
            )
            if getattr(moved, "rowcount", 0):
                claimed.append(delivery_id)
    return claimed


@dataclass(frozen=True, slots=True)
class Disabled:
    """A subscription switched off for failing too long, and the notice for its owner."""

    subscription_id: int
    owner: str
    name: str
    reason: str
    notice: dict[str, Any] = field(default_factory=dict)
    notice_alert_id: int | None = None


def disable_failing(
    sessions: sessionmaker[Session], now: datetime, after_seconds: float
) -> list[Disabled]:
    """Disable every enabled subscription failing continuously for over `after_seconds`.

    Each gets a reason, its unfinished deliveries go dead with that reason, and its owner a
    `notice` alert row (the payload is returned so the caller can also publish it live).
    """
    cutoff = now - timedelta(seconds=after_seconds)
    disabled: list[Disabled] = []
    with transaction(sessions) as session:
        stmt = select(Subscription).where(
            Subscription.enabled.is_(True), Subscription.failing_since <= cutoff
        )
        for sub in list(session.execute(stmt).scalars()):
            disabled.append(_disable(session, sub, now))
    return disabled


def _disable(session: Session, sub: Subscription, now: datetime) -> Disabled:
    assert sub.failing_since is not None
    since = sub.failing_since.isoformat(timespec="seconds")
    reason = f"channel {sub.channel} failing continuously since {since}"
    sub.enabled, sub.disabled_reason = False, reason
    session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.subscription_id == sub.id, DeliveryRow.state.in_(UNFINISHED))
        .values(state="dead", last_error=f"subscription disabled: {reason}", next_attempt_at=None)
    )
    notice = {
        "version": 1,
        "type": "newsmon.notice",
        "kind": "notice",
        "created_at": now.isoformat(),
        "subscription": {"id": sub.id, "name": sub.name, "owner": sub.owner},
        "summary": f"[newsmon] subscription {sub.name} disabled: {reason}",
        "reason": reason,
    }
    alert_id = _notice_alert(session, sub, f"disabled:{since}", notice)
    return Disabled(sub.id, sub.owner, sub.name, reason, notice, alert_id)


def _notice_alert(
    session: Session, sub: Subscription, dedupe_key: str, payload: dict[str, Any]
) -> int | None:
    # An alert row needs an article: the one of the latest alert, whose delivery failed.
    article_id = session.execute(
        select(AlertRow.article_id)
        .where(AlertRow.subscription_id == sub.id)
        .order_by(AlertRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if article_id is None:
        return None
    spec = alert_store.spec_from_row(sub)
    return alert_store.create_alert(
        session,
        subscription=spec,
        story_id=None,
        article_id=article_id,
        kind="notice",
        dedupe_key=dedupe_key,
        payload=payload,
    )
