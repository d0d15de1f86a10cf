"""Shared extraction fixtures for the notify tests: the seed story about Wagner and North Korea."""

from __future__ import annotations

from pipeline.alerts.match import ArticleFacts
from pipeline.models import ActorRef, Claim, Entity, Extraction, Mention, Rule, SubscriptionSpec

SENTENCE = (
    "North Korea has delivered rockets and missiles to the Wagner Group, "
    "White House spokesman John Kirby said."
)
DENIAL = "North Korea did not supply weapons to Wagner, the foreign ministry in Pyongyang said."


def ref(actor_id: str | None, text: str) -> ActorRef:
    return ActorRef(id=actor_id, text=text)


def claim(
    subject: str,
    predicate: str,
    obj: str | None,
    *,
    negated: bool = False,
    speaker: ActorRef | None = None,
    sentence: str = SENTENCE,
) -> Claim:
    names = {"north-korea": "North Korea", "wagner-group": "Wagner Group", "russia": "Russia"}
    return Claim(
        subject=ref(subject, names.get(subject, subject)),
        predicate=predicate,
        object=ref(obj, names.get(obj, obj)) if obj else None,
        theme="rockets and missiles",
        speaker=speaker,
        negated=negated,
        hedged=False,
        quantity=None,
        sentence=sentence,
        start=0,
        end=len(sentence),
        confidence=0.9,
    )


def entity(actor_id: str | None, name: str, etype: str = "ORG") -> Entity:
    return Entity(id=actor_id, name=name, type=etype, mentions=(Mention(name, 0, len(name)),))


KIRBY = ref("john-kirby", "John Kirby")
SUPPLY = claim("north-korea", "deliver", "wagner-group", speaker=KIRBY)
DENY = claim(
    "north-korea",
    "supply",
    "wagner-group",
    negated=True,
    speaker=ref(None, "the foreign ministry"),
    sentence=DENIAL,
)

WAGNER_NK = Extraction(
    entities=(
        entity("north-korea", "North Korea", "GPE"),
        entity("wagner-group", "Wagner Group"),
        entity("john-kirby", "John Kirby", "PERSON"),
        entity(None, "Bakhmut", "GPE"),
    ),
    claims=(SUPPLY,),
)
DENIAL_ONLY = Extraction(
    entities=(entity("north-korea", "North Korea", "GPE"), entity("wagner-group", "Wagner")),
    claims=(DENY,),
)
UKRAINE_ONLY = Extraction(entities=(entity("ukraine", "Ukraine", "GPE"),))


def facts(
    extraction: Extraction = WAGNER_NK,
    *,
    source: str | None = "reuters.com",
    language: str | None = "en",
    article_id: int = 1,
) -> ArticleFacts:
    return ArticleFacts(
        article_id=article_id, story_id=10, source=source, language=language, extraction=extraction
    )


def sub(
    rule: Rule, *, name: str = "s", channel: str = "file", target: str = "x.jsonl", sub_id: int = 1
) -> SubscriptionSpec:
    return SubscriptionSpec(
        name=name, owner="analyst", rule=rule, channel=channel, target=target, id=sub_id
    )
