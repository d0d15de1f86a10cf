"""Attribution: quotation spans, who speaks each one, and who a clause is attributed to.

A clause's speaker is, in order: the subject of the innermost verb of saying above it
("Kirby said [...]", "North Korea denied [...]"), skipping first-person subjects (we, I) whose
voice is the quoted speaker's; the object of "according to"; the speaker of the quotation it
sits in; the subject of a verb of assessing ("the U.S. estimates that ..."). Attribution
before, after or inside a quotation works with straight and curly quote marks; the curly
closing mark is also an apostrophe, so quote marks are read from spaCy's tokens and tags, where
"Russia’s" keeps its "’s" as one token.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span, Token

from pipeline.extract.actors import DATELINE_STATE
from pipeline.extract.coref import Resolved, Resolver, is_subject
from pipeline.models import ActorRef

COMMUNICATION = frozenset(
    [
        "say",
        "tell",
        "state",
        "announce",
        "claim",
        "add",
        "confirm",
        "insist",
        "warn",
        "report",
        "allege",
        "accuse",
        "write",
        "declare",
        "explain",
        "stress",
        "note",
        "reiterate",
        "acknowledge",
        "admit",
        "argue",
        "assert",
        "tweet",
        "post",
        "reveal",
        "disclose",
        "testify",
        "repeat",
        "respond",
        "reply",
        "mention",
        "emphasize",
        "emphasise",
        "continue",
        "caution",
        "deny",
        "reject",
        "dismiss",
        "refute",
        "dispute",
        "rule",
    ]
)
DENIAL = frozenset(["deny", "reject", "dismiss", "refute", "dispute"])
COGNITION = frozenset(
    [
        "estimate",
        "assess",
        "believe",
        "think",
        "conclude",
        "judge",
        "suspect",
        "fear",
        "know",
        "understand",
        "expect",
    ]
)
# Words of an unnamed government office or its officials.
GOVERNMENT_OFFICES = frozenset(
    [
        "ministry", "government", "minister", "spokesman", "spokeswoman", "spokesperson",
        "office", "cabinet", "presidency", "junta", "premier", "chancellor",
    ]
)  # fmt: skip
SENTENCE_INDEX = "newsmon_sentence_index"
"""`Doc.user_data` key: (sentence index of each token, (start, end) of each sentence)."""
# Nouns of a source document: 'according to a statement from Doha'.
STATEMENTS = frozenset({"statement", "report", "communique", "release", "post", "letter"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "you"})
_OPEN = frozenset({"‘", "“", "«", "„"})
_CLOSE = frozenset({"’", "”", "»"})
_AMBIGUOUS = frozenset({'"', "'", "''", "``"})


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: token indices of its opening and closing marks, and its speaker."""

    start: int
    end: int
    speaker: Resolved | None
    org: Resolved | None = None
    """The organisation the speaker speaks for (their 'we'), when the text names it."""


def subject_of(verb: Token) -> Token | None:
    """The nsubj of `verb`, or of the verb it is coordinated with ("X said and added")."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return child
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head)
    return None


def _ancestors(token: Token) -> Iterator[Token]:
    while token.head.i != token.i:
        token = token.head
        yield token


def _governors(token: Token) -> Iterator[Token]:
    """Ancestors whose content `token` is part of: coordination ("said ... and delivered")
    shares the governor's attribution instead of being its content."""
    return (parent for _, parent in _governor_pairs(token))


def _governor_pairs(token: Token) -> Iterator[tuple[Token, Token]]:
    """(child on the path, governor) for each governor of `token`."""
    while token.head.i != token.i:
        parent = token.head
        if token.dep_ not in ("conj", "nsubj", "nsubjpass", "cc") and not _is_control_use(parent):
            yield token, parent
        token = parent


TIME_MARKS = frozenset({"after", "before", "since", "when", "while", "until", "as"})


def _is_time(clause: Token) -> bool:
    """'ruled out ..., a day after Washington imposed sanctions': a time clause of the verb of
    saying is the writer's setting, not what was said."""
    return clause.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in TIME_MARKS for c in clause.children
    )


CONTRAST = frozenset({"yet", "still", "nevertheless", "nonetheless", "however", "but"})


def _contrast_between(token: Token, top: Token) -> bool:
    """A contrasted conjunct ("..., and yet here they are ...") on the path up to `top`."""
    while token.i != top.i and token.head.i != token.i:
        if token.dep_ == "conj" and _is_contrast(token):
            return True
        token = token.head
    return False


