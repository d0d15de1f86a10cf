"""Subscription matching: which subscriptions an article's extraction satisfies, and why.

A rule's criteria are combined with AND: `any_actors` (at least one mentioned), `all_actors`
(every one mentioned in the same article), a claim pattern (one claim fitting subject,
predicate, object and negation at once), then the `sources` and `languages` filters
(case-insensitive; empty means all). A rule with no actor or claim criterion matches every
article that passes its filters, except a completely empty rule, which matches nothing so a
blank subscription never turns into a fire-hose.

Pure: no I/O. `match_all` keeps the input order of subscriptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pipeline.models import ActorRef, Claim, Extraction, JsonCodec, Rule, SubscriptionSpec


@dataclass(frozen=True, slots=True)
class ArticleFacts(JsonCodec):
    """What matching needs to know about one stored article."""

    article_id: int
    story_id: int | None
    source: str | None
    language: str | None
    extraction: Extraction

    _nested: ClassVar[dict[str, Any]] = {"extraction": (Extraction, False)}


@dataclass(frozen=True, slots=True)
class RuleMatch(JsonCodec):
    """Why a rule matched: the matched actor ids (rule order) and the matched claims."""

    actor_ids: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()

    _nested: ClassVar[dict[str, Any]] = {"claims": (Claim, True)}


@dataclass(frozen=True, slots=True)
class Match(JsonCodec):
    """A subscription that matched an article, with the actors and claims that made it match.

    `actors` carries the display names of the matched actors (same order as `actor_ids`)
    so rendering needs no registry look-up.
    """

    subscription: SubscriptionSpec
    actor_ids: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    actors: tuple[ActorRef, ...] = ()

    _nested: ClassVar[dict[str, Any]] = {
        "subscription": (SubscriptionSpec, False),
        "claims": (Claim, True),
        "actors": (ActorRef, True),
    }


def _fold(values: Iterable[str]) -> set[str]:
    return {v.strip().casefold() for v in values if v and v.strip()}


def is_source_allowed(rule: Rule, source: str | None) -> bool:
    """True when the rule has no source filter or `source` is one of them (or a subdomain)."""
    if not rule.sources:
        return True
    if not source:
        return False
    folded = source.strip().casefold()
    return any(folded == s or folded.endswith("." + s) for s in _fold(rule.sources))


def is_language_allowed(rule: Rule, language: str | None) -> bool:
    """True when the rule has no language filter or `language` fits one ("en" takes "en-GB")."""
    if not rule.languages:
        return True
    if not language:
        return False
    primary = language.strip().casefold().replace("_", "-")
    return any(primary == lang or primary.startswith(lang + "-") for lang in _fold(rule.languages))


def matches_nothing(rule: Rule) -> bool:
    """A rule without actors, claim pattern or filters: it matches no article, so a blank
    subscription never turns into a fire-hose (and saving one is refused)."""
    criteria = (rule.any_actors, rule.all_actors, rule.sources, rule.languages)
    return not (any(criteria) or rule.has_claim_pattern)


def _predicate_fits(predicates: set[str], predicate: str) -> bool:
    # Extractors may emit phrasal verbs ("send in"): the head lemma decides.
    folded = predicate.strip().casefold()
    return not predicates or folded in predicates or folded.split(" ", 1)[0] in predicates


def is_claim_matching(rule: Rule, claim: Claim) -> bool:
    """True when `claim` fits the rule's claim pattern (unset parts match anything)."""
    if rule.claim_subject and claim.subject.id != rule.claim_subject:
        return False
    if rule.claim_object and (claim.object is None or claim.object.id != rule.claim_object):
        return False
    if rule.claim_negated is not None and claim.negated != rule.claim_negated:
        return False
    return _predicate_fits(_fold(rule.claim_predicates), claim.predicate)


def _claim_actor_ids(claims: Sequence[Claim]) -> list[str]:
    ids: list[str] = []
    for claim in claims:
        for ref in (claim.subject, claim.object):
            if ref is not None and ref.id:
                ids.append(ref.id)
    return ids


def match_rule(rule: Rule, facts: ArticleFacts) -> RuleMatch | None:
    """Why `rule` matches `facts`, or None when it does not."""
    if matches_nothing(rule) or not is_source_allowed(rule, facts.source):
        return None
    if not is_language_allowed(rule, facts.language):
        return None
    mentioned = facts.extraction.actor_ids
    if rule.any_actors and not mentioned.intersection(rule.any_actors):
        return None
    if rule.all_actors and not mentioned.issuperset(rule.all_actors):
        return None
    claims: tuple[Claim, ...] = ()
    if rule.has_claim_pattern:
        claims = tuple(c for c in facts.extraction.claims if is_claim_matching(rule, c))
        if not claims:
            return None
    from_rule = [a for a in (*rule.any_actors, *rule.all_actors) if a in mentioned]
    hits = dict.fromkeys([*from_rule, *_claim_actor_ids(claims)])
    return RuleMatch(actor_ids=tuple(hits), claims=claims)


def _actor_names(extraction: Extraction, actor_ids: Sequence[str]) -> tuple[ActorRef, ...]:
    names = {e.id: e.name for e in extraction.entities if e.id}
    for claim in extraction.claims:
        for ref in (claim.subject, claim.object):
            if ref is not None and ref.id:
                names.setdefault(ref.id, ref.text)
    return tuple(ActorRef(id=a, text=names.get(a, a)) for a in actor_ids)


def match_all(subscriptions: Sequence[SubscriptionSpec], facts: ArticleFacts) -> list[Match]:
    """Every subscription whose rule matches `facts`, in the order given."""
    matches: list[Match] = []
    for sub in subscriptions:
        found = match_rule(sub.rule, facts)
        if found is None:
            continue
        actors = _actor_names(facts.extraction, found.actor_ids)
        matches.append(Match(sub, found.actor_ids, found.claims, actors))
    return matches
