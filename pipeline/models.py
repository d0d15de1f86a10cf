"""Domain values passed between stages: frozen dataclasses with JSON codecs.

These are the only shapes that cross a process boundary (Celery payloads, CLI output,
the API): every one converts to and from plain JSON with `to_json` / `from_json`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

ACTOR_TYPES = ("PERSON", "ORG", "GPE", "NORP")


OMIT_NONE = "omit_none"
"""Field metadata: leave the key out of the JSON while the value is None (an added field
that older readers and stored payloads never had)."""


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, bool], ...]:
    """(name, omit while None) of a dataclass's fields: `dataclasses.fields` is slow to ask
    for every value, and the poller encodes tens of thousands of items a cycle."""
    return tuple((f.name, bool(f.metadata.get(OMIT_NONE))) for f in dataclasses.fields(kind))


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        encoded = {}
        for name, omit_none in _fields(type(value)):
            member = getattr(value, name)
            if not (omit_none and member is None):
                encoded[name] = _encode(member)
        return encoded
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


class JsonCodec:
    """Mixin: `to_json()` gives plain JSON values, `from_json()` rebuilds the value."""

    _datetimes: ClassVar[tuple[str, ...]] = ()
    _nested: ClassVar[dict[str, Any]] = {}

    def to_json(self) -> dict[str, Any]:
        return _encode(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        kwargs: dict[str, Any] = {}
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for key, value in data.items():
            if key not in names:
                continue
            if key in cls._datetimes and isinstance(value, str):
                value = datetime.fromisoformat(value)
            elif key in cls._nested and value is not None:
                kind, many = cls._nested[key]
                value = tuple(kind.from_json(v) for v in value) if many else kind.from_json(value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[key] = value
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class Actor(JsonCodec):
    """A tracked actor from the registry (`config/entities.yaml`)."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    """Context words that make an ambiguous alias refer to this actor."""
    exclude: tuple[str, ...] = ()
    """Context words that make an ambiguous alias refer to something else."""


@dataclass(frozen=True, slots=True)
class ActorRef(JsonCodec):
    """A reference to an actor as written in a text: registry id (or None) and surface text."""

    id: str | None
    text: str
    name: str | None = field(default=None, metadata={OMIT_NONE: True})
    """The tracked actor's registry name ("North Korea" for the text "they"); None untracked."""


