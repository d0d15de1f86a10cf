"""Resolves a token to the entity it names: the entity itself, a member or asset of it, or
coreference.

- Members and assets: "Iran's foreign minister", "RSF fighters", "Mexican security forces",
  "U.S. Ambassador Ronald Johnson", "drones launched by the RSF", "hackers from the Lazarus
  Group" name the actor; "a Hamas demand", "U.S. defence companies", "Hungarian families" do
  not (`NOT_MEMBERS`). A demonym names a tracked country only beside a member noun.
- Definite descriptions ("the agency", "the Islamic Republic", "the army", "the group") pick
  the latest earlier entity of a compatible type, preferring one whose names share a word (or
  a synonym: army ~ armed forces) with the description.
- Pronouns (he, she, it, they) continue the topic: the subject of the verb of saying they sit
  under ("Taiwan's coast guard said it had ..."), else the latest subject of the sentence or
  the one before, when it agrees in number and kind; a plural pronoun whose antecedent is an
  untracked group ("prisoners ... pays them") stays untracked.

Resolved references keep the pronoun or description as their text, so a reader sees it was
resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.extract.actors import DATELINE_STATE, INNER_ALIAS, NAMED_LABELS, PLACE_READINGS
from pipeline.models import Actor, ActorRef

_PERSON = frozenset({"PERSON"})
_THING = frozenset({"ORG", "GPE"})
_STATES = frozenset({"GPE"})
# Participles that make their agent the owner: "offices run by Serbia" are Serbia's; "missiles
# supplied by China" are not China's.
_OWNING = frozenset(
    {"run", "operate", "control", "own", "command", "lead", "staff", "man", "manage", "back"}
)
_GROUP = frozenset({"ORG", "GPE", "NORP"})
PRONOUNS: Mapping[str, frozenset[str]] = {
    **dict.fromkeys(("he", "him", "his", "himself", "she", "her", "hers", "herself"), _PERSON),
    **dict.fromkeys(("it", "its", "itself"), _THING),
    **dict.fromkeys(("they", "them", "their", "themselves"), _GROUP),
}
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
_ORG_NOUNS = [
    "group", "force", "forces", "army", "military", "militia", "organization", "organisation",
    "company", "firm", "outfit", "entity", "mercenaries", "mercenary", "contractor",
    "administration", "agency", "ministry", "department", "movement", "cartel", "bureau",
    "commission", "treasury", "watchdog", "navy", "fleet", "rebels", "insurgents", "militants",
    "attackers", "hackers", "resistance", "paramilitaries", "guerrillas", "bloc", "alliance",
    "union", "court", "council", "office", "unit", "service", "corps", "airline", "carrier",
    "coalition", "gang", "manufacturer", "producer", "operator", "tribunal", "regulator",
    "fund", "command", "mission", "bank", "institute", "authority", "committee", "party",
    "broadcaster", "network", "channel", "club", "federation", "body", "panel", "secretariat",
    "lender", "insurer", "exchange", "conglomerate", "consortium", "giant",
]  # fmt: skip
_GPE_NOUNS = [
    "country", "nation", "regime", "state", "kingdom", "republic", "island", "junta",
    "government", "emirate", "presidency",
]  # fmt: skip
_PERSON_NOUNS = [
    "spokesman", "spokeswoman", "spokesperson", "president", "minister", "founder", "chief",
    "financier", "leader", "commander", "official", "envoy", "ambassador", "premier",
    "chancellor", "secretary", "general", "director", "prosecutor", "negotiator",
]  # fmt: skip
DESCRIPTIONS: Mapping[str, frozenset[str]] = {
    **dict.fromkeys(_ORG_NOUNS, frozenset({"ORG", "NORP"})),
    **dict.fromkeys(_GPE_NOUNS, _STATES),
    **dict.fromkeys(_PERSON_NOUNS, _PERSON),
}
# Words a description shares with an actor's name only through a synonym.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"army", "military", "armed", "forces", "troops", "defence", "defense"}),
    frozenset({"agency", "watchdog"}),
    frozenset({"ministry", "department"}),
    frozenset({"company", "firm", "corp", "corporation", "group", "airline", "carrier"}),
    frozenset({"navy", "naval", "fleet"}),
    frozenset({"rebels", "insurgents", "militants", "guerrillas", "fighters", "group"}),
    frozenset({"bloc", "union"}),
    frozenset({"junta", "regime", "military"}),
)
_ECHOED = frozenset({"junta", "regime"})
# Titles of people who act for a body: "Iran's parliament speaker", "the bank's chairman".
_OFFICIALS = frozenset(
    [
        *_PERSON_NOUNS, "speaker", "chairman", "chairwoman", "chair", "governor", "adviser",
        "advisor", "aide", "aides", "delegate", "delegates", "consul", "emissary", "attaché",
        "secretary-general", "ceo", "owner", "founder", "boss", "spokespeople",
    ]
)  # fmt: skip
_GOVERNMENT_WORDS = frozenset({"government", "administration", "cabinet", "presidency"})
# Heads whose possessor or modifier is not the actor itself (resources, money, people, texts).
NOT_MEMBERS = frozenset(
    [
        "demand", "money", "budget", "fund", "funds", "company", "companies", "firm", "firms",
        "citizen", "citizens", "family", "families", "people", "economy", "oil", "gas",
        "programme", "program", "future", "territory", "sanction", "sanctions", "document",
        "documents", "resource", "resources", "export", "exports", "import", "imports", "plan",
        "proposal", "deal", "statement", "position", "border", "waters", "capital", "city",
        "share", "right", "rights", "cooperation", "stockpile", "approval", "decision", "offer",
        "request", "support", "interests", "interest", "refiner", "refiners", "maker", "makers",
        "contractor", "contractors", "market", "markets", "energy", "debt", "currency",
        "election", "constitution", "law", "laws", "industry", "sector", "package", "ban",
        "paper", "restrictions", "utilities", "utility", "infrastructure", "networks",
        "dependence", "needs", "word", "words", "claim", "claims", "accusation", "charge",
    ]
)  # fmt: skip
# Demonyms whose country name they do not spell out ("Norwegian police" names Norway).
IRREGULAR_DEMONYMS: Mapping[str, tuple[str, ...]] = {
    "turkish": ("Turkey", "Türkiye"),
    "norwegian": ("Norway",),
    "filipino": ("Philippines",),
    "british": ("Britain", "United Kingdom", "UK"),
    "french": ("France",),
    "dutch": ("Netherlands",),
    "swiss": ("Switzerland",),
    "greek": ("Greece",),
    "american": ("United States", "U.S.", "US"),
    "emirati": ("United Arab Emirates", "UAE"),
    "israeli": ("Israel",),
    "welsh": ("Wales",),
    "danish": ("Denmark",),
    "swedish": ("Sweden",),
    "finnish": ("Finland",),
    "polish": ("Poland",),
    "spanish": ("Spain",),
    "thai": ("Thailand",),
    "lebanese": ("Lebanon",),
    "peruvian": ("Peru",),
}
# Nouns that make a demonym name its country: officials, forces and bodies ("Mexican security
# forces", "two Egyptian officials"); not things ("Chinese warplanes", "Russian gas").
DEMONYM_MEMBERS = frozenset(
    [
        "official", "officials", "force", "forces", "troops", "soldiers", "police", "military",
        "army", "navy", "government", "ministry", "authorities", "diplomat", "diplomats",
        "delegation", "negotiators", "negotiator", "spokesman", "spokeswoman", "spokesperson",
        "envoy", "ambassador", "leader", "leaders", "president", "minister", "prosecutors",
        "intelligence", "guard", "units", "unit", "fighters", "commanders", "commander",
        "regime", "junta", "administration", "embassy", "mission", "parliament", "court",
        "judges", "counterpart", "security", "officers", "marines", "sailors", "agents",
    ]
)  # fmt: skip
# People posted to a capital by other states: "diplomats in Brussels" do not speak for the EU.
_ACCREDITED = frozenset({"diplomat", "diplomats", "envoy", "ambassador", "embassy", "mission"})
# Heads of a state's named bodies ("U.S. State Department", "Pakistan Air Force"); not
# "Office" ("Beijing's Taiwan Affairs Office" belongs to China) nor companies.
BODY_HEADS = frozenset(
    [
        "department", "ministry", "navy", "army", "forces", "force", "embassy", "mission",
        "command", "government", "guard", "police", "military", "administration",
        "organization", "organisation", "guards", "corps", "council", "parliament",
    ]
)  # fmt: skip
ASSETS = frozenset(
    [
        "facility", "facilities", "site", "sites", "vessel", "ship", "destroyer", "boat",
        "aircraft", "jet", "drone", "missile", "rocket", "weapon", "base", "post", "position",
        "inspector", "defence", "defense", "defences", "defenses", "fighter", "member",
        "representative", "office", "agency", "unit", "brigade", "battalion", "fleet",
        "warship", "plane", "helicopter", "tank", "artillery", "spy", "agent", "hacker",
        "operative", "chief", "head", "deputy", "staff", "team", "negotiator", "envoy",
        "executive", "executives", "operator", "operators", "service", "services", "shipyard",
        "shipyards", "command", "headquarters", "monitor", "monitors", "observer", "observers",
        "inspectors", "pilot", "pilots", "crew", "crews", "guards", "personnel", "submarine",
        "submarines", "warplane", "warplanes", "missiles", "rockets", "drones", "ships",
        "vessels", "boats", "jets", "planes", "tanks", "weapons", "bases", "militia",
        "militias", "battalions", "brigades", "squadron", "division", "cell", "cells", "wing",
        "branch", "affiliate", "affiliates", "proxies", "proxy", "lawmakers", "legislators",
        "spies", "agents", "hackers", "operatives", "members", "representatives", "chiefs",
        "heads", "deputies", "teams", "envoys", "inspector", "station", "stations", "plant",
        "plants", "refinery", "refineries", "port", "ports", "airport", "airports", "airfield",
        "airfields", "consulate", "outpost", "outposts", "depot", "depots", "barracks",
        "installation", "installations", "satellite", "satellites", "convoy", "convoys",
        "shell", "shells", "ammunition", "munitions", "arms", "rifles", "guns", "bombs",
        "weaponry", "warheads", "torpedoes", "mines", "artillery", "regulator", "regulators",
        "watchdog", "commission", "committee", "council", "bank", "authority", "bureau",
        "directorate", "inspectorate", "department", "departments", "agencies", "ministries",
    ]
)  # fmt: skip
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_MODIFIER_DEPS = ("appos", "compound", "amod", "poss", "nmod", "npadvmod")
_MEMBER_PREPS = frozenset({"of", "from", "for"})
_RELATIVE = frozenset({"which", "who", "that", "whom"})
FIRST_PERSON_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Untracked names that keep the actor they were introduced with ("the U.S. Navy's Fifth
# Fleet ... a Fifth Fleet spokesman", "Iran's foreign minister, Abbas Araghchi ... Araghchi").
_INTRODUCED = frozenset({"PERSON", "ORG", "FAC"})
_SAYING = frozenset({"say", "tell", "state", "announce", "claim", "add", "confirm", "insist"})
# Verbs whose subject may name itself by description in what it reports ("Hamas said the
# group had accepted"); other clauses keep their subjects out of their descriptions.
_REPORTING = _SAYING | frozenset(
    ["report", "warn", "write", "note", "believe", "think", "argue", "reiterate", "deny",
     "promise", "vow", "pledge", "stress", "explain", "hope", "expect", "threaten"]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Resolved:
    """An actor reference and whether coreference was needed to find it."""

    ref: ActorRef
    via_coref: bool
    type: str


class Resolver:
    """Maps tokens of one parsed doc to entities; built once per doc."""

    def __init__(
        self, doc: Doc, actors: Mapping[str, Actor], demonyms: Mapping[str, str] | None = None
    ) -> None:
        self.actors = actors
        # Set by the attribution once quotations are known: 'we' inside a quotation.
        self.first_person: Callable[[Token], Resolved | None] | None = None
        self.ents = [e for e in doc.ents if e.kb_id_ or e.label_ in NAMED_LABELS]
        self.ent_at = {i: e for e in self.ents for i in range(e.start, e.end)}
        self.demonyms = demonyms if demonyms is not None else demonyms_of(actors)
        self._depth = 0
        self._introducing = False
        self._aliases: dict[str, Actor] | None = None

    def by_alias(self, text: str) -> Resolved | None:
        """The tracked actor a bare string names exactly ("U.S." inside "U.S.-backed")."""
        if self._aliases is None:
            self._aliases = {f: a for a in self.actors.values() for f in (a.name, *a.aliases) if f}
        actor = self._aliases.get(text)
        return Resolved(ActorRef(actor.id, text), False, actor.type) if actor else None

    def type_of(self, ent: Span) -> str:
        actor = self.actors.get(ent.kb_id_)
        return actor.type if actor else ent.label_

    def ref(self, ent: Span) -> ActorRef:
        return ActorRef(id=ent.kb_id_ or None, text=_clean(ent.text))

    def resolve(self, token: Token, exclude: frozenset[str] = frozenset()) -> Resolved | None:
        """The entity `token` names, directly, as a member or asset, or by coreference."""
        if self._depth > 6:
            return None
        self._depth += 1
        try:
            return self._resolve(token, exclude)
        finally:
            self._depth -= 1

    def _resolve(self, token: Token, exclude: frozenset[str]) -> Resolved | None:
        ent = self.ent_at.get(token.i)
        if ent is not None and ent.kb_id_:
            return Resolved(self.ref(ent), False, self.type_of(ent))
        if token.lower_ in FIRST_PERSON_PLURAL and token.pos_ == "PRON":
            return self.first_person(token) if self.first_person else None
        if token.lower_ in _RELATIVE and token.head.dep_ == "relcl":
            return self.resolve(token.head.head, exclude)
        surname = self._surname(token, ent)
        if surname is not None:
            return surname  # "President Lai Ching-te ... Lai said"
        person = self._appositive_person(token)
        if person is not None:
            return person  # "Its commander, Mohamed Hamdan Dagalo, said": the person speaks
        owner = self._owner(token, ent, exclude)
        if owner is None and ent is not None and ent.label_ in _INTRODUCED:
            owner = self._introduced(ent)
        if owner is not None:
            return owner
        if (
            ent is not None
            and _is_definite_word(ent[-1])
            and (_follows_the(ent) or _is_bare_description(ent))
        ):
            described = self._corefer(ent[-1], exclude)  # "the Treasury", "the Islamic Republic"
            if described is not None and described.ref.id and self._fits(ent, described):
                return described
        if ent is not None:
            return Resolved(self.ref(ent), False, self.type_of(ent))
        return self._corefer(token, exclude)

    def _owner(self, token: Token, ent: Span | None, exclude: frozenset[str]) -> Resolved | None:
        """The tracked actor whose member or asset `token` is ("Iran's foreign minister",
        "U.S. Ambassador Ronald Johnson", "drones launched by the RSF")."""
        head = ent.root if ent is not None else token
        if head.lemma_.lower() in NOT_MEMBERS or head.lower_ in NOT_MEMBERS:
            return None
        # Only people, bodies and assets are their owner: "Armenia's frontiers", "U.S.
        # strikes", "ASML chip-tool shipments" are not (an apposition still names the thing).
        thing = ent is None and head.pos_ == "NOUN" and not _is_member(head)
        tokens = list(ent) if ent is not None else [token]
        named = ent is not None and ent.label_ == "PERSON"
        for t in tokens:
            for child in t.children:
                if ent is not None and ent.start <= child.i < ent.end:
                    continue
                if thing and child.dep_ != "appos" and not _agent_of_event(child, head):
                    continue
                if named and self._demonym_title(child):
                    # "Russian President Vladimir Putin" is a person, not Russia ("U.S.
                    # Ambassador Ronald Johnson" and "Iran's foreign minister" still are).
                    continue
                found = self._modifier(child, exclude)
                if found is not None:
                    return found
        demonym = self._demonym(tokens)
        if demonym is not None:
            return demonym
        if ent is not None and head.lemma_.lower() in BODY_HEADS:
            inner = head.doc.user_data.get(INNER_ALIAS, {}).get(ent.start)
            actor = self.actors.get(inner) if inner else None
            if actor is not None:  # "the U.S. State Department" is a body of the United States
                return Resolved(ActorRef(actor.id, _clean(ent.text)), True, actor.type)
        if head.dep_ == "appos" and head.head.i != head.i and head.head.pos_ in ("NOUN", "PROPN"):
            found = self.resolve(head.head, exclude)  # "Iran's foreign minister, Abbas Araghchi"
            if found is not None and found.ref.id:
                return Resolved(found.ref, True, found.type)
        if ent is None and token.pos_ in ("NOUN", "PROPN"):
            # "Drones launched by X struck"; "closed six offices run by Serbia"
            if token.dep_ == "nsubj":
                return self._agent_of_participle(token, exclude)
            if token.dep_ in ("dobj", "pobj") and _is_member(token):
                return self._agent_of_participle(token, exclude, _OWNING)
        return None

    def _demonym_title(self, child: Token) -> bool:
        """A title before a name whose only tie to an actor is a demonym."""
        if child.dep_ != "compound" or child.lemma_.lower() not in _PERSON_NOUNS:
            return False
        below = list(child.subtree)
        if any(t.dep_ == "poss" or getattr(self.ent_at.get(t.i), "kb_id_", "") for t in below):
            return False
        return any(t.lower_ in self.demonyms for t in below)

    def served_by(self, person: Resolved) -> Resolved | None:
        """The body or state a tracked person was introduced as serving ("Army chief Abdel
        Fattah al-Burhan", "Iran's foreign minister Abbas Araghchi"): their quoted 'we'."""
        if not person.ref.id or person.type != "PERSON":
            return None
        for mention in (e for e in self.ents if e.kb_id_ == person.ref.id):
            for t in mention:
                for child in t.children:
                    if mention.start <= child.i < mention.end or child.dep_ not in _MODIFIER_DEPS:
                        continue
                    found = self._modifier(child, frozenset())
                    if found is not None and found.ref.id and found.type in _THING:
                        return found
            head = mention.root.head
            if mention.root.dep_ == "appos" and head.pos_ in ("NOUN", "PROPN"):
                # "Russia's deputy foreign minister, Sergei Ryabkov"
                found = self._owner(head, self.ent_at.get(head.i), frozenset())
                if found is not None and found.ref.id and found.type in _THING:
                    return found
        return None

    def _surname(self, token: Token, ent: Span | None) -> Resolved | None:
        """One word of a tracked person's name, after the person was named in full."""
        if token.pos_ != "PROPN" or (ent is not None and len(ent) > 1):
            return None
        for earlier in self.ents:
            if earlier.start >= token.i:
                break
            actor = self.actors.get(earlier.kb_id_)
            if actor is None or actor.type != "PERSON" or len(earlier) < 2:
                continue
            words = actor.name.split()
            if token.text in (words[0], words[-1]) and token.text in earlier.text.split():
                return Resolved(ActorRef(actor.id, token.text), True, "PERSON")
        return None

    def _appositive_person(self, token: Token) -> Resolved | None:
        for child in token.children:
            ent = self.ent_at.get(child.i) if child.dep_ == "appos" else None
            if ent is not None and ent.kb_id_ and self.type_of(ent) == "PERSON":
                return Resolved(self.ref(ent), False, "PERSON")
        return None

    def _introduced(self, ent: Span) -> Resolved | None:
        """The actor an untracked person was introduced as serving, found by full name or
        surname ("Iran's foreign minister, Abbas Araghchi ... Araghchi said")."""
        if self._introducing:
            return None  # an earlier mention's owner never depends on a later one
        self._introducing = True
        try:
            names = {ent.text, ent[-1].text} if ent.label_ == "PERSON" else {ent.text}
            for other in self.ents:
                if other.start >= ent.start:
                    break
                if other.kb_id_ or other.label_ != ent.label_:
                    continue
                if other.text not in names and other[-1].text not in names:
                    continue
                found = self._owner(other.root, other, frozenset()) or self._home_title(other)
                if found is not None and found.ref.id:
                    return Resolved(ActorRef(found.ref.id, ent.text), True, found.type)
            return None
        finally:
            self._introducing = False

    def _home_title(self, person: Span) -> Resolved | None:
        """An untracked official titled without a state ("Foreign Minister Jean-Noël Barrot"
        in a story datelined PARIS) serves the dateline's state."""
        home = person.doc.user_data.get(DATELINE_STATE)
        actor = self.actors.get(home) if home else None
        if actor is None or person.label_ != "PERSON":
            return None
        titled = any(
            c.dep_ == "compound" and c.lemma_.lower() in _PERSON_NOUNS
            for t in person
            for c in t.children
            if not person.start <= c.i < person.end
        )
        return Resolved(ActorRef(actor.id, person.text), True, actor.type) if titled else None

    def _modifier(self, child: Token, exclude: frozenset[str]) -> Resolved | None:
        if child.dep_ == "poss" and child.pos_ == "PRON" and not _is_member(child.head):
            return None  # "its sovereignty", "our position": not the actor itself
        if child.dep_ in _MODIFIER_DEPS:
            if child.lower_ in FIRST_PERSON_PLURAL and child.dep_ == "poss":
                found = self.first_person(child) if self.first_person else None
                return found if found is not None and found.ref.id else None
            if child.lower_ in PRONOUNS and child.dep_ == "poss":
                found = self._corefer(child, exclude)
                return found if found is not None and found.ref.id else None
            ent = self.ent_at.get(child.i)
            if ent is not None and ent.kb_id_:
                return Resolved(self.ref(ent), True, self.type_of(ent))
            if child.dep_ in ("appos", "compound", "poss") and child.pos_ in ("NOUN", "PROPN"):
                found = self.resolve(child, exclude)
                return found if found is not None and found.ref.id else None
        if (
            child.dep_ == "prep"
            and child.lower_ == "in"
            and child.head.lower_ in DEMONYM_MEMBERS - _ACCREDITED
        ):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            place = child.doc.user_data.get(PLACE_READINGS, {}).get(pobj.i) if pobj else None
            actor = self.actors.get(place) if place else None
            if actor is not None:  # "officials in Tehran": the government seated there
                return Resolved(ActorRef(actor.id, _np_text(child.head)), True, actor.type)
        if child.dep_ == "prep" and child.lower_ in _MEMBER_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            ent = self.ent_at.get(pobj.i) if pobj is not None else None
            if ent is not None and ent.kb_id_:
                return Resolved(self.ref(ent), True, self.type_of(ent))
            if pobj is not None and ent is None and _is_member(child.head) and _is_member(pobj):
                # "a spokesman for Israel's military": the body's own owner
                found = self.resolve(pobj, exclude)
                if found is not None and found.ref.id:
                    return Resolved(found.ref, True, found.type)
        return None

    def _demonym(self, tokens: list[Token]) -> Resolved | None:
        """'Mexican security forces', 'two Egyptian officials': the country of the demonym."""
        for t in tokens:
            if t.lower_ not in DEMONYM_MEMBERS and t.lemma_.lower() not in DEMONYM_MEMBERS:
                continue
            for child in t.children:
                if child.dep_ in ("amod", "compound") and child.lower_ in self.demonyms:
                    actor = self.actors[self.demonyms[child.lower_]]
                    return Resolved(ActorRef(actor.id, _np_text(t)), True, actor.type)
        return None

    def _agent_of_participle(
        self, token: Token, exclude: frozenset[str], only: frozenset[str] | None = None
    ) -> Resolved | None:
        for acl in (c for c in token.children if c.dep_ == "acl" and c.tag_ == "VBN"):
            if only is not None and acl.lemma_ not in only:
                continue
            agent = next((c for c in acl.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            found = self.resolve(pobj, exclude) if pobj is not None else None
            if found is not None and found.ref.id:
                return Resolved(found.ref, True, found.type)
        return None

    def _corefer(self, token: Token, exclude: frozenset[str]) -> Resolved | None:
        if (token.lower_ in PRONOUNS and token.pos_ == "PRON") or token.tag_ == "PRP$":
            return self._pronoun(token, exclude)
        types = DESCRIPTIONS.get(token.lemma_.lower()) or DESCRIPTIONS.get(token.lower_)
        if types is None or token.pos_ not in ("NOUN", "PROPN") or _is_several(token):
            return None
        if token.lower_ == "state" and token.dep_ == "compound":
            return None  # "state media", "state prosecutors": owned by a state, or a province's
        words = {t.lower_ for t in token.subtree if t.i <= token.i and t.is_alpha}
        words -= {"the", "a", "an", "this", "that", "these", "those"}
        text = token.doc[_np_start(token) : token.i + 1].text
        # "Army chief Abdel Fattah al-Burhan": a title's body is the story's own, as if definite.
        titled = token.dep_ == "compound" and token.head.lemma_.lower() in _PERSON_NOUNS
        if not _is_definite(token) and not titled:
            # An indefinite 'a Russian mercenary group' only echoes a named actor when its
            # modifiers are that actor's own words; otherwise it introduces someone new.
            words.discard(token.lower_)
            ent = self._antecedent(token.i, types, words, exclude, strict=True)
            if ent is None:
                return None
            return Resolved(ActorRef(id=ent.kb_id_ or None, text=text), True, self.type_of(ent))
        if token.dep_ != "poss":
            # "the army accused the UAE of supplying the paramilitary group": a description
            # never names the subject of a clause it sits in (unlike a pronoun, "it").
            exclude = exclude | self._commanding(token)
        echoed = self._echo(token, exclude)
        if echoed is not None:
            return Resolved(ActorRef(echoed.ref.id, text), True, echoed.type)
        ent = self._antecedent(token.i, types, words, exclude)
        if ent is None:
            return None
        return Resolved(ActorRef(id=ent.kb_id_ or None, text=text), True, self.type_of(ent))

    def _echo(self, token: Token, exclude: frozenset[str]) -> Resolved | None:
        """The owner of the latest earlier phrase with the same head or a synonym: after
        "Myanmar's military government", "the junta" is Myanmar."""
        lemma = token.lemma_.lower()
        if lemma not in _ECHOED:
            # Only marked descriptions: "the government", "the bank" or "the navy" of a story
            # that named several follow its topic, not the latest phrase with that noun.
            return None
        words = {lemma}.union(*(group for group in SYNONYMS if lemma in group))
        for i in range(token.i - 1, -1, -1):
            earlier = token.doc[i]
            if earlier.pos_ not in ("NOUN", "PROPN") or self.ent_at.get(i) is not None:
                continue
            named = {earlier.lemma_.lower()} | {
                c.lemma_.lower() for c in earlier.children if c.dep_ in ("compound", "amod")
            }
            if not named & words:
                continue
            found = self._owner(earlier, None, exclude)
            if found is not None and found.ref.id and found.ref.id not in exclude:
                return found
        return None

    def _commanding(self, token: Token) -> frozenset[str]:
        """The actor the subject of the nearest clause above `token` names, unless that
        clause reports speech ("Hamas said the group had accepted": the group may be Hamas)."""
        node = token
        while node.head.i != node.i:
            node = node.head
            if node.lemma_ in _REPORTING:
                return frozenset()
            subjects = [
                c
                for c in node.children
                if c.dep_ in ("nsubj", "nsubjpass") and token not in c.subtree
            ]
            if not subjects:
                continue
            found: set[str] = set()
            for child in subjects:
                ent = self.ent_at.get(child.i)
                if ent is not None and ent.kb_id_:
                    found.add(ent.kb_id_)
                elif child.pos_ in ("NOUN", "PROPN"):
                    r = self.resolve(child)
                    if r is not None and r.ref.id:
                        found.add(r.ref.id)
            return frozenset(found)
        return frozenset()

    def _pronoun(self, token: Token, exclude: frozenset[str]) -> Resolved | None:
        """The topic the pronoun continues, if it agrees in number and kind."""
        types = PRONOUNS.get(token.lower_)
        if types is None:
            return None
        plural = token.lower_ in _PLURAL_PRONOUNS
        for candidate in _topics(token):
            if candidate.i == token.i or token.i in (t.i for t in candidate.subtree):
                continue
            if candidate.lower_ in PRONOUNS and candidate.pos_ == "PRON":
                # "he told reporters: ... tolerate it": 'it' never continues a 'he'.
                if (candidate.lower_ in _PLURAL_PRONOUNS) != plural or not (
                    PRONOUNS[candidate.lower_] & types
                ):
                    continue
            elif not self._agrees(candidate, types, plural):
                owner = self._spoken_for(candidate, token, types)
                if owner is not None:  # "A spokesman for Israel's military said it had ..."
                    return owner
                continue
            found = self.resolve(candidate, exclude)
            if found is None or (found.type not in types and found.ref.id is None):
                return None
            return Resolved(ActorRef(found.ref.id, token.text), True, found.type)
        ent = self._antecedent(token.i, types, set(), exclude)
        if ent is None or (plural and not _is_plural_name(ent)):
            return None
        if types == _THING and _nearer_thing(token, ent):
            return None  # "seized the tanker ... as it carried": the nearer thing, untracked
        if not ent.kb_id_ and ent.label_ in _INTRODUCED:
            # "Majed al-Ansari, the Qatari foreign ministry's spokesman ... He said": the
            # untracked person keeps the actor they were introduced as serving.
            owner = self._owner(ent.root, ent, exclude) or self._introduced(ent)
            if owner is not None and owner.ref.id:
                return Resolved(ActorRef(owner.ref.id, token.text), True, owner.type)
        return Resolved(ActorRef(id=ent.kb_id_ or None, text=token.text), True, self.type_of(ent))

    def coordinated(self, token: Token, exclude: frozenset[str]) -> list[Resolved]:
        """The tracked conjuncts a plural pronoun continues: "Estonia and Latvia have said
        they will not produce mines" is two claims. Empty when its topic is no coordination."""
        if token.lower_ not in _PLURAL_PRONOUNS or token.pos_ != "PRON":
            return []
        topic = next((c for c in _topics(token) if c.i != token.i and token not in c.subtree), None)
        if topic is None or not topic.conjuncts:
            return []
        found = [self.resolve(t, exclude) for t in (topic, *topic.conjuncts)]
        tracked = [r for r in found if r is not None and r.ref.id]
        return [Resolved(ActorRef(r.ref.id, token.text), True, r.type) for r in tracked]

    def _spoken_for(
        self, candidate: Token, pronoun: Token, types: frozenset[str]
    ) -> Resolved | None:
        """'it' under the verb of saying of a spokesman: the body the spokesman speaks for."""
        if types == _PERSON or candidate.lemma_.lower() not in _PERSON_NOUNS:
            return None
        if candidate.head.i == candidate.i or candidate.head.lemma_ not in _SAYING:
            return None
        found = self.resolve(candidate)
        if found is None or not found.ref.id or found.type not in types:
            return None
        return Resolved(ActorRef(found.ref.id, pronoun.text), True, found.type)

    def _agrees(self, candidate: Token, types: frozenset[str], plural: bool) -> bool:
        ent = self.ent_at.get(candidate.i)
        if ent is not None:
            kind = self.type_of(ent)
            if plural:
                return kind in ("NORP", "ORG", "GPE") and _is_plural_name(ent)
            return kind in types and not (kind == "NORP" and _is_plural_name(ent))
        if candidate.pos_ not in ("NOUN", "PROPN"):
            return False
        is_plural = candidate.tag_ in ("NNS", "NNPS")
        if plural != is_plural:
            return False
        # "Prime Minister Sheikh Mohammed ... Al Thani": a name the tagger split is a person
        # when its title or another part of it is.
        person = any(
            t.lemma_.lower() in _PERSON_NOUNS or t.ent_type_ == "PERSON"
            for t in candidate.subtree
            if t.i <= candidate.i and (t.i == candidate.i or t.dep_ == "compound")
        )
        return person == (types == _PERSON) or plural

    def _antecedent(
        self,
        before: int,
        types: frozenset[str],
        words: set[str],
        exclude: frozenset[str],
        strict: bool = False,
    ) -> Span | None:
        kind = _kind(words)
        candidates = [
            e
            for e in reversed(self.ents)
            if e.end <= before
            and self.type_of(e) in types
            and (e.kb_id_ or e.text) not in exclude
            and not _is_bare_description(e)
        ]
        if types == _STATES and any(e.kb_id_ for e in candidates):
            # "the government", "the country": a state the story tracks, not the last town
            # or region it named.
            candidates = [e for e in candidates if e.kb_id_]
        if words:
            scored = [(_share(words, self._vocabulary(e)), -n) for n, e in enumerate(candidates)]
            best = max(scored, default=(0, 0))
            if best[0] > 0:
                return candidates[-best[1]]
        if kind is not None:
            # Sharing no word, a description still never names a body of another kind.
            candidates = [e for e in candidates if _kind(self._vocabulary(e)) in (None, kind)]
        if strict or not candidates:
            return None
        doc = candidates[0].doc
        home = doc.user_data.get(DATELINE_STATE)
        unmarked = bool(words & _GOVERNMENT_WORDS)  # not "the island", "the regime"
        if types == _STATES and unmarked and any(e.kb_id_ == home for e in candidates):
            # "the government" of a story datelined in its capital is that state's.
            return next(e for e in candidates if e.kb_id_ == home)
        # A description continues the topic: the latest subject of this or the last sentence.
        first = doc[before].sent.start
        horizon = doc[max(first - 1, 0)].sent.start
        for ent in candidates:
            if ent.start >= horizon and is_subject(ent):
                return ent
        return candidates[0]

    def _fits(self, ent: Span, described: Resolved) -> bool:
        """A name of several words ("the Justice Department") is a description of an actor
        only when its other words are that actor's own; a bare "the Treasury" may be the topic."""
        words = {t.lower_ for t in ent if t.is_alpha} - {"the"}
        if len(words) < 2:
            return True
        actor = self.actors.get(described.ref.id or "")
        if actor is None:
            return False
        phrases = (*actor.hints, actor.name, *actor.aliases)
        vocabulary = {w.lower() for p in phrases for w in p.split()}
        return bool((words - {ent[-1].lower_}) & vocabulary)

    def _vocabulary(self, ent: Span) -> set[str]:
        actor = self.actors.get(ent.kb_id_)
        if actor is None:
            return {w.lower() for w in ent.text.split()} - {"the", "a", "of"}
        phrases = (*actor.hints, actor.name, *actor.aliases)
        return {w.lower() for p in phrases for w in p.split()} - {"the", "a", "of"}


# Kinds of body a description or a name announces: "the militia" is no "Navy", "the agency"
# no "Company". Words of several kinds ("group", "forces") announce none.
_KINDS: Mapping[str, str] = {
    **dict.fromkeys(
        ["militia", "rebels", "insurgents", "militants", "guerrillas", "paramilitaries",
         "paramilitary", "movement", "resistance", "cartel", "gang", "gangs", "coalition"],
        "armed group",
    ),
    **dict.fromkeys(["army", "military", "navy", "fleet", "corps", "guard"], "state force"),
    **dict.fromkeys(
        ["agency", "watchdog", "commission", "court", "council", "bureau", "ministry",
         "department", "treasury", "tribunal", "regulator", "fund", "bank"],
        "public body",
    ),
    **dict.fromkeys(
        ["company", "firm", "corporation", "corp", "airline", "carrier", "manufacturer",
         "maker", "producer", "operator", "shipyard", "lender"],
        "company",
    ),
}  # fmt: skip


def _kind(words: set[str]) -> str | None:
    kinds = {_KINDS[w] for w in words if w in _KINDS}
    return kinds.pop() if len(kinds) == 1 else None


def _share(words: set[str], vocabulary: set[str]) -> int:
    """How well a description's words fit an actor's names: shared words count double,
    words shared only through a synonym group once."""
    score = 2 * len(words & vocabulary)
    for group in SYNONYMS:
        if words & group:
            score += len(vocabulary & group - words)
    return score


def is_subject(ent: Span) -> bool:
    """The entity is, or modifies, a clause subject ("North Korean officials said")."""
    root = ent.root
    while root.dep_ in ("compound", "amod", "poss", "appos") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


def _topics(token: Token) -> list[Token]:
    """Candidate antecedents of a pronoun, nearest topic first: the subject of the verb of
    saying it sits under, earlier subjects of its sentence, the previous sentence's subjects."""
    out: list[Token] = []
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            subj = next((c for c in node.children if c.dep_ in _SUBJECTS), None)
            if subj is not None and subj.i < token.i and subj.i != token.i:
                out.append(subj)
    sent = token.sent
    if token.dep_ in ("dobj", "pobj", "dative"):
        # An object pronoun ("met Hamas leaders and urged them") may take an earlier object.
        # The direct object first: "met Hamas leaders in Doha on Tuesday and urged them".
        for dep in ("dobj", "pobj"):
            objects = [t for t in sent if t.dep_ == dep and t.i < token.i]
            out.extend(reversed(objects[-2:]))
    same = [t for t in sent if t.dep_ in _SUBJECTS and t.i < token.i]
    out.extend(reversed(same))
    if sent.start > 0:
        previous = token.doc[sent.start - 1].sent
        if previous.start == sent.start - 1 and token.doc[previous.start].is_space:
            previous = token.doc[max(previous.start - 1, 0)].sent
        out.extend(t for t in previous if t.dep_ in _SUBJECTS and t.head.dep_ == "ROOT")
    unique: dict[int, Token] = {}
    for t in out:
        unique.setdefault(t.i, t)
    return list(unique.values())


def _is_bare_description(ent: Span) -> bool:
    """An untracked 'Army' or 'Navy' the tagger named is a description, no antecedent."""
    return not ent.kb_id_ and all(t.lower_ in DESCRIPTIONS for t in ent if t.is_alpha)


def _nearer_thing(pronoun: Token, ent: Span) -> bool:
    """An untracked singular object noun stands between the entity and an 'it' of the
    same sentence."""
    return any(
        t.dep_ == "dobj" and t.tag_ in ("NN", "NNP") and t.ent_type_ == "" and ent.end <= t.i
        for t in pronoun.sent
        if t.i < pronoun.i
    )


def _is_plural_name(ent: Span) -> bool:
    """'the Houthis', 'Rapid Support Forces': a name that takes 'they'."""
    last = ent[-1]
    return last.tag_ in ("NNPS", "NNS") or (
        last.text.endswith("s") and not last.text.endswith("ss")
    )


def demonyms_of(actors: Mapping[str, Actor]) -> dict[str, str]:
    """Demonym -> GPE actor id: 'mexican' -> mexico (a shared stem), or an irregular form."""
    out: dict[str, str] = {}
    names = {
        form: a.id for a in actors.values() if a.type == "GPE" for form in (a.name, *a.aliases)
    }
    for demonym, forms in IRREGULAR_DEMONYMS.items():
        for form in forms:
            if form in names:
                out[demonym] = names[form]
    for form, actor_id in names.items():
        if " " in form or not form[:1].isupper() or form.isupper():
            continue
        stem = form.lower().rstrip("aeiouy") or form.lower()
        for suffix in ("n", "an", "ian", "ese", "i", "ish", "ic", "ean", "ine", "er"):
            for base in {form.lower(), stem}:
                out.setdefault(base + suffix, actor_id)
    first_words = {form.split()[0].lower(): aid for form, aid in names.items() if " " in form}
    for word, actor_id in first_words.items():
        if word not in ("united", "republic", "state", "people's", "democratic", "the"):
            out.setdefault(word, actor_id)  # "Saudi" for Saudi Arabia
    return out


def _is_definite(token: Token) -> bool:
    """'the group', 'this force', "the island's"."""
    return any(
        c.dep_ in ("det", "poss") and (c.lower_ in _DEFINITE or c.tag_ == "PRP$")
        for c in token.children
    )


# Plural nouns that name one group ("the rebels"), unlike "the three juntas".
_GROUP_PLURALS = frozenset(
    ["rebels", "militants", "attackers", "hackers", "forces", "mercenaries", "insurgents",
     "guerrillas", "paramilitaries"]
)  # fmt: skip


def _is_several(token: Token) -> bool:
    """'the three juntas', 'both governments': a description of several actors."""
    if any(c.dep_ == "nummod" or c.lower_ in ("both", "two", "all") for c in token.children):
        return True
    return token.tag_ in ("NNS", "NNPS") and token.lower_ not in _GROUP_PLURALS


def _is_definite_word(token: Token) -> bool:
    """'Treasury', 'Republic': a name's head that is also a description noun."""
    return token.lower_ in DESCRIPTIONS


def _follows_the(ent: Span) -> bool:
    return ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the"


# Activities their possessor carries out: supporting "Russia's war" or funding "Wagner's
# efforts" is supporting Russia or funding Wagner.
_WAGED = frozenset(
    [
        "war", "invasion", "offensive", "aggression", "occupation", "assault", "blockade",
        "effort", "efforts", "operation", "operations", "campaign", "activity", "activities",
    ]
)  # fmt: skip


def _agent_of_event(child: Token, head: Token) -> bool:
    return child.dep_ == "poss" and head.lemma_.lower() in _WAGED


def _is_member(token: Token) -> bool:
    """People, bodies and assets a possessive pronoun may make the actor ("its forces")."""
    lemma = token.lemma_.lower()
    members = DEMONYM_MEMBERS | ASSETS | _OFFICIALS
    return lemma in members or token.lower_ in members


def _np_start(token: Token) -> int:
    return min(t.i for t in token.subtree if t.i <= token.i)


def _np_text(token: Token) -> str:
    return token.doc[_np_start(token) : token.i + 1].text


def _clean(text: str) -> str:
    """Editorial brackets read as plain text: 'President [Vladimir] Putin'."""
    if "[" not in text and "]" not in text:
        return text
    return " ".join(text.replace("[", " ").replace("]", " ").split())
