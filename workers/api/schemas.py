"""Request and response bodies of the alerts API (pydantic), with their limits."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pipeline.models import Rule, SubscriptionSpec
from pipeline.store.rows import AlertRow, DeliveryRow, Subscription

Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Words = Annotated[list[Word], Field(max_length=50)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RuleIn(_Body):
    """Criteria combined with AND; actor ids come from `config/entities.yaml`."""

    any_actors: Words = []
    all_actors: Words = []
    claim_subject: Word | None = None
    claim_predicates: Words = []
    claim_object: Word | None = None
    claim_negated: bool | None = None
    sources: Words = []
    languages: Words = []

    def to_rule(self) -> Rule:
        return Rule(
            any_actors=tuple(self.any_actors),
            all_actors=tuple(self.all_actors),
            claim_subject=self.claim_subject,
            claim_predicates=tuple(self.claim_predicates),
            claim_object=self.claim_object,
            claim_negated=self.claim_negated,
            sources=tuple(self.sources),
            languages=tuple(self.languages),
        )


Mode = Literal["instant", "digest"]


class SubscriptionIn(_Body):
    """A new subscription. `target` depends on the channel (a URL, an smtp:// URL, a path)."""

    name: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")]
    rule: RuleIn
    channel: Annotated[str, Field(min_length=1, max_length=32)]
    target: Annotated[str, Field(max_length=2048)] = ""
    mode: Mode = "instant"
    digest_minutes: Annotated[int | None, Field(gt=0, le=7 * 24 * 60)] = None
    updates: bool = False
    secret: Annotated[str | None, Field(max_length=256)] = None
    """Webhook signing secret (`whsec_<base64>`); generated when omitted."""


class SubscriptionPatch(_Body):
    """Fields to change; the others keep their values."""

    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    rule: RuleIn | None = None
    channel: Annotated[str | None, Field(min_length=1, max_length=32)] = None
    target: Annotated[str | None, Field(max_length=2048)] = None
    mode: Mode | None = None
    digest_minutes: Annotated[int | None, Field(gt=0, le=7 * 24 * 60)] = None
    updates: bool | None = None
    secret: Annotated[str | None, Field(max_length=256)] = None
    enabled: bool | None = None


class SubscriptionOut(BaseModel):
    id: int
    owner: str
    name: str
    rule: dict[str, Any]
    channel: str
    target: str
    mode: str
    digest_minutes: int | None
    updates: bool
    secret: str | None
    enabled: bool
    disabled_reason: str | None
    failing_since: datetime | None
    origin: str
    created_at: datetime

    @classmethod
    def of(cls, row: Subscription) -> SubscriptionOut:
        return cls.model_validate(row, from_attributes=True)


class DeliveryOut(BaseModel):
    id: int
    alert_id: int
    subscription_id: int
    webhook_id: str
    channel: str
    state: str
    attempts: int
    last_status: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def of(cls, row: DeliveryRow) -> DeliveryOut:
        data = {k: getattr(row, k) for k in cls.model_fields if k != "webhook_id"}
        return cls(webhook_id=row.delivery_key, **data)


class AlertOut(BaseModel):
    id: int
    subscription_id: int
    kind: str
    story_id: int | None
    article_id: int
    created_at: datetime
    summary: str | None
    deliveries: list[DeliveryOut] = []
    payload: dict[str, Any] | None = None

    @classmethod
    def of(
        cls, row: AlertRow, deliveries: list[DeliveryRow], *, with_payload: bool = False
    ) -> AlertOut:
        own = ("id", "subscription_id", "kind", "story_id", "article_id", "created_at")
        return cls(
            **{k: getattr(row, k) for k in own},
            summary=(row.payload or {}).get("summary"),
            deliveries=[DeliveryOut.of(d) for d in deliveries],
            payload=row.payload if with_payload else None,
        )


def spec_of(body: SubscriptionIn, owner: str) -> SubscriptionSpec:
    given = body.model_dump(exclude={"rule"})
    return SubscriptionSpec(owner=owner, rule=body.rule.to_rule(), **given)
