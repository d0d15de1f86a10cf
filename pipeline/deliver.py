"""The deliver stage: one attempt of one delivery through its channel, with the retry decision."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from pipeline.errors import NewsmonError
from pipeline.notify import get_channel
from pipeline.notify.base import Delivery, SendResult
from pipeline.notify.retry import DEFAULT_SCHEDULE, next_delay
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from pipeline.store.tables import AlertRow, Article, DeliveryRow, Subscription


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How deliveries behave; built from settings at the edge."""

    timeout: float = 10.0
    max_response_bytes: int = 64 * 1024
    allow_loopback: bool = False
    schedule: tuple[float, ...] = DEFAULT_SCHEDULE


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
    """Attempt the delivery unless it is already sent or dead (a redelivered task is a no-op)."""
    with sessions() as session:
        row = session.get(DeliveryRow, delivery_id)
        if row is None or row.state in ("sent", "dead"):
            return Attempted("skipped", detail=row.state if row else "missing")
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
        channel_name = sub.channel
        seen_at = session.get_one(Article, alert.article_id).first_seen_at
    result = _send(channel_name, attempt)
    outcome = _record(
        sessions, delivery_id, attempt.attempt, result, policy, rng or random.Random()
    )
    if outcome.state == "sent":
        latency = (datetime.now(UTC) - seen_at).total_seconds()
        return Attempted("sent", detail=outcome.detail, latency=latency)
    return outcome


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
        if result.ok:
            alert_store.record_attempt(
                session, delivery_id, state="sent", status=result.status, error=None
            )
            _mark_subscription_healthy(session, delivery_id)
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
        _mark_subscription_failing(session, delivery_id, now)
        return Attempted(state, retry_in=delay, detail=result.detail)


def _mark_subscription_healthy(session: Session, delivery_id: int) -> None:
    row = session.get_one(DeliveryRow, delivery_id)
    session.get_one(Subscription, row.subscription_id).failing_since = None


def _mark_subscription_failing(session: Session, delivery_id: int, now: datetime) -> None:
    row = session.get_one(DeliveryRow, delivery_id)
    sub = session.get_one(Subscription, row.subscription_id)
    if sub.failing_since is None:
        sub.failing_since = now


def claim_due_deliveries(
    sessions: sessionmaker[Session], now: datetime, limit: int = 500
) -> list[int]:
    """Deliveries whose retry time has come, each moved from `retrying` to `queued` once.

    The conditional UPDATE makes two sweepers (or a slow worker) unable to enqueue one
    delivery twice.
    """
    claimed: list[int] = []
    with transaction(sessions) as session:
        stmt = (
            select(DeliveryRow.id)
            .where(DeliveryRow.state == "retrying", DeliveryRow.next_attempt_at <= now)
            .order_by(DeliveryRow.next_attempt_at)
            .limit(limit)
        )
        for delivery_id in list(session.execute(stmt).scalars()):
            moved = session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id, DeliveryRow.state == "retrying")
                .values(state="queued")
            )
            if moved.rowcount:
                claimed.append(delivery_id)
    return claimed