def _is_contrast(conj: Token) -> bool:
    head = conj.head
    marks = [c for c in conj.children if c.dep_ in ("advmod", "cc")]
    marks += [c for c in head.children if c.dep_ == "cc" and head.i < c.i < conj.i]
    return any(m.lower_ in CONTRAST for m in marks)


def _is_control_use(verb: Token) -> bool:
    """'continue to deliver' is not 'Kirby continued'."""
    return any(c.dep_ == "xcomp" for c in verb.children) and verb.lemma_ == "continue"


class Attribution:
    """Speakers for one doc: quotations found once, clause speakers answered on demand."""

    def __init__(self, doc: Doc, resolver: Resolver) -> None:
        self.doc = doc
        self.resolver = resolver
        self.sent_of = [0] * len(doc)
        self.bounds: list[tuple[int, int]] = []
        for index, sent in enumerate(doc.sents):
            self.bounds.append((sent.start, sent.end))
            for i in range(sent.start, sent.end):
                self.sent_of[i] = index
        doc.user_data[SENTENCE_INDEX] = (self.sent_of, self.bounds)
        self.quotes: list[Quote] = []
        for start, end in _quote_marks(doc):
            self.quotes.append(Quote(start, end, *self._quote_speaker(start, end)))

    def quote_at(self, i: int) -> Quote | None:
        return next((q for q in self.quotes if q.start < i < q.end), None)

    def speaker(self, verb: Token) -> Resolved | None:
        """Who the clause headed by `verb` is attributed to; None in the article's own voice."""
        for ancestor in self._saying_governors(verb):
            found = self._speaker_of(ancestor)
            if found is not None:
                return found
        according = self._according_to(verb)
        if according is not None:
            return according
        quote = self.quote_at(verb.i)
        if quote is not None and quote.speaker is not None:
            return quote.speaker
        for ancestor in _governors(verb):
            if ancestor.lemma_ in COGNITION:
                found = self._speaker_of(ancestor)
                if found is not None:
                    return found
        return None

    def _saying_governors(self, verb: Token) -> list[Token]:
        """Verbs of saying above `verb`, innermost first.

        "they said they would not arm Russia, and yet here they are shipping shells", quoted:
        the contrasted conjunct is the quoting speaker's own voice, so the innermost verb of
        saying is dropped when another speaker (an outer verb or the quotation) remains.
        """
        saying = [
            g
            for child, g in _governor_pairs(verb)
            if g.lemma_ in COMMUNICATION and not _is_time(child)
        ]
        outer = len(saying) > 1 or self.quote_at(verb.i) is not None
        if saying and outer and _contrast_between(verb, saying[0]):
            return saying[1:]
        return saying

    def first_person(self, token: Token) -> Resolved | None:
        """'we', 'our', 'us' inside a quotation: the organisation of its speaker."""
        quote = self.quote_at(token.i)
        if quote is None:
            return None
        org = quote.org
        if org is None and quote.speaker is not None and quote.speaker.ref.id:
            # "Mexico will cooperate, but we will never accept ...," Sheinbaum said: a person's
            # 'we' is the state or body their own quotation named before it.
            org = self._named_before(quote.start, token.i)
        if org is None:
            return None
        return Resolved(ActorRef(org.ref.id, token.text), True, org.type)

    def _named_before(self, start: int, end: int) -> Resolved | None:
        for i in range(end - 1, start, -1):
            ent = self.resolver.ent_at.get(i)
            if ent is not None and ent.kb_id_ and self.resolver.type_of(ent) in ("ORG", "GPE"):
                return Resolved(self.resolver.ref(ent), True, self.resolver.type_of(ent))
        return None

    def _speaker_of(self, verb: Token) -> Resolved | None:
        subject = subject_of(verb)
        if subject is None or (subject.lower_ in FIRST_PERSON and subject.pos_ == "PRON"):
            return None
        found = self.resolver.resolve(subject)
        if found is not None and found.ref.id:
            return found
        for conjunct in subject.conjuncts:  # "Estonia and Latvia have said": a tracked one
            other = self.resolver.resolve(conjunct)
            if other is not None and other.ref.id:
                return other
        return self._government_office(subject, verb) or found or _unlinked(subject)

    def _government_office(self, subject: Token, verb: Token) -> Resolved | None:
        """An unnamed office of the government the story reports on ("the commerce ministry
        said", "Foreign Minister Péter Szijjártó said"): the tracked state its sentence is
        about. Named agencies ("the Justice Department") and other sources stay untracked."""
        words = [t for t in subject.subtree if t.i <= subject.i]
        if not any(t.lower_ in GOVERNMENT_OFFICES for t in words):
            return None
        if any(t.ent_type_ in ("NORP", "GPE") or t.ent_kb_id_ for t in words):
            return None
        named = (t for t in words if t.ent_type_ == "ORG" and t.is_title)
        if any(t.lower_ not in _OFFICE_WORDS for t in named):
            return None  # a named body; "the commerce ministry" tagged ORG is still an office
        if any(_is_agency_word(t) for t in words):
            return None  # "the Justice Department": a named agency, not an unnamed office
        inside = {t.i for t in subject.subtree}
        index = self.sent_of[verb.i]
        introduced = self._body_introduced(words, index)
        if introduced is not None:  # "China's embassy ... embassy spokesman Liu Pengyu said"
            return Resolved(ActorRef(introduced, _unlinked(subject).ref.text), True, "GPE")
        # The states its sentence is about, then the ones the sentence before is about.
        candidates: list[Span] = []
        for s in (index, index - 1):
            if s < 0:
                continue
            for i in range(*self.bounds[s]):
                ent = self.resolver.ent_at.get(i)
                if ent is None or i in inside or not ent.kb_id_ or ent in candidates:
                    continue
                if self.resolver.type_of(ent) == "GPE":
                    candidates.append(ent)
        # The story's own state (its dateline's) first, then a state that is a subject
        # ("China imposed ..., the commerce ministry said"), then any.
        home = self.doc.user_data.get(DATELINE_STATE)
        chosen = next((e.kb_id_ for e in candidates if e.kb_id_ == home), None)
        chosen = chosen or next((e.kb_id_ for e in candidates if is_subject(e)), None)
        chosen = chosen or (candidates[0].kb_id_ if candidates else home)
        if chosen is None:
            return None
        return Resolved(ActorRef(chosen, _unlinked(subject).ref.text), True, "GPE")

    def _body_introduced(self, words: list[Token], index: int) -> str | None:
        """The tracked state of an office this or the two sentences before introduced: the
        same body noun with its owner ("China's embassy ... embassy spokesman Liu Pengyu
        said"), else an office of a state that spoke or acted there ("The Ethiopian foreign
        ministry rejected ... A spokesman said")."""
        nouns = {t.lemma_.lower() for t in words if t.pos_ in ("NOUN", "PROPN")} & _BODIES
        first = self.bounds[max(index - 2, 0)][0]
        speaking: str | None = None
        for i in range(words[0].i - 1, first - 1, -1):
            token = self.doc[i]
            if token.pos_ not in ("NOUN", "PROPN"):
                continue
            lemma = token.lemma_.lower()
            same = lemma in nouns
            acting = lemma in GOVERNMENT_OFFICES and token.dep_ in ("nsubj", "nsubjpass")
            if not same and (speaking is not None or not acting):
                continue
            found = self.resolver.resolve(token)
            if found is None or not found.ref.id or found.type != "GPE":
                continue
            if same:
                return found.ref.id
            speaking = found.ref.id
        return speaking

    def _according_to(self, verb: Token) -> Resolved | None:
        for node in (verb, *_ancestors(verb)):
            for child in node.children:
                if child.lower_ == "according":
                    pobj = next((t for t in child.subtree if t.dep_ == "pobj"), None)
                    if pobj is not None:
                        return self._source(pobj) or _unlinked(pobj)
        return None

    def _source(self, token: Token) -> Resolved | None:
        """Who a source phrase names: 'U.S. Central Command', 'a statement from Doha'."""
        found = self.resolver.resolve(token)
        if found is not None and found.ref.id:
            return found
        if token.lemma_.lower() in STATEMENTS:
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    inner = self.resolver.resolve(pobj) if pobj is not None else None
                    if inner is not None and inner.ref.id:
                        return inner
        return found

    def _quote_speaker(self, start: int, end: int) -> tuple[Resolved | None, Resolved | None]:
        """(speaker, their organisation) named by a verb of saying beside the quotation, else
        the previous quotation's."""
        sents = sorted({self.sent_of[end], self.sent_of[start]})
        # Only the quotation's sentences: scanning the whole doc per quote is quadratic.
        tokens = [self.doc[i] for s in sents for i in range(*self.bounds[s])]
        verbs = [
            t
            for t in tokens
            if not start <= t.i <= end
            and t.lemma_ in COMMUNICATION
            and not _is_control_use(t)
            and not any(q.start < t.i < q.end for q in self.quotes)
            and not self._paragraph_between(t.i, start, end)
        ]
        verbs.sort(key=lambda t: (t.i < end, abs(t.i - end)))
        for verb in verbs:
            found = self._speaker_of(verb)
            if found is not None:
                subject = subject_of(verb)
                return found, self._organisation(subject, found) if subject else None
        return self._continued(start)

    def _paragraph_between(self, i: int, start: int, end: int) -> bool:
        """A paragraph break between a verb and the quotation: the next paragraph's speaker
        never speaks the quotation before it."""
        lo, hi = (i, start) if i < start else (end, i)
        return any(t.is_space and "\n" in t.text for t in self.doc[lo:hi])

    def _organisation(self, subject: Token, speaker: Resolved) -> Resolved | None:
        """A group speaker speaks for itself; a person for the tracked organisation named
        beside them ("John Kirby, the White House spokesman"). Linked actors only."""
        if speaker.type in ("ORG", "GPE"):
            return speaker if speaker.ref.id else None
        for token in subject.subtree:
            ent = self.resolver.ent_at.get(token.i)
            if ent is not None and ent.kb_id_ and self.resolver.type_of(ent) in ("ORG", "GPE"):
                return Resolved(self.resolver.ref(ent), False, self.resolver.type_of(ent))
        return self.resolver.served_by(speaker)

    def _continued(self, start: int) -> tuple[Resolved | None, Resolved | None]:
        """A quotation right after another one, in the same paragraph, continues its speaker."""
        if not self.quotes:
            return None, None
        previous = self.quotes[-1]
        between = self.doc[previous.end : start]
        if self.sent_of[start] - self.sent_of[previous.end] > 1:
            return None, None
        if any(t.is_space and "\n" in t.text for t in between):
            return None, None
        return previous.speaker, previous.org


