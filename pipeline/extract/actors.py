"""Links named-entity spans to tracked actors: aliases by pattern id, then disambiguation.

The linker is a spaCy component placed after the statistical NER. A PhraseMatcher holds every
alias of every actor with the actor id as the match id. NER spans and alias matches are merged:
an NER span is linked when its core text is an alias, or when everything around the alias is a
title or another word of the same actor's names; an alias match NER missed becomes an entity.
Linked spans carry the actor id in `Span.kb_id_`; untracked NER spans keep an empty `kb_id_`.

Disambiguation uses the registry's `exclude` (context that names something else: Richard
Wagner, Washington state) and `hints` (context that confirms an ambiguous alias when NER
disagrees with the actor's type, e.g. "Wagner" tagged PERSON).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.models import Actor

# Words that may stand beside a name inside an NER span without changing who it names.
TITLES = frozenset(
    [
        "president",
        "prime",
        "minister",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "gen",
        "gen.",
        "general",
        "admiral",
        "adm",
        "adm.",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "secretary",
        "senator",
        "sen.",
        "sen",
        "rep.",
        "chairman",
        "leader",
        "founder",
        "chief",
        "ambassador",
        "the",
    ]
)
NAMED_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)
INNER_ALIAS = "newsmon_inner_alias"
"""`Doc.user_data` key: {start token of an untracked name: id of the alias it opens with}."""
DATELINE_STATE = "newsmon_dateline_state"
"""`Doc.user_data` key: the tracked state whose capital the dateline names ("BEIJING —")."""
PLACE_READINGS = "newsmon_place_readings"
"""`Doc.user_data` key: {start token of an unlinked place reading: the actor id it spells}."""
CONTEXT_WINDOW = 8  # tokens either side of a mention searched for hints and excludes
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def strip_article(alias: str) -> str:
    """'the Kremlin' -> 'Kremlin': determiners are not part of a name."""
    return re.sub(r"^(the|The)\s+", "", alias.strip())


class ActorLinker:
    """spaCy component: sets `doc.ents` to NER spans and alias matches, linked by `kb_id_`."""

    def __init__(self, nlp: Language, actors: Sequence[Actor]) -> None:
        self.actors = {a.id: a for a in actors}
        self._names: frozenset[str] | None = None
        self._ner: tuple[Span, ...] = ()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.words: dict[str, frozenset[str]] = {}
        for actor in actors:
            forms = {strip_article(f) for f in (actor.name, *actor.aliases)}
            self.matcher.add(actor.id, [nlp.make_doc(f) for f in sorted(forms)])
            self.words[actor.id] = frozenset(w.lower() for f in forms for w in f.split())

    def __call__(self, doc: Doc) -> Doc:
        matches = self._matches(doc)
        # `doc.ents` rebuilds its spans from every token on each access: read it once.
        ner = tuple(doc.ents)
        ents = self._merge(doc, [_trim(e) for e in ner], matches)
        # People's name parts, built on demand once per doc (the component runs one doc at a
        # time inside `nlp.pipe`).
        self._names = None
        self._ner = ner
        checked = [self._disambiguate(doc, span, ents, ner) for span in ents]
        doc.ents = filter_spans([e for e in checked if e is not None])
        return doc

    def _matches(self, doc: Doc) -> list[Span]:
        spans = [
            Span(doc, s, e, label=self.actors[doc.vocab.strings[m]].type, kb_id=m)
            for m, s, e in self.matcher(doc)
        ]
        return filter_spans(spans)

    def _merge(self, doc: Doc, ner: list[Span], matches: list[Span]) -> list[Span]:
        """NER spans linked where an alias explains them; alias matches NER missed added."""
        out: list[Span] = []
        claimed: set[int] = set()
        for ent in ner:
            inside = [m for m in matches if m.start >= ent.start and m.end <= ent.end]
            crossing = [m for m in matches if m.start < ent.end and m.end > ent.start]
            if any(m not in inside for m in crossing):
                continue  # a longer alias ("Biden administration") beats the NER span
            linked = self._link_ner(doc, ent, inside)
            if linked is None and self._is_other_person(ent, inside):
                pass  # "Abdelrahim Hamdan Dagalo" is not Mohamed Hamdan Dagalo
            elif linked is None and _longer_name(ent, inside):
                pass  # "Security Council Report": a body named after the actor, not the actor
            elif linked is None and (len({m.kb_id for m in inside}) > 1 or _has_long(inside)):
                # Two actors in one NER span, or a multi-word alias inside a longer span
                # ("ЧВК Вагнер опубликовал"): the aliases are more specific than the span.
                continue
            out.append(linked or ent)
            claimed.update(range(ent.start, ent.end))
            if linked is None and inside and _opens_or_owns(ent, inside[0]):
                # "U.S. State Department": a name that opens with an actor's alias.
                doc.user_data.setdefault(INNER_ALIAS, {})[ent.start] = inside[0].kb_id_
        out.extend(m for m in matches if not claimed.intersection(range(m.start, m.end)))
        return sorted(out, key=lambda s: s.start)

    def _is_other_person(self, ent: Span, inside: list[Span]) -> bool:
        """A PERSON span holding a tracked person's alias plus given names of its own."""
        if ent.label_ != "PERSON" or not inside:
            return False
        if any(self.actors[m.kb_id_].type != "PERSON" for m in inside):
            return False
        covered = {i for m in inside for i in range(m.start, m.end)}
        extra = [t for t in ent if t.i not in covered and t.is_alpha]
        words = set().union(*(self.words[m.kb_id_] for m in inside))
        return any(t.is_title and t.lower_ not in TITLES | words for t in extra)

    def _link_ner(self, doc: Doc, ent: Span, inside: list[Span]) -> Span | None:
        ids = {m.kb_id_ for m in inside}
        if len(ids) != 1:
            return None
        actor_id = ids.pop()
        covered = {i for m in inside for i in range(m.start, m.end)}
        extra = [t for t in ent if t.i not in covered]
        allowed = self.words[actor_id] | TITLES
        if all(t.is_punct or t.text in _POSSESSIVE or t.lower_ in allowed for t in extra):
            return Span(doc, ent.start, ent.end, label=ent.label_, kb_id=actor_id)
        return None

    def _disambiguate(
        self, doc: Doc, span: Span, ents: list[Span], ner: tuple[Span, ...]
    ) -> Span | None:
        """Unlink a span whose context names something else; drop it if NER never saw it."""
        if not span.kb_id_:
            return span
        actor = self.actors[span.kb_id_]
        if self._is_other(doc, span, actor, ents):
            if is_place_reading(span, actor):
                # Not a mention, but "officials in Tehran" still speak for Iran.
                doc.user_data.setdefault(PLACE_READINGS, {})[span.start] = actor.id
            is_ner = any(e.start <= span.start and e.end >= span.end for e in ner)
            return Span(doc, span.start, span.end, label=span.label_) if is_ner else None
        return span

    def _is_other(self, doc: Doc, span: Span, actor: Actor, ents: list[Span]) -> bool:
        """Positive evidence that the alias names something else; a type mismatch alone is not.

        The registry's `exclude` phrases; a place reading of a metonymic alias ("in Tehran",
        "BAMAKO —"); or a one-word alias that is only ever part of a person's name in this
        document ("Israel Montiel ... Israel is a player"), while the actor is named nowhere
        else in it. Hints never remove a link; they only matter to `_merge`.
        """
        window = doc[max(span.start - CONTEXT_WINDOW, 0) : span.end + CONTEXT_WINDOW]
        context = _window_text(window, span.sent)
        if _has_any(context, actor.exclude):
            return True
        if is_place_reading(span, actor):
            return True
        if actor.type == "PERSON" and _has_other_given_name(span, self.words[actor.id]):
            return True
        if _glued_to_person(span):
            return True  # "Marie-France Dubois"
        if actor.type == "PERSON" and len(span) == 1 and self._namesake_before(span, actor):
            return True
        if len(span) != 1 or not span.kb_id_:
            return False
        if self._names is None:
            self._names = _name_parts(ents, self._ner)
        if span.text not in self._names:
            return False
        # The actor named elsewhere by another form ("Lazarus Group") keeps the bare alias.
        return not any(e.kb_id_ == actor.id and e.text != span.text for e in ents)

    def _namesake_before(self, span: Span, actor: Actor) -> bool:
        """A bare surname names the latest person introduced with it: after "Rosa Albanese,
        an analyst ...", "Albanese said" is her, not the tracked Anthony Albanese."""
        latest = None
        for ent in self._ner:
            if ent.end > span.start:
                break
            if ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text == span.text:
                latest = ent
        if latest is None:
            return False
        words = self.words[actor.id]
        return any(t.is_title and t.lower_ not in words | TITLES for t in latest[:-1])


