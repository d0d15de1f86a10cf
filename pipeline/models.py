"""Domain values passed between stages: frozen dataclasses with JSON codecs.

These are the only shapes that cross a process boundary (Celery payloads, CLI output,
the API): every one converts to and from plain JSON with `to_json` / `from_json`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Self

ACTOR_TYPES = ("PERSON", "ORG", "GPE", "NORP")


OMIT_NONE = "omit_none"
"""Field metadata: leave the key out of the JSON while the value is None (an added field
that older readers and stored payloads never had)."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _encode(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get(OMIT_NONE) and getattr(value, f.name) is None)
        }
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
