"""Claims from a parsed doc: who did what to whom, negation, hedging, quantity and speaker.

Every content verb whose subject resolves to an entity yields a claim. Verbs of saying are
attribution, not claims; control verbs ("continue to", "is planning to") hand their subject to
the verb they govern, which carries the claim. Passive voice swaps roles ("Wagner is owned by
Prigozhin": Prigozhin owns Wagner). For verbs of giving the object is the recipient ("delivered
rockets to Wagner": object Wagner, theme "rockets"). Denials ("North Korea denied supplying
arms") give a negated claim spoken by the denier.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from pipeline.extract.coref import Resolved, Resolver
from pipeline.extract.quotes import COGNITION, COMMUNICATION, DENIAL, Attribution
from pipeline.models import Claim

GIVING = frozenset(
    [
        "supply",
        "deliver",
        "provide",
        "send",
        "ship",
        "sell",
        "give",
        "transfer",
        "lend",
        "donate",
        "export",
        "smuggle",
        "offer",
        "hand",
        "furnish",
        "pay",
    ]
)
CONTROL = frozenset(
    [
        "continue",
        "keep",
        "fail",
        "plan",
        "intend",
        "seek",
        "try",
        "attempt",
        "begin",
        "start",
        "aim",
        "want",
        "hope",
        "prepare",
        "threaten",
        "agree",
        "refuse",
        "decide",
        "promise",
        "vow",
        "pledge",
        "help",
        "expect",
        "appear",
        "seem",
    ]
)
HEDGING_VERBS = frozenset(
    ["plan", "intend", "consider", "seek", "expect", "aim", "prepare", "threaten", "hope"]
)
HEDGING_WORDS = frozenset(
    [
        "could",
        "may",
        "might",
        "reportedly",
        "allegedly",
        "possibly",
        "probably",
        "likely",
        "apparently",
        "perhaps",
        "purportedly",
    ]
)
# "completed an arms delivery to Wagner" states a delivery: the noun carries the predicate.
LIGHT_VERBS = frozenset(
    ["complete", "make", "carry", "conduct", "finalize", "launch", "finish", "begin"]
)
NOMINALIZATIONS = {
    "delivery": "deliver",
    "shipment": "ship",
    "transfer": "transfer",
    "sale": "sell",
    "supply": "supply",
    "attack": "attack",
    "payment": "pay",
    "donation": "donate",
}
# Verbs that give their object a role: "designated Wagner a criminal organization".
NAMING = frozenset(
    ["designate", "name", "label", "declare", "list", "brand", "appoint", "elect", "dub"]
)
# Control verbs that deny what they govern: "fails to condemn", "refused to pay".
NEGATING_CONTROL = frozenset({"fail", "refuse", "decline"})
# Verbs of saying that are attribution even with nothing under them ("Kirby said Thursday.").
BARE_SAYING = frozenset({"say", "tell", "continue", "state", "write", "note", "add"})
# "accused North Korea of hacking": the accused is the subject of the gerund.
ACCUSING = frozenset({"accuse", "suspect", "blame", "charge", "convict"})
REFLEXIVES = frozenset({"itself", "himself", "herself", "themselves"})
SKIPPED = frozenset({"be", "become", "remain", "seem", "appear", "go", "do"})
NEGATORS = frozenset({"not", "n't", "never", "no"})
RECIPIENT_PREPS = ("to", "for", "into")
OBJECT_PREPS = frozenset({"to", "against", "on", "with", "from", "into", "toward", "towards"})
QUANTITY_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})
TITLE_END = "newsmon_title_end"
"""`Doc.user_data` key: the character offset where the body starts (0: no title)."""
_DENIAL_PATH = frozenset({"pcomp", "pobj", "prep", "dobj", "amod"})
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl", "csubj"})


def extract_claims(doc: Doc, resolver: Resolver, attribution: Attribution) -> list[Claim]:
    """All claims of `doc`, in text order."""
    claims: list[Claim] = []
    for verb in _content_verbs(doc):
        claims.extend(_claims_of(verb, resolver, attribution))
    return claims


def _content_verbs(doc: Doc) -> Iterator[Token]:
    for token in doc:
        if token.pos_ != "VERB" or token.dep_ in ("aux", "auxpass"):
            continue
        if token.dep_ == "amod" and _gerund_denial(token) is None:
            continue
        if token.lemma_ in SKIPPED or _is_attribution(token) or _is_control(token):
            continue
        yield token


def _is_attribution(verb: Token) -> bool:
    """A verb of saying with a clause under it ("Kirby said ..."), or a bare 'said'."""
    if verb.lemma_ not in COMMUNICATION | COGNITION:
        return False
    if _clause_child(verb) is not None or verb.lemma_ == "tell":
        return True
    if verb.lemma_ in DENIAL and _gerund_object(verb) is not None:
        return True
    return verb.lemma_ in BARE_SAYING and _child(verb, "dobj") is None


def _gerund_object(verb: Token) -> Token | None:
    """'denied supplying weapons' parsed with 'supplying' as an adjective of 'weapons'."""
    dobj = _child(verb, "dobj")
    if dobj is None:
        return None
    return next((c for c in dobj.children if c.dep_ == "amod" and c.tag_ == "VBG"), None)


def _gerund_denial(verb: Token) -> Token | None:
    head = verb.head
    if verb.tag_ == "VBG" and head.dep_ == "dobj" and head.head.lemma_ in DENIAL:
        return head.head
    return None


def _is_control(verb: Token) -> bool:
    return verb.lemma_ in CONTROL and any(c.dep_ == "xcomp" for c in verb.children)


def _clause_child(verb: Token) -> Token | None:
    clause_deps = ("ccomp", "xcomp", "pcomp", "parataxis", "advcl")
    return next((c for c in verb.children if c.dep_ in clause_deps), None) or next(
        (g for c in verb.children if c.dep_ == "prep" for g in c.children if g.pos_ == "VERB"),
        None,
    )


def _claims_of(verb: Token, resolver: Resolver, attribution: Attribution) -> Iterator[Claim]:
    roles = _roles(verb, resolver)
    if roles is None:
        return
    subject, obj, theme, predicate = roles
    speaker = attribution.speaker(verb)
    negated = _is_negated(verb)
    denier = _denier(verb)
    if denier is not None:
        negated = not negated
    sent = verb.sent
    start, end = _stripped(sent)
    confidence = 0.9 - 0.2 * subject.via_coref - 0.1 * bool(obj and obj.via_coref)
    yield Claim(
        subject=subject.ref,
        predicate=predicate,
        object=obj.ref if obj else None,
        theme=theme,
        speaker=speaker.ref if speaker else None,
        negated=negated,
        hedged=_is_hedged(verb),
        quantity=_quantity(verb),
        sentence=sent.text[start - sent.start_char : end - sent.start_char],
        start=start,
        end=end,
        confidence=round(confidence - 0.1 * bool(speaker and speaker.via_coref), 2),
    )


Roles = tuple[Resolved, Resolved | None, str | None, str]


def _roles(verb: Token, resolver: Resolver) -> Roles | None:
    """(subject, object, theme, predicate), or None when the subject is not an entity."""
    predicate = verb.lemma_.lower()
    passive = _child(verb, "nsubjpass") or _reduced_passive(verb)
    if passive is not None:
        agent = _agent(verb)
        subject = resolver.resolve(agent) if agent is not None else None
        if subject is None:
            return None
        exclude = frozenset({subject.ref.id or subject.ref.text})
        recipient = _recipient(verb, resolver, exclude) if verb.lemma_ in GIVING else None
        theme = _phrase(passive) if recipient is not None else None
        return subject, recipient or resolver.resolve(passive), theme, predicate
    token = _subject_token(verb)
    subject = resolver.resolve(token) if token is not None else None
    if subject is None:
        return None
    exclude = frozenset({subject.ref.id or subject.ref.text})
    noun = _nominalization(verb)
    if noun is not None:
        obj = _recipient(noun, resolver, exclude)
        theme = " ".join(c.text for c in noun.children if c.dep_ == "compound") or None
        return subject, obj, theme, NOMINALIZATIONS[noun.lemma_.lower()]
    if _is_reflexive(verb):
        return subject, subject, None, predicate
    denial = _gerund_denial(verb)
    if denial is not None:
        obj = _recipient(denial, resolver, exclude) or _recipient(verb.head, resolver, exclude)
        return subject, obj, _phrase(verb.head, skip=verb), predicate
    obj, theme = _object(verb, resolver, exclude)
    bare = obj is None and theme is None
    if bare and subject.via_coref and token is not None and token.pos_ == "PRON":
        return None  # "as long as it takes": a bare pronoun clause says nothing checkable
    return subject, obj, theme, predicate


def _reduced_passive(verb: Token) -> Token | None:
    """The patient of a headline's bare past form: 'Wagner designated a criminal group'.

    Headlines tell past events in the present tense ("Pyongyang denies ..."), so a past form
    without an auxiliary in the headline is a passive the parser read as active. A direct
    object means active ("Putin met Prigozhin after mutiny"), except after verbs that name a
    role, whose complement looks like one ("designated a criminal organization").
    """
    if verb.tag_ not in ("VBD", "VBN") or not _in_headline(verb):
        return None
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return None
    if _child(verb, "dobj") is not None and verb.lemma_ not in NAMING:
        return None
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head  # "Ammunition sold to Russia by North Korea"
    if verb.dep_ == "ROOT" or (verb.dep_ == "ccomp" and verb.head.lemma_ in COMMUNICATION):
        return _child(verb, "nsubj")
    return None


def _in_headline(token: Token) -> bool:
    """The token is in the article's title (the extractor records where the title ends)."""
    return token.idx < token.doc.user_data.get(TITLE_END, 0)


