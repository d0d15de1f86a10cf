"""Resolves a token to the entity it names: the entity itself, a modifier, or simple coreference.

Coreference is deliberately simple: a pronoun (he, she, it, they) or a definite description
(the group, the mercenary force, the country) refers to the last earlier entity of a compatible
type. A description whose words appear among an actor's names or hints ("the private army" and
Wagner's hint "private army") prefers that actor. Resolved references keep the pronoun or the
description as their text, so a reader sees it was resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.extract.actors import NAMED_LABELS
from pipeline.models import Actor, ActorRef

_PERSON = frozenset({"PERSON"})
_THING = frozenset({"ORG", "GPE"})
_GROUP = frozenset({"ORG", "GPE", "NORP"})
PRONOUNS: Mapping[str, frozenset[str]] = {
    **dict.fromkeys(("he", "him", "his", "himself", "she", "her", "hers", "herself"), _PERSON),
    **dict.fromkeys(("it", "its", "itself"), _THING),
    **dict.fromkeys(("they", "them", "their", "themselves"), _GROUP),
}
DESCRIPTIONS: Mapping[str, frozenset[str]] = {
    **dict.fromkeys(
        [
            "group",
            "force",
            "army",
            "militia",
            "organization",
            "organisation",
            "company",
            "firm",
            "outfit",
            "entity",
            "mercenaries",
            "mercenary",
            "contractor",
            "administration",
            "agency",
            "ministry",
            "department",
        ],
        frozenset({"ORG"}),
    ),
    **dict.fromkeys(
        ["country", "nation", "regime", "state", "kingdom", "republic"], frozenset({"GPE"})
    ),
    **dict.fromkeys(
        [
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "president",
            "minister",
            "founder",
            "chief",
            "financier",
        ],
        _PERSON,
    ),
}
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_MODIFIER_DEPS = ("appos", "compound", "amod", "poss", "nmod")
_RELATIVE = frozenset({"which", "who", "that", "whom"})
FIRST_PERSON_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})


@dataclass(frozen=True, slots=True)
class Resolved:
    """An actor reference and whether coreference was needed to find it."""

    ref: ActorRef
    via_coref: bool
    type: str


class Resolver:
    """Maps tokens of one parsed doc to entities; built once per doc."""

    def __init__(self, doc: Doc, actors: Mapping[str, Actor]) -> None:
        self.actors = actors
        # Set by the attribution once quotations are known: 'we' inside a quotation.
        self.first_person: Callable[[Token], Resolved | None] | None = None
        self.ents = [e for e in doc.ents if e.kb_id_ or e.label_ in NAMED_LABELS]
        self.ent_at = {i: e for e in self.ents for i in range(e.start, e.end)}

    def type_of(self, ent: Span) -> str:
        actor = self.actors.get(ent.kb_id_)
        return actor.type if actor else ent.label_

    def ref(self, ent: Span) -> ActorRef:
        return ActorRef(id=ent.kb_id_ or None, text=ent.text)

    def resolve(self, token: Token, exclude: frozenset[str] = frozenset()) -> Resolved | None:
        """The entity `token` names, directly, through a modifier or by coreference."""
        ent = self.ent_at.get(token.i)
        if ent is not None:
            return Resolved(self.ref(ent), False, self.type_of(ent))
        if token.lower_ in FIRST_PERSON_PLURAL and token.pos_ == "PRON":
            return self.first_person(token) if self.first_person else None
        if token.lower_ in _RELATIVE and token.head.dep_ == "relcl":
            return self.resolve(token.head.head, exclude)
        for child in token.children:
            ent = self.ent_at.get(child.i) if child.dep_ in _MODIFIER_DEPS else None
            # "North Korean officials" name North Korea; "Russian officials" name nobody.
            if ent is not None and (ent.kb_id_ or ent.label_ != "NORP"):
                return self.resolve(child, exclude)
        return self._corefer(token, exclude)

    def _corefer(self, token: Token, exclude: frozenset[str]) -> Resolved | None:
        types = PRONOUNS.get(token.lower_)
        words: set[str] = set()
        text = token.text
        if types is None:
            types = DESCRIPTIONS.get(token.lemma_.lower())
            if types is None or token.pos_ != "NOUN":
                return None
            words = {
                t.lower_ for t in token.subtree if t.i <= token.i and t.is_alpha and not t.is_stop
            }
            text = token.doc[_np_start(token) : token.i + 1].text
            if not _is_definite(token):
                # An indefinite 'a Russian mercenary group' only echoes a named actor when its
                # modifiers are that actor's own words; otherwise it introduces someone new.
                words.discard(token.lower_)
                ent = self._antecedent(token.i, types, words, exclude)
                if ent is None or not words & self._vocabulary(ent):
                    return None
                return Resolved(ActorRef(id=ent.kb_id_ or None, text=text), True, self.type_of(ent))
        ent = self._antecedent(token.i, types, words, exclude, prefer_subject=True)
        if ent is None:
            return None
        return Resolved(ActorRef(id=ent.kb_id_ or None, text=text), True, self.type_of(ent))

    def _antecedent(
        self,
        before: int,
        types: frozenset[str],
        words: set[str],
        exclude: frozenset[str],
        prefer_subject: bool = False,
    ) -> Span | None:
        candidates = [
            e
            for e in reversed(self.ents)
            if e.end <= before and self.type_of(e) in types and (e.kb_id_ or e.text) not in exclude
        ]
        if words:
            for ent in candidates:
                if words & self._vocabulary(ent):
                    return ent
        if prefer_subject:
            # A pronoun usually continues the topic: the latest subject of a recent sentence.
            doc = candidates[0].doc if candidates else None
            first = doc[before].sent.start if doc is not None else 0
            horizon = doc[max(first - 1, 0)].sent.start if doc is not None else 0
            for ent in candidates:
                if ent.start >= horizon and _is_subject(ent):
                    return ent
        return candidates[0] if candidates else None

    def _vocabulary(self, ent: Span) -> set[str]:
        actor = self.actors.get(ent.kb_id_)
        if actor is None:
            return set()
        phrases = (*actor.hints, actor.name, *actor.aliases)
        return {w.lower() for p in phrases for w in p.split()} - {"the", "a", "of"}


def _is_subject(ent: Span) -> bool:
    """The entity is, or modifies, a clause subject ("North Korean officials said")."""
    root = ent.root
    while root.dep_ in ("compound", "amod", "poss", "appos") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


def _is_definite(token: Token) -> bool:
    """'the group', 'this force'."""
    return any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in token.children)


def _np_start(token: Token) -> int:
    return min(t.i for t in token.subtree if t.i <= token.i)