def _glued_to_person(span: Span) -> bool:
    """An alias joined by a hyphen to a word of a person's name ("Marie-France")."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != "-":
        return False
    left = doc[span.start - 2]
    return (
        not left.whitespace_ and not doc[span.start - 1].whitespace_ and left.ent_type_ == "PERSON"
    )


# Prepositions that make a metonymic capital a place ("in Tehran", "near Bamako").
LOCATIVE = frozenset(
    {"in", "near", "toward", "towards", "at", "outside", "inside", "around", "across", "from"}
)
# Verbs of moving oneself: where they go or come from is a place, never a recipient or an
# object ("travel to Tehran", "crossed from Somalia", "fled to Kenya").
MOTION = frozenset(
    [
        "travel", "fly", "cross", "flee", "return", "arrive", "come", "go", "move", "sail",
        "drive", "march", "walk", "escape", "head", "relocate", "migrate", "retreat", "withdraw",
        "advance", "slip", "stream", "pour", "swim", "run", "infiltrate", "trek", "trip", "visit",
    ]
)  # fmt: skip
# Verbs whose direct object is a place one goes to ("visited Washington").
VISITING = frozenset({"visit", "tour", "reach", "leave"})
# Events and texts named after the city that hosts them ("the Doha talks", "the Ottawa treaty").
PLACE_NAMED = frozenset(
    [
        "talk", "talks", "summit", "meeting", "conference", "process", "accord", "forum", "round",
        "agreement", "treaty", "convention", "declaration", "protocol", "format", "framework",
    ]
)  # fmt: skip
# Things in a city, which a capital's name only locates ("Vilnius airport", "the Moscow
# bureau", "Valletta's Grand Harbour"); an embassy or a court belongs to the state instead.
PLACE_THINGS = frozenset(
    [
        "airport", "harbour", "harbor", "port", "bureau", "correspondent", "station",
        "university", "hospital", "stadium", "prison", "suburb", "suburbs", "district",
        "outskirts", "street", "streets", "skyline", "residents", "resident", "metro", "mayor",
    ]
)  # fmt: skip
DATELINE_DASHES = frozenset({"—", "–", "--", "-"})


def is_metonym(form: str, actor: Actor) -> bool:
    """An alias that names the actor by a place ("Tehran", "Brussels", "Mexico City"): not its
    name, not an abbreviation, and sharing no word with the name (or a "... City")."""
    if actor.type not in ("GPE", "ORG") or form == actor.name:
        return False
    if form.isupper() or "." in form:
        return False
    words = form.split()
    return not set(words) & set(actor.name.split()) or words[-1] == "City"


def is_place_reading(span: Span, actor: Actor) -> bool:
    """A metonymic alias read as a place: a dateline, after a locative preposition ("in
    Tehran", "embassy in Washington"), or after "to" governed by a verb of motion."""
    if _is_dateline(span):
        return True
    if span.start == 0 or not is_metonym(span.text, actor):
        return False
    doc = span.doc
    prev = doc[span.start - 1]
    before = doc[span.start - 2] if span.start > 1 else None
    if prev.lower_ in LOCATIVE and prev.lower_ != "from":
        return True
    if prev.lower_ == "the" and before is not None and before.lower_ in LOCATIVE - {"from"}:
        return True  # "a ceremony at the Kremlin"
    if prev.lower_ == "of" and before is not None and before.lower_ == "out":
        return True
    after = doc[span.end : span.end + 2]
    if len(after) == 2 and after[0].text == "-" and after[1].lower_ == "based":
        return True  # "a Brussels-based think tank"
    if prev.lemma_ in VISITING and prev.pos_ == "VERB" and span.root.dep_ == "dobj":
        return True
    named = span.end < len(doc) and doc[span.end].lemma_.lower() in PLACE_NAMED
    if named and "the" in (prev.lower_, before.lower_ if before is not None else ""):
        return True  # "the Doha talks", "the 2022 Pretoria agreement"
    if span.root.dep_ in ("compound", "poss") and span.root.head.lemma_.lower() in PLACE_THINGS:
        return True
    return prev.lower_ == "to" and prev.head.lemma_ in MOTION


def _is_dateline(span: Span) -> bool:
    """'VIENNA —' or 'EL FASHER, Sudan —' at the start of a paragraph."""
    doc = span.doc
    start = span.start
    while start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text):
        start -= 1
        if span.start - start > 6:
            return False
    words = doc[start : span.end + 4]
    dash = next((t for t in words if t.text in DATELINE_DASHES), None)
    if dash is None or dash.i < span.end:
        return False
    head = doc[start : dash.i]
    return any(t.is_upper and len(t.text) > 1 for t in head) and all(
        t.is_upper or t.is_punct or t.is_title for t in head if t.is_alpha
    )


