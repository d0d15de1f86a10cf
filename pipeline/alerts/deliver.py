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

from pipeline.alerts.channels import Channels
from pipeline.alerts.channels.base import Delivery, SendResult
from pipeline.alerts.channels.retry import DEFAULT_SCHEDULE, next_delay
from pipeline.alerts.render import notice_payload
from pipeline.errors import NewsmonError
from pipeline.store import alerts as alert_store
from pipeline.store import deliveries as delivery_store
from pipeline.store.db import Session, Sessions, transaction
from pipeline.store.deliveries import AlertRow, DeliveryRow, Subscription

UNFINISHED = delivery_store.UNFINISHED


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
    sessions: Sessions,
    delivery_id: int,
    policy: DeliveryPolicy,
    channels: Channels,
    *,
    rng: random.Random | None = None,
) -> Attempted:
    """Attempt the delivery unless another attempt owns it or it is finished (then a no-op)."""
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        lease_until = now + timedelta(seconds=policy.effective_lease)
        if not delivery_store.claim(session, delivery_id, now=now, lease_until=lease_until):
            return Attempted("skipped", detail="not claimable")
    with sessions() as session:
        row, sub, alert, seen_at = delivery_store.attempt_rows(session, delivery_id)
    attempt = attempt_of(row, sub, alert, policy)
    disabled = disabled_reason(sub)
    result = SendResult.dead(disabled) if disabled else _send(channels, sub.channel, attempt)
    outcome = _record(
        sessions, delivery_id, attempt.attempt, result, policy, rng or random.Random()
    )
    if outcome.state == "sent":
        latency = (datetime.now(UTC) - seen_at).total_seconds()
        return Attempted("sent", detail=outcome.detail, latency=latency)
    return outcome


def attempt_of(
    row: DeliveryRow, sub: Subscription, alert: AlertRow, policy: DeliveryPolicy
) -> Delivery:
    """The attempt a channel is handed: the next one of this delivery, under the policy."""
    return Delivery(
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


def disabled_reason(sub: Subscription) -> str | None:
    """Why a disabled subscription's delivery goes dead unsent (None: it is enabled)."""
    if sub.enabled:
        return None
    return f"subscription disabled: {sub.disabled_reason or 'by its owner'}"


def _send(channels: Channels, channel_name: str, attempt: Delivery) -> SendResult:
    try:
        return channels.get(channel_name).send(attempt)
    except NewsmonError as exc:
        return SendResult.dead(str(exc))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an attempt's result means for its delivery: the next state and when to retry."""

    state: str
    retry_in: float | None = None

    @property
    def failing(self) -> bool:
        return self.state != "sent"


def outcome_of(
    result: SendResult, attempt: int, policy: DeliveryPolicy, rng: random.Random
) -> Outcome:
    """sent, retrying (a retryable failure with schedule left) or dead."""
    if result.ok:
        return Outcome("sent")
    delay = None
    if result.retryable:
        delay = next_delay(attempt, policy.schedule, retry_after=result.retry_after, rng=rng)
    return Outcome("retrying" if delay is not None else "dead", delay)


def _record(
    sessions: Sessions,
    delivery_id: int,
    attempt: int,
    result: SendResult,
    policy: DeliveryPolicy,
    rng: random.Random,
) -> Attempted:
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        state, subscription_id = delivery_store.state_of(session, delivery_id)
        if state in ("sent", "dead"):
            # Our lease ran out and another attempt finished first: its record stands.
            return Attempted("skipped", detail=f"already {state}")
        outcome = outcome_of(result, attempt, policy, rng)
        delay = outcome.retry_in
        delivery_store.record_attempt(
            session,
            delivery_id,
            state=outcome.state,
            status=result.status,
            error=result.detail if outcome.failing else None,
            next_attempt_at=now + timedelta(seconds=delay) if delay is not None else None,
        )
        delivery_store.set_failing_since(session, subscription_id, now if outcome.failing else None)
        return Attempted(outcome.state, retry_in=delay, detail=result.detail)


def claim_due_deliveries(
    sessions: Sessions, now: datetime, limit: int = 500, *, grace: float = 60.0
) -> list[int]:
    """Unfinished deliveries whose time has come, each moved to `queued` once, to enqueue.

    Due means: a retry time reached, a sending lease expired (its worker died), or a pending
    or queued delivery whose task has not run within its grace (the task was lost). The
    conditional UPDATE makes two sweepers unable to claim one delivery twice; the claimed
    ones get `grace` seconds before they are due again.
    """
    until = now + timedelta(seconds=grace)
    with transaction(sessions) as session:
        return [
            delivery_id
            for delivery_id in delivery_store.due_ids(session, now, limit)
            if delivery_store.requeue_if_due(session, delivery_id, now=now, until=until)
        ]


@dataclass(frozen=True, slots=True)
class Disabled:
    """A subscription switched off for failing too long, and the notice for its owner."""

    subscription_id: int
    owner: str
    name: str
    reason: str
    notice: dict[str, Any] = field(default_factory=dict)
    notice_alert_id: int | None = None


def disabled_for_failing(channel: str, failing_since: datetime) -> tuple[str, str]:
    """(reason, notice dedupe key) of a subscription disabled for failing since then."""
    since = failing_since.isoformat(timespec="seconds")
    return f"channel {channel} failing continuously since {since}", f"disabled:{since}"


def disable_failing(sessions: Sessions, now: datetime, after_seconds: float) -> list[Disabled]:
    """Disable every enabled subscription failing continuously for over `after_seconds`.

    Each gets a reason, its unfinished deliveries go dead with that reason, and its owner a
    `notice` alert row (the payload is returned so the caller can also publish it live).
    """
    cutoff = now - timedelta(seconds=after_seconds)
    with transaction(sessions) as session:
        return [
            _disable(session, sub, now)
            for sub in delivery_store.failing_subscriptions(session, cutoff)
        ]


def _disable(session: Session, sub: Subscription, now: datetime) -> Disabled:
    assert sub.failing_since is not None
    reason, dedupe_key = disabled_for_failing(sub.channel, sub.failing_since)
    delivery_store.disable_subscription(session, sub.id, reason)
    spec = alert_store.spec_from_row(sub)
    notice = notice_payload(
        spec,
        summary=f"[newsmon] subscription {sub.name} disabled: {reason}",
        created_at=now,
        reason=reason,
    )
    # An alert row needs an article: the one of the latest alert, whose delivery failed.
    article_id = delivery_store.latest_alert_article(session, sub.id)
    alert_id = None
    if article_id is not None:
        alert_id = alert_store.create_notice(
            session, spec, article_id=article_id, dedupe_key=dedupe_key, payload=notice
        )
    return Disabled(sub.id, sub.owner, sub.name, reason, notice, alert_id)