def _nominalization(verb: Token) -> Token | None:
    dobj = _child(verb, "dobj")
    if verb.lemma_ in LIGHT_VERBS and dobj is not None and dobj.lemma_.lower() in NOMINALIZATIONS:
        return dobj
    return None


def _is_reflexive(verb: Token) -> bool:
    dobj = _child(verb, "dobj")
    return dobj is not None and dobj.lower_ in REFLEXIVES


def _subject_token(verb: Token) -> Token | None:
    """The verb's own subject, or the one it inherits through control, coordination or denial."""
    own = _child(verb, "nsubj")
    if own is not None:
        return own
    denial = _gerund_denial(verb)
    if denial is not None:
        return _child(denial, "nsubj")
    if verb.dep_ == "pcomp" and verb.head.head.lemma_ in ACCUSING:
        return _child(verb.head.head, "dobj")
    if verb.dep_ in ("xcomp", "conj", "pcomp") or (
        verb.dep_ == "ccomp" and verb.head.lemma_ in DENIAL
    ):
        head = verb.head if verb.dep_ != "pcomp" else verb.head.head
        if head.pos_ in ("VERB", "AUX"):
            return _child(head, "nsubj") or _subject_token(head)
    if verb.dep_ == "relcl" and verb.tag_ != "VBN":
        return verb.head
    return None