def _window_text(window: Span, sent: Span) -> str:
    start = max(window.start, sent.start)
    end = min(window.end, sent.end)
    return window.doc[start:end].text if end > start else ""


def _has_any(text: str, phrases: Iterable[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in phrases)


def _name_parts(ents: list[Span], ner: tuple[Span, ...]) -> frozenset[str]:
    """Given names and surnames of the untracked people of a doc ("Israel" of Israel Montiel,
    "Grossi" of Marco Grossi), and one-word aliases right before a person's surname."""
    people = [e for e in ents if not e.kb_id_ and len(e) > 1 and _is_person_name(e)]
    names = {w for e in people for w in (e[0].text, e[-1].text)}
    surnames = {e[-1].text for e in ner if e.label_ == "PERSON"}
    names |= {e.text for e in ents if len(e) == 1 and _starts_person(e, surnames)}
    return frozenset(names)


def _has_other_given_name(span: Span, words: frozenset[str]) -> bool:
    """'Abdelrahim Hamdan Dagalo' is not Mohamed Hamdan Dagalo: a given name that is not one
    of the actor's own words stands right before the alias."""
    if span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    return (
        prev.is_title
        and prev.pos_ == "PROPN"
        and not prev.is_sent_start
        and prev.lower_ not in TITLES | words
        and prev.ent_type_ in ("PERSON", "")
    )


def _starts_person(ent: Span, surnames: set[str]) -> bool:
    """'Israel' right before a person's name ('Israel Montiel', which NER split): a given name.
    The next word is a PERSON entity here, or one elsewhere ("... Montiel equalised")."""
    doc = ent.doc
    if ent.end >= len(doc) or not doc[ent.end].is_title or doc[ent.end].pos_ != "PROPN":
        return False
    following = doc[ent.end]
    return following.ent_type_ == "PERSON" or following.text in surnames


def _is_person_name(ent: Span) -> bool:
    """PERSON, or a two-word 'Given Surname' the small model mislabels ('Marcus Washington'
    comes out as ORG), but not an institution named after a place ('University of ...')."""
    if ent.label_ == "PERSON":
        return True
    given = ent[0]
    return (
        ent.label_ == "ORG"
        and len(ent) == 2
        and given.is_title
        and given.is_alpha
        and given.pos_ == "PROPN"
        and given.ent_iob_ == "B"
    )


def _trim(ent: Span) -> Span:
    """Drop a leading 'the' and a trailing possessive: "North Korea’s" names North Korea."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while end - start > 1 and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    while end - start > 1 and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(doc, start, end, label=ent.label_, kb_id=ent.kb_id_)


def _opens_or_owns(ent: Span, alias: Span) -> bool:
    """'U.S. State Department', 'Atomic Energy Organization of Iran': the alias names the
    body's owner (not 'Taiwan Affairs Office', where it names the topic)."""
    if alias.start == ent.start:
        return True
    return alias.end == ent.end and alias.start > 0 and ent.doc[alias.start - 1].lower_ == "of"


def _longer_name(ent: Span, inside: list[Span]) -> bool:
    """An organisation's name that opens with one alias and goes on in capitalised words of
    its own ("Security Council Report", "European Union Naval Force")."""
    if ent.label_ != "ORG" or len(inside) != 1 or inside[0].start != ent.start:
        return False
    rest = ent.doc[inside[0].end : ent.end]
    return len(rest) > 0 and all(t.is_title and t.pos_ == "PROPN" for t in rest)


def _has_long(matches: list[Span]) -> bool:
    return any(len(m) > 1 for m in matches)