# Title words of an office that do not name an agency ("Foreign Minister", "the mines ministry").
_OFFICE_TITLES = frozenset(
    [
        "foreign", "defence", "defense", "interior", "finance", "prime", "deputy", "senior",
        "chief", "commerce", "mines", "health", "trade", "energy", "oil", "economy", "justice",
        "first", "vice", "general", "president", "secretary", "state",
    ]
)  # fmt: skip


# Bodies whose people speak for the owner the body was introduced with.
_BODIES = frozenset({"ministry", "embassy", "office", "government", "cabinet", "presidency"})
_OFFICE_WORDS = GOVERNMENT_OFFICES | _OFFICE_TITLES | {"the"}


def _is_agency_word(token: Token) -> bool:
    if not (token.is_title and token.pos_ == "PROPN") or token.ent_type_ == "PERSON":
        return False
    lower = token.lower_
    return (lower not in GOVERNMENT_OFFICES and lower not in _OFFICE_TITLES) or (
        lower == "justice" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "department"
    )


def _unlinked(token: Token) -> Resolved:
    """A named-less source ('officials', 'analysts'): attributed, but to no entity."""
    start = min(t.i for t in token.subtree if t.i <= token.i)

    return Resolved(ActorRef(id=None, text=token.doc[start : token.i + 1].text), False, "")


