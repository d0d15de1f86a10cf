"""Alert tasks: the periodic sweep (retries due, lost tasks, digests, failing channels)."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog

from pipeline.alerts.channels import Channels, Delivery
from pipeline.alerts.deliver import Disabled, claim_due_deliveries, disable_failing
from pipeline.alerts.digest import send_due_digests
from workers import metrics
from workers.queue.app import app
from workers.queue.tasks import RETRY, deliver_alert, delivery_policy, deps

log = structlog.get_logger("newsmon.alerts")


@app.task(name="newsmon.sweep_alerts", **RETRY)
def sweep_alerts() -> dict[str, int]:
    """Enqueue deliveries that are due and digests whose period passed; disable dead channels."""
    d = deps()
    now = datetime.now(UTC)
    grace = delivery_policy(d.settings).requeue_grace
    due = claim_due_deliveries(d.sessions, now, grace=grace)
    digests = send_due_digests(d.sessions, now)
    for delivery_id in (*due, *digests):
        deliver_alert.delay(delivery_id)
    after = d.settings.alerts_channel_disable_after_days * 86400
    disabled = disable_failing(d.sessions, now, after)
    for item in disabled:
        _tell_owner(d.channels, item)
    metrics.incr(d.redis, "digests_sent", len(digests))
    return {"due": len(due), "digests": len(digests), "disabled": len(disabled)}


def _tell_owner(channels: Channels, item: Disabled) -> None:
    log.warning(
        "subscription_disabled",
        subscription_id=item.subscription_id,
        owner=item.owner,
        reason=item.reason,
    )
    notice = Delivery(
        delivery_id=f"notice_{item.notice_alert_id or item.subscription_id}",
        subscription_id=item.subscription_id,
        target=item.owner,
        payload=item.notice,
    )
    result = channels.get("stream").send(notice)
    if not result.ok:
        log.warning("notice_not_published", owner=item.owner, detail=result.detail)
