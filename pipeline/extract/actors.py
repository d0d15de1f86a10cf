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
CONTEXT_WINDOW = 8  # tokens either side of a mention searched for hints and excludes
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def strip_article(alias: str) -> str:
    """'the Kremlin' -> 'Kremlin': determiners are not part of a name."""
    return re.sub(r"^(the|The)\s+", "", alias.strip())


class ActorLinker:
    """spaCy component: sets `doc.ents` to NER spans and alias matches, linked by `kb_id_`."""

    def __init__(self, nlp: Language, actors: Sequence[Actor]) -> None:
        self.actors = {a.id: a for a in actors}
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
            if linked is None and (len({m.kb_id for m in inside}) > 1 or _has_long(inside)):
                # Two actors in one NER span, or a multi-word alias inside a longer span
                # ("ЧВК Вагнер опубликовал"): the aliases are more specific than the span.
                continue
            out.append(linked or ent)
            claimed.update(range(ent.start, ent.end))
        out.extend(m for m in matches if not claimed.intersection(range(m.start, m.end)))
        return sorted(out, key=lambda s: s.start)

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
            is_ner = any(e.start <= span.start and e.end >= span.end for e in ner)
            return Span(doc, span.start, span.end, label=span.label_) if is_ner else None
        return span

    def _is_other(self, doc: Doc, span: Span, actor: Actor, ents: list[Span]) -> bool:
        window = doc[max(span.start - CONTEXT_WINDOW, 0) : span.end + CONTEXT_WINDOW]
        context = _window_text(window, span.sent)
        if _has_any(context, actor.exclude):
            return True
        if len(span) == 1 and _is_surname_of_other(span, ents):
            return True
        ner_type = span.label_
        # Only a one-word alias is ambiguous enough to need a hint when NER calls it a person.
        mismatch = len(span) == 1 and ner_type == "PERSON" and actor.type != "PERSON"
        return mismatch and not _has_any(_window_text(span.sent, span.sent), actor.hints)


def _window_text(window: Span, sent: Span) -> str:
    start = max(window.start, sent.start)
    end = min(window.end, sent.end)
    return window.doc[start:end].text if end > start else ""


def _has_any(text: str, phrases: Iterable[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in phrases)


def _is_surname_of_other(span: Span, ents: list[Span]) -> bool:
    """A bare 'Wagner' in a text about Anna Wagner is Anna Wagner, not the Wagner Group."""
    return any(
        not e.kb_id_ and len(e) > 1 and e[-1].text == span.text and _is_person_name(e)
        for e in ents
    )


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


def _has_long(matches: list[Span]) -> bool:
    return any(len(m) > 1 for m in matches)
