"""Groups a doc's linked and untracked named-entity spans into `Entity` values with mentions."""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Doc

from pipeline.extract.actors import NAMED_LABELS
from pipeline.models import Actor, Entity, Mention


def collect_entities(doc: Doc, actors: Mapping[str, Actor]) -> list[Entity]:
    """One `Entity` per tracked actor (id set) or per untracked name and type (id None).

    Ordered by first mention; mentions in text order with character offsets into `doc.text`.
    """
    groups: dict[tuple[str | None, str, str], list[Mention]] = {}
    for ent in doc.ents:
        actor = actors.get(ent.kb_id_)
        if actor is not None:
            key: tuple[str | None, str, str] = (actor.id, actor.name, actor.type)
        elif ent.label_ in NAMED_LABELS:
            key = (None, ent.text, ent.label_)
        else:
            continue
        groups.setdefault(key, []).append(Mention(ent.text, ent.start_char, ent.end_char))
    return [
        Entity(id=key[0], name=key[1], type=key[2], mentions=tuple(mentions))
        for key, mentions in groups.items()
    ]