def _quote_marks(doc: Doc) -> Iterator[tuple[int, int]]:
    """Pairs (opening, closing) of quote-mark token indices, in order."""
    opening: int | None = None
    marks = _OPEN | _CLOSE | _AMBIGUOUS
    orths = doc.to_array([ORTH]).tolist()
    ids = {doc.vocab.strings.add(m) for m in marks}
    for i in (i for i, orth in enumerate(orths) if orth in ids):
        token = doc[i]
        kind = _mark_kind(token)
        if opening is not None and _ends_paragraph(token):
            kind = "close"  # a mark before a paragraph break closes, whatever its tag
        elif opening is not None and kind == "open" and _paragraph_break(doc, opening, i):
            opening = None  # an unclosed mark does not carry into the next paragraph
        if kind == "open" and opening is None:
            opening = token.i
        elif kind == "close" and opening is not None:
            yield opening, token.i
            opening = None
        elif kind == "toggle":
            if opening is None:
                opening = token.i
            else:
                yield opening, token.i
                opening = None


def _ends_paragraph(token: Token) -> bool:
    nxt = token.i + 1
    return nxt >= len(token.doc) or (token.doc[nxt].is_space and "\n" in token.doc[nxt].text)


def _paragraph_break(doc: Doc, start: int, end: int) -> bool:
    return any(t.is_space and "\n" in t.text for t in doc[start:end])


def _mark_kind(token: Token) -> str | None:
    text = token.text
    if text in _OPEN:
        return "open"
    if text in _CLOSE:
        return "close"
    if text in _AMBIGUOUS:
        if token.tag_ == "``":
            return "open"
        if token.tag_ == "''":
            return "close"
        return "toggle"
    return None