def _object(
    verb: Token, resolver: Resolver, exclude: frozenset[str]
) -> tuple[Resolved | None, str | None]:
    dobj = _child(verb, "dobj")
    theme = _phrase(dobj) if dobj is not None else None
    recipient = _recipient(verb, resolver, exclude) or _dative(verb, resolver, exclude)
    if recipient is None and dobj is not None and verb.lemma_ in GIVING:
        recipient = _recipient(dobj, resolver, exclude)  # "arms to Wagner" parsed as one NP
    if verb.lemma_ in GIVING and recipient is not None:
        return recipient, theme
    direct = resolver.resolve(dobj, exclude) if dobj is not None else None
    if direct is not None:
        return direct, _as_phrase(verb)
    heads = (verb, dobj) if dobj is not None else (verb,)
    for prep in (c for h in heads for c in h.children):  # "imposed sanctions on Wagner"
        if prep.dep_ == "prep" and prep.lower_ in OBJECT_PREPS:
            found = _pobj_entity(prep, resolver, exclude)
            if found is not None:
                return found, theme
    return recipient or _purpose_object(verb, resolver, exclude), theme


def _recipient(verb: Token, resolver: Resolver, exclude: frozenset[str]) -> Resolved | None:
    """'to Wagner', 'for Wagner', 'for use by Wagner', then 'into Russia'."""
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS]
    preps.sort(key=lambda p: RECIPIENT_PREPS.index(p.lower_))
    for prep in preps:
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            by = next((g for c in pobj.children if c.lower_ == "by" for g in c.children), None)
            found = resolver.resolve(by, exclude) if by is not None else None
            found = found or resolver.resolve(pobj, exclude)
            if found is not None:
                return found
    return None


