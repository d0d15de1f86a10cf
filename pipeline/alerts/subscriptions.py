"""Subscriptions' rules in one place: the checks, saving (every webhook signed), test alerts.

The checks serve the API, the CLI, the dashboard and `subscriptions.yaml` alike. A problem
is a (field path, message) pair, so the API can answer 422 naming the field and the YAML
loader can name the file and line. Channel and target rules are the channels' own
(`Channels.validate_target`); the registry is handed in.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from pipeline.alerts.match import matches_nothing
from pipeline.alerts.render import notice_payload
from pipeline.alerts.signing import generate_secret, secret_key
from pipeline.errors import PermanentError
from pipeline.models import Rule, SubscriptionSpec
from pipeline.store import alerts as alert_store
from pipeline.store.alerts import Subscription
from pipeline.store.db import Session

if TYPE_CHECKING:
    from pipeline.alerts.channels import Channels

ACTOR_FIELDS = ("any_actors", "all_actors", "claim_subject", "claim_object")
REMOVED_FROM_CONFIG = "removed from subscriptions.yaml"

Problem = tuple[tuple[str, ...], str]


class InvalidSubscription(PermanentError):
    """A subscription that cannot be saved; `problems` are (field path, message) pairs."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{'.'.join(loc)}: {msg}" for loc, msg in problems))
        self.problems = problems


def unknown_actors(rule: Rule, actor_ids: Collection[str]) -> dict[str, list[str]]:
    """Per rule field, the actor ids it names that are not registered (sorted)."""
    found = {}
    for name in ACTOR_FIELDS:
        value = getattr(rule, name)
        named = [value] if isinstance(value, str) else list(value or ())
        unknown = sorted({a for a in named if a not in actor_ids})
        if unknown:
            found[name] = unknown
    return found


def actor_problems(spec: SubscriptionSpec, actor_ids: Collection[str]) -> list[Problem]:
    return [
        (("rule", name), f"unknown actor id(s): {', '.join(ids)}")
        for name, ids in unknown_actors(spec.rule, actor_ids).items()
    ]


def rule_problems(spec: SubscriptionSpec) -> list[Problem]:
    if matches_nothing(spec.rule):
        return [(("rule",), "the rule matches nothing: give actors, a claim or filters")]
    if spec.mode == "digest" and not spec.digest_minutes:
        return [(("digest_minutes",), "required when mode is digest")]
    return []


def target_problems(
    spec: SubscriptionSpec, channels: Channels, *, allow_loopback: bool
) -> list[Problem]:
    try:
        channels.validate_target(spec.channel, spec.target, allow_loopback=allow_loopback)
    except PermanentError as exc:
        field = "target" if spec.channel in channels else "channel"
        return [((field,), str(exc))]
    if spec.secret:
        try:
            secret_key(spec.secret)
        except PermanentError as exc:
            return [(("secret",), str(exc))]
    return []


def check_subscription(
    spec: SubscriptionSpec,
    channels: Channels,
    actor_ids: Collection[str],
    *,
    allow_loopback: bool,
) -> None:
    """Raise InvalidSubscription listing everything wrong with `spec`."""
    problems = actor_problems(spec, actor_ids) + rule_problems(spec)
    problems += target_problems(spec, channels, allow_loopback=allow_loopback)
    if problems:
        raise InvalidSubscription(problems)


def normalised(spec: SubscriptionSpec) -> SubscriptionSpec:
    """A stream subscription's target is its owner (the pub/sub channel it is published on)."""
    if spec.channel == "stream":
        return dataclasses.replace(spec, target=spec.owner)
    return spec


def signing_secret(spec: SubscriptionSpec) -> str | None:
    """A new secret for a webhook that has none yet: every webhook is signed."""
    return generate_secret() if spec.channel == "webhook" else None


def save(session: Session, spec: SubscriptionSpec, *, origin: str = "api") -> int:
    """Create or update the subscription (a webhook gets a secret if it has none); its id."""
    return alert_store.save_subscription(
        session, spec, origin=origin, new_secret=signing_secret(spec)
    )


def sync_config(session: Session, specs: Sequence[SubscriptionSpec]) -> None:
    """Mirror `subscriptions.yaml` into the table (origin=config); API-made ones are untouched."""
    keep = {(s.owner, s.name) for s in specs}
    alert_store.disable_config_subscriptions_except(session, keep, REMOVED_FROM_CONFIG)
    for spec in specs:
        save(session, spec, origin="config")


def create_test_alert(session: Session, row: Subscription, now: datetime) -> tuple[int, int] | None:
    """A `notice` alert saying "this is a test", with a delivery to the subscription's channel.

    Returns (alert id, delivery id), or None when no article exists yet (an alert row points
    at one). The caller enqueues the delivery.
    """
    article_id = alert_store.newest_article_id(session)
    if article_id is None:
        return None
    spec = alert_store.spec_from_row(row)
    summary = f"[newsmon] test alert for subscription {row.name}"
    payload = notice_payload(spec, summary=summary, created_at=now, type="newsmon.test")
    key = f"test:{uuid.uuid4().hex}"
    alert_id = alert_store.create_notice(
        session, spec, article_id=article_id, dedupe_key=key, payload=payload
    )
    assert alert_id is not None  # a fresh dedupe key never collides
    return alert_id, alert_store.create_delivery(session, alert_id, spec, grace=60.0)
