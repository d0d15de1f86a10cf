"""Reads config YAML into feeds, actors and subscriptions; errors name file, line and entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.alerts.subscriptions import rule_problems, unknown_actors
from pipeline.errors import ConfigError
from pipeline.models import ACTOR_TYPES, Actor, FeedSpec, Rule, SubscriptionSpec

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FeedEntry(_Entry):
    url: str = Field(min_length=1)
    name: str | None = None
    source: str | None = None
    language: str | None = None
    min_interval: int | None = Field(default=None, gt=0)
    max_interval: int | None = Field(default=None, gt=0)
    full_text: bool | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value


class ActorEntry(_Entry):
    id: str
    name: str = Field(min_length=1)
    type: Literal["PERSON", "ORG", "GPE", "NORP"]
    aliases: list[str] = []
    hints: list[str] = []
    exclude: list[str] = []

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be lower-case letters, digits, '-', '_' or '.'")
        return value


class RuleEntry(_Entry):
    any_actors: list[str] = []
    all_actors: list[str] = []
    claim_subject: str | None = None
    claim_predicates: list[str] = []
    claim_object: str | None = None
    claim_negated: bool | None = None
    sources: list[str] = []
    languages: list[str] = []


class SubscriptionEntry(_Entry):
    name: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    rule: RuleEntry
    channel: str = "file"
    target: str = Field(min_length=1)
    mode: Literal["instant", "digest"] = "instant"
    digest_minutes: int | None = Field(default=None, gt=0)
    updates: bool = False
    secret: str | None = None


E = TypeVar("E", bound=_Entry)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line each mapping starts on."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load_entries(path: Path, key: str, model: type[E]) -> list[tuple[int, E]]:
    """Parse `path`, take the list under `key`, validate each entry; errors name the line."""
    if not path.exists():
        raise ConfigError(
            f"file not found (expected a YAML file with a '{key}:' list)", path=str(path)
        )
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        # The context mark is where the broken construct opened (an unclosed bracket's
        # line), which is where a person has to look; the problem mark may be the file's end.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}", path=str(path), line=line
        ) from None
    if doc is None:
        return []
    if not isinstance(doc, dict) or key not in doc:
        raise ConfigError(f"expected a top-level '{key}:' list", path=str(path), line=1)
    raw = doc[key] or []
    if not isinstance(raw, list):
        raise ConfigError(f"'{key}' must be a list", path=str(path), line=doc.get("__line__"))
    entries: list[tuple[int, E]] = []
    for index, item in enumerate(raw, start=1):
        line = item.pop("__line__", None) if isinstance(item, dict) else None
        if not isinstance(item, dict):
            raise ConfigError(f"entry {index} must be a mapping, got {item!r}", path=str(path))
        _strip_lines(item)
        try:
            entries.append((line or 0, model.model_validate(item)))
        except ValidationError as exc:
            label = item.get("id") or item.get("name") or item.get("url") or f"#{index}"
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}"
                for err in exc.errors()
            )
            raise ConfigError(
                f"{key} entry {index} ({label}): {problems}", path=str(path), line=line
            ) from None
    return entries


def _strip_lines(value: Any) -> None:
    if isinstance(value, dict):
        value.pop("__line__", None)
        for nested in value.values():
            _strip_lines(nested)
    elif isinstance(value, list):
        for nested in value:
            _strip_lines(nested)


def load_feeds(path: Path) -> list[FeedSpec]:
    """Feeds from `feeds.yaml`; duplicate URLs are an error."""
    seen: dict[str, int] = {}
    feeds = []
    for line, entry in _load_entries(path, "feeds", FeedEntry):
        if entry.url in seen:
            raise ConfigError(
                f"feed {entry.url} is listed twice (first on line {seen[entry.url]})",
                path=str(path),
                line=line,
            )
        seen[entry.url] = line
        feeds.append(FeedSpec(**entry.model_dump()))
    return feeds


def load_actors(path: Path) -> list[Actor]:
    """Tracked actors from `entities.yaml`; ids must be unique."""
    seen: dict[str, int] = {}
    actors = []
    for line, entry in _load_entries(path, "actors", ActorEntry):
        if entry.id in seen:
            raise ConfigError(
                f"actor id '{entry.id}' is used twice (first on line {seen[entry.id]})",
                path=str(path),
                line=line,
            )
        seen[entry.id] = line
        data = entry.model_dump()
        actors.append(
            Actor(
                id=data["id"],
                name=data["name"],
                type=data["type"],
                aliases=tuple(data["aliases"]),
                hints=tuple(data["hints"]),
                exclude=tuple(data["exclude"]),
            )
        )
    assert all(a.type in ACTOR_TYPES for a in actors)
    return actors


def load_subscriptions(path: Path, actor_ids: set[str] | None = None) -> list[SubscriptionSpec]:
    """Subscriptions from `subscriptions.yaml`, checked like the API checks them (actor ids
    against the registry, the rule, digest minutes); targets are checked when sent."""
    subs = []
    for line, entry in _load_entries(path, "subscriptions", SubscriptionEntry):
        data = entry.model_dump(exclude={"rule"})
        spec = SubscriptionSpec(rule=Rule.from_json(entry.rule.model_dump()), **data)
        unknown = unknown_actors(spec.rule, actor_ids) if actor_ids is not None else {}
        if unknown:
            named = ", ".join(sorted({a for ids in unknown.values() for a in ids}))
            raise ConfigError(
                f"subscription '{entry.name}': unknown actor id(s) {named}",
                path=str(path),
                line=line,
            )
        for _, problem in rule_problems(spec):
            raise ConfigError(f"subscription '{entry.name}': {problem}", path=str(path), line=line)
        subs.append(spec)
    return subs