def _dative(verb: Token, resolver: Resolver, exclude: frozenset[str]) -> Resolved | None:
    dative = _child(verb, "dative")
    if dative is not None and dative.pos_ == "ADP":
        dative = _child(dative, "pobj")  # "delivering arms to Wagner" with 'to' as dative
    return resolver.resolve(dative, exclude) if dative is not None else None


def _pobj_entity(prep: Token, resolver: Resolver, exclude: frozenset[str]) -> Resolved | None:
    pobj = _child(prep, "pobj")
    return resolver.resolve(pobj, exclude) if pobj is not None else None


def _purpose_object(verb: Token, resolver: Resolver, exclude: frozenset[str]) -> Resolved | None:
    """'spending $100 million to fund Wagner's efforts': the purpose clause's object."""
    for clause in verb.children:
        if clause.dep_ in ("advcl", "xcomp") and _child(clause, "aux") is not None:
            dobj = _child(clause, "dobj")
            if dobj is not None:
                return resolver.resolve(dobj, exclude)
    return None


def _as_phrase(verb: Token) -> str | None:
    """'designated the private army as a military end user': the role it was given."""
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    pobj = _child(prep, "pobj") if prep is not None else None
    return _phrase(pobj) if pobj is not None else None


def _agent(verb: Token) -> Token | None:
    agent = _child(verb, "agent") or next(
        (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "by"), None
    )
    return _child(agent, "pobj") if agent is not None else None


def _is_negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in NEGATORS for c in verb.children):
        return True
    dobj = _child(verb, "dobj")
    if dobj is not None and any(c.lower_ == "no" for c in dobj.children):
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_ in NEGATING_CONTROL:
        return not _is_negated(head)
    return verb.dep_ == "xcomp" and head.lemma_ in CONTROL and _is_negated(head)


def _denier(verb: Token) -> Token | None:
    """The denial verb a claim sits under: "denied supplying", "rejected claims that ..."."""
    node = verb
    while node.dep_ in _CLAUSE_DEPS | _DENIAL_PATH and node.head.i != node.i:
        node = node.head
        if node.lemma_ in DENIAL:
            return node
        if node.lemma_ in COMMUNICATION and node.pos_ == "VERB":
            return None
    return None


def _is_hedged(verb: Token) -> bool:
    words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "advmod")}
    if words & HEDGING_WORDS:
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_ in HEDGING_VERBS | CONTROL:
        return head.lemma_ in HEDGING_VERBS or _is_hedged(head)
    return False


def _quantity(verb: Token) -> str | None:
    """The first number or amount among the verb's own arguments, as written."""
    doc = verb.doc
    for child in verb.children:
        if child.dep_ in _CLAUSE_DEPS:
            continue
        for token in child.subtree:
            if token.ent_type_ in QUANTITY_LABELS and token.ent_iob_ == "B":
                return _quantity_text(doc, token)
    return None


def _quantity_text(doc: Doc, first: Token) -> str:
    end = first.i
    while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I":
        end += 1
    root = doc[end]
    if root.dep_ == "nummod" and root.head.i > end:
        end = root.head.i  # "50,000 personnel"
    per = next((c for c in doc[end].children if c.lower_ == "per"), None)
    if per is not None:
        end = max(t.i for t in per.subtree)  # "more than $100 million per month"
    return doc[first.i : end + 1].text


def _phrase(token: Token, skip: Token | None = None) -> str:
    """The noun phrase of `token` with its conjuncts, without relative clauses or quotes."""
    tokens = [t for t in token.subtree if not _in_clause(t, token) and not t.is_quote]
    if skip is not None:
        tokens = [t for t in tokens if t.i != skip.i]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return token.text
    text = "".join(t.text_with_ws for t in tokens[:-1]) + tokens[-1].text
    return text.strip(" ,")


def _in_clause(token: Token, root: Token) -> bool:
    node = token
    while node.i != root.i:
        if node.dep_ in ("relcl", "acl", "appos", "advcl", "prep") and node.head.i == root.i:
            return node.dep_ != "prep" or node.lower_ not in ("of",)
        node = node.head
    return False


def _child(token: Token, dep: str) -> Token | None:
    return next((c for c in token.children if c.dep_ == dep), None)


def _stripped(sent: Span) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return start, sent.start_char + len(text.rstrip())