@dataclass(frozen=True, slots=True)
class Mention(JsonCodec):
    """One occurrence of an entity in the article text (character offsets, end exclusive)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity(JsonCodec):
    """A named entity of an article: tracked (id set) or untracked (id None)."""

    id: str | None
    name: str
    type: str
    mentions: tuple[Mention, ...] = ()

    _nested: ClassVar[dict[str, Any]] = {"mentions": (Mention, True)}


@dataclass(frozen=True, slots=True)
class Claim(JsonCodec):
    """Who did what to whom, who says so, with the sentence as evidence."""

    subject: ActorRef
    predicate: str
    object: ActorRef | None
    theme: str | None
    speaker: ActorRef | None
    negated: bool
    hedged: bool
    quantity: str | None
    sentence: str
    start: int
    end: int
    confidence: float
    from_title: bool = False
    """Stated only in the headline: `sentence` is the title and `start`/`end` point into it.
    Every other claim's offsets point into the article's `text`."""

    _nested: ClassVar[dict[str, Any]] = {
        "subject": (ActorRef, False),
        "object": (ActorRef, False),
        "speaker": (ActorRef, False),
    }


@dataclass(frozen=True, slots=True)
class Extraction(JsonCodec):
    """Everything the extract stage found in one article."""

    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    version: str = ""

    _nested: ClassVar[dict[str, Any]] = {"entities": (Entity, True), "claims": (Claim, True)}

    @property
    def actor_ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.entities if e.id)


@dataclass(frozen=True, slots=True)
class ArticleIn(JsonCodec):
    """An article as it enters the pipeline, from a feed, a push, a seed file or the CLI."""

    title: str
    text: str
    url: str | None = None
    source: str | None = None
    published: datetime | None = None
    fetched: datetime | None = None
    feed_id: int | None = None
    guid: str | None = None
    language: str | None = None
    summary: str | None = None
    origin: str = "feed"
    """Where it came from: feed, push, seed, cli."""

    _datetimes: ClassVar[tuple[str, ...]] = ("published", "fetched")


@dataclass(frozen=True, slots=True)
class FeedSpec(JsonCodec):
    """A feed to poll, from `config/feeds.yaml` or the database."""

    url: str
    name: str | None = None
    source: str | None = None
    language: str | None = None
    min_interval: int | None = None
    max_interval: int | None = None
    full_text: bool | None = None
    """Fetch the article page when an item carries only a summary (None: decide per item)."""


@dataclass(frozen=True, slots=True)
class Rule(JsonCodec):
    """What a subscription matches: any actor, all actors, or a claim pattern."""

    any_actors: tuple[str, ...] = ()
    all_actors: tuple[str, ...] = ()
    claim_subject: str | None = None
    claim_predicates: tuple[str, ...] = ()
    claim_object: str | None = None
    claim_negated: bool | None = None
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @property
    def has_claim_pattern(self) -> bool:
        return bool(self.claim_subject or self.claim_predicates or self.claim_object)


@dataclass(frozen=True, slots=True)
class SubscriptionSpec(JsonCodec):
    """A subscription: an owner, a name, a rule and a channel."""

    name: str
    owner: str
    rule: Rule
    channel: str
    target: str
    mode: str = "instant"
    digest_minutes: int | None = None
    updates: bool = False
    secret: str | None = None
    id: int | None = None

    _nested: ClassVar[dict[str, Any]] = {"rule": (Rule, False)}


@dataclass(frozen=True, slots=True)
class Summary(JsonCodec):
    """Counts after a reprocess run."""

    articles: int = 0
    duplicates: int = 0
    actors: int = 0
    claims: int = 0
    alerts: int = 0
    failed: int = 0
    extra: dict[str, int] = field(default_factory=dict)


# -- a feed's polling state, as the store keeps it and the poller reads it (no JSON codec:
# these stay in one process)

RATE_WINDOW = timedelta(days=7)
"""How far back item dates count towards a feed's publishing rate."""


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """What the poller knows about one feed when it starts polling it."""

    id: int
    url: str
    name: str | None = None
    source: str | None = None
    language: str | None = None
    full_text: bool | None = None
    min_interval: int | None = None
    max_interval: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    ttl_seconds: int | None = None
    hub_url: str | None = None
    self_url: str | None = None
    websub_secret: str | None = None
    websub_expires_at: datetime | None = None
    consecutive_failures: int = 0
    failing: bool = False
    next_check_at: datetime | None = None
    item_times: tuple[datetime, ...] = ()

    def is_due(self, now: datetime) -> bool:
        return self.next_check_at is None or self.next_check_at <= now

    def has_live_push(self, now: datetime) -> bool:
        """True while a WebSub subscription is confirmed and unexpired."""
        return self.websub_expires_at is not None and self.websub_expires_at > now


@dataclass(frozen=True, slots=True)
class Seen:
    """A tombstone as read: the item's content hash when last enqueued, and when first seen."""

    content_hash: str | None
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class Tombstone:
    """A tombstone to write for an item just enqueued; `update`: the key is known, only its
    content hash changes."""

    feed_id: int
    key: str
    content_hash: str | None
    first_seen: datetime
    update: bool = False


def parse_item_times(raw: Iterable[object]) -> tuple[datetime, ...]:
    """Item times as stored in JSON (ISO strings); unreadable entries are skipped."""
    times: list[datetime] = []
    for value in raw or ():
        if isinstance(value, datetime):
            times.append(value)
        elif isinstance(value, str):
            try:
                times.append(datetime.fromisoformat(value))
            except ValueError:
                continue
    return tuple(times)


def publishing_interval(
    item_times: Iterable[datetime], now: datetime, *, window: timedelta = RATE_WINDOW
) -> float | None:
    """Average seconds between items published in `window` before `now`; None if none were."""
    start = now - window
    recent = sorted(t for t in item_times if start <= t <= now)
    if not recent:
        return None
    if len(recent) == 1:
        # One item in a week: expect the next one about a window later.
        return window.total_seconds()
    # Count the time from the oldest item to now, so a feed that went quiet slows down.
    return (now - recent[0]).total_seconds() / len(recent)
