"""Claims from a parsed doc: who did what to whom, negation, hedging, quantity and speaker.

Every content verb whose subject or object is a tracked actor yields a claim (the subject is
null when the agent is untracked or absent); one claim per tracked conjunct. Verbs of saying,
attitude and naming are attribution, not claims; control verbs ("continue to", "is planning
to") hand their subject to the verb they govern, which carries the claim; light verbs take
the event noun ("launched an attack on" is attack). Passive voice, reduced relatives and
"X-backed" swap roles ("Wagner is owned by Prigozhin": Prigozhin owns Wagner). For verbs of
giving the object is the recipient ("delivered rockets to Wagner": object Wagner, theme
"rockets"). Denials and refusals ("North Korea denied supplying arms", "ruled out talks
with") give the content verb negated, spoken by the denier; a denial of "the accusation"
repeats the earlier claim it points at. Complements of object-control verbs, purposes and
conditions are no claims.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from spacy.attrs import DEP, HEAD, POS
from spacy.symbols import VERB as _VERB
from spacy.tokens import Doc, Span, Token

from pipeline.extract.actors import MOTION
from pipeline.extract.coref import _RELATIVE, Resolved, Resolver
from pipeline.extract.quotes import (
    COGNITION,
    COMMUNICATION,
    DENIAL,
    SENTENCE_INDEX,
    Attribution,
)
from pipeline.models import ActorRef, Claim

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
        "extradite",
        "leak",
        "carry",
        "sell",
        "loan",
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
# Adjectives that hand over to their complement like a control verb ("is ready to help",
# "stood prepared to talk", "is set to deliver"); the unwilling ones negate it.
CONTROL_ADJECTIVES = frozenset(
    [
        "ready", "prepared", "willing", "set", "due", "able", "poised", "determined", "eager",
        "keen", "likely", "unable", "unwilling", "reluctant", "free", "about",
    ]
)  # fmt: skip
NEGATING_ADJECTIVES = frozenset({"unable", "unwilling", "reluctant"})
HEDGING_ADJECTIVES = frozenset(
    {"ready", "prepared", "willing", "poised", "likely", "eager", "keen"}
)
# "barred Ukraine from selling": what the object is kept from doing is no claim.
PREVENTING = frozenset(
    [
        "bar", "ban", "prevent", "stop", "block", "keep", "prohibit", "forbid", "discourage",
        "deter", "exclude", "restrict", "dissuade",
    ]
)  # fmt: skip
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
# "completed an arms delivery to Wagner", "imposed sanctions on", "held talks with": the event
# noun carries the predicate ("imposed conditions on" keeps impose: the noun is no event).
LIGHT_VERBS = frozenset(
    [
        "complete", "make", "carry", "conduct", "finalize", "finalise", "launch", "finish",
        "begin", "impose", "hold", "file", "stage", "mount", "wage", "open", "resume",
        "announce", "order", "vow", "pledge", "promise", "threaten", "reach", "take", "put",
        "exert", "apply", "step",
    ]
)  # fmt: skip
# Verbs that only carry an event noun ("carried out strikes on", "lodged a protest with",
# "issued a warning to"): any deverbal noun gives the predicate when the event has a target.
PURE_LIGHT_VERBS = frozenset(
    [
        "carry", "conduct", "launch", "stage", "mount", "wage", "make", "lodge", "issue",
        "undertake", "perform", "unleash", "hold", "file",
    ]
)  # fmt: skip
# Base forms of English verbs, from the model's own lemmatizer tables (set by build_nlp):
# a noun is deverbal when a suffix rule or zero derivation gives one of them.
VERB_INDEX: set[str] = set()
_DEVERBAL_SUFFIXES = (
    ("ation", "ate"), ("ation", "e"), ("ation", ""), ("ion", ""), ("ion", "e"), ("ment", ""),
    ("ing", ""), ("ing", "e"), ("al", ""), ("al", "e"),
)  # fmt: skip
_EVENT_PREPS = frozenset({"on", "against", "with", "to", "of", "into", "toward", "towards"})
NOMINALIZATIONS = {
    "delivery": "deliver",
    "shipment": "ship",
    "transfer": "transfer",
    "sale": "sell",
    "supply": "supply",
    "attack": "attack",
    "strike": "strike",
    "raid": "raid",
    "assault": "attack",
    "payment": "pay",
    "donation": "donate",
    "sanction": "sanction",
    "talk": "talk",
    "negotiation": "negotiate",
    "lawsuit": "sue",
    "suit": "sue",
    "killing": "kill",
    "bombing": "bomb",
    "invasion": "invade",
    "investigation": "investigate",
    "probe": "investigate",
    "inspection": "inspect",
    "response": "respond",
    "retaliation": "retaliate",
    "withdrawal": "withdraw",
    "blockade": "blockade",
    "ban": "ban",
    "decision": "decide",
    "pressure": "pressure",
}
# Verbs whose content is the claim, never claims themselves: attribution, attitude, naming.
NOT_CONTENT = frozenset(
    [
        "say", "tell", "announce", "state", "claim", "report", "estimate", "confirm",
        "write", "note", "quote", "deny", "refute", "regard", "consider", "call", "describe",
        "comment", "decline", "insist", "reiterate", "believe", "think", "assess",
        "know", "expect", "suggest", "argue", "explain", "stress", "acknowledge", "allege",
        "accuse", "suspect", "rule", "view", "see", "dub", "term", "accord", "want", "need",
        "prefer", "hope", "wish", "fear", "face", "concern", "worry", "alarm",
    ]
)  # fmt: skip
# Nouns a denial points back with ("rejected the accusation", "a charge Tehran denies").
ACCUSATIONS = frozenset(
    [
        "accusation", "charge", "claim", "allegation", "report", "assertion", "suggestion",
        "involvement", "account",
    ]
)  # fmt: skip
_INQUIRIES = frozenset({"request", "question", "inquiry", "query", "call", "email", "message"})
# Subordinators of conditions and hypotheticals ("if it tried to rebuild"): no claim.
CONDITIONS = frozenset({"if", "unless", "until", "whether", "lest"})
# Nouns whose relative or infinitive clause is hypothetical ("any deal that leaves Hamas").
HYPOTHETICAL_HEADS = frozenset({"deal", "plan", "proposal", "scenario", "condition", "demand"})
# Verbs that give their object a role: "designated Wagner a criminal organization".
NAMING = frozenset(
    ["designate", "name", "label", "declare", "list", "brand", "appoint", "elect", "dub"]
)
# Control verbs that deny what they govern: "fails to condemn", "refused to pay".
NEGATING_CONTROL = frozenset({"fail", "refuse", "decline", "stop", "cease"})
# "committed to buying": the gerund after 'to' carries the claim.
GERUND_CONTROL = frozenset({"commit", "move", "resort", "turn"})
# Verbs of saying that are attribution even with nothing under them ("Kirby said Thursday.").
BARE_SAYING = frozenset({"say", "tell", "continue", "state", "write", "note", "add"})
# "accused North Korea of hacking": the accused is the subject of the gerund.
ACCUSING = frozenset({"accuse", "suspect", "blame", "charge", "convict"})
REFLEXIVES = frozenset({"itself", "himself", "herself", "themselves"})
SKIPPED = frozenset(
    {
        "be",
        "become",
        "remain",
        "seem",
        "appear",
        "go",
        "do",
        "stay",
        "look",
        "base",
        "grow",
        "headquarter",
    }
)
NEGATORS = frozenset({"not", "n't", "never", "no"})
# Object nouns that are no events yet take their verb's target ("imposed restrictions on",
# "lifted curbs on", "placed a ban on").
NOUN_TARGETS = frozenset(
    {"restriction", "curb", "tariff", "duty", "embargo", "limit", "measure", "condition"}
)
RECIPIENT_PREPS = ("to", "for", "into")
OBJECT_PREPS = frozenset({"to", "against", "on", "with", "from", "into", "toward", "towards"})
_PLACE_PREPS = frozenset({"to", "from", "into", "toward", "towards", "across"})
QUANTITY_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})
TITLE_END = "newsmon_title_end"
"""`Doc.user_data` key: the character offset where the body starts (0: no title)."""
_DENIAL_PATH = frozenset({"pcomp", "pobj", "prep", "dobj", "amod"})
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl", "csubj"})


def extract_claims(doc: Doc, resolver: Resolver, attribution: Attribution) -> list[Claim]:
    """All claims of `doc` in text order: at least one of subject and object is tracked."""
    claims: list[Claim] = []
    pos = doc.to_array([POS]).tolist()
    verbs = [doc[i] for i, p in enumerate(pos) if p == _VERB]
    for verb in _content_verbs(verbs):
        claims.extend(_claims_of(verb, resolver, attribution))
    for verb in _denials_of_earlier(doc, verbs):
        claims.extend(_denied(verb, claims, resolver, attribution))
    claims.sort(key=lambda c: c.start)
    return claims


def _content_verbs(verbs: list[Token]) -> Iterator[Token]:
    for token in verbs:
        if token.dep_ in ("aux", "auxpass"):
            continue
        if token.dep_ == "amod" and "-" in token.text and _FUSED.match(token.text):
            yield token  # "U.S.-backed": the tagger's adjective is a participle
            continue
        if token.dep_ == "amod" and _gerund_denial(token) is None and not _is_participle(token):
            continue
        if _light_noun(token) is None and _is_not_content(token):
            continue
        if _is_control(token) or _is_controlled_complement(token) or _is_irrealis(token):
            continue
        yield token


def _is_not_content(verb: Token) -> bool:
    lemma = verb.lemma_
    if lemma in SKIPPED or lemma in NOT_CONTENT or _is_attribution(verb):
        return True
    if lemma == "respond":  # "did not respond to a request for comment": no claim at all
        to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        pobj = _child(to, "pobj") if to is not None else None
        return _is_negated(verb) or (pobj is not None and pobj.lemma_.lower() in _INQUIRIES)
    if lemma in DENIAL:
        dobj = _child(verb, "dobj")
        return dobj is None or dobj.lemma_.lower() in ACCUSATIONS or dobj.lower_ in _RELATIVE
    return False


def _is_participle(verb: Token) -> bool:
    """'the Iran-backed Houthis', 'drones launched by the RSF' (a modifier with its agent)."""
    return verb.tag_ == "VBN" and (_hyphen_agent(verb) is not None or _agent(verb) is not None)


def _is_controlled_complement(verb: Token) -> bool:
    """'urged Beijing to refrain', 'allowing PDVSA to export', 'help Haiti restore order': the
    complement of an object-control verb is no claim; the matrix verb is. So is a complement
    coordinated with one ("urged all parties to protect civilians and to open talks")."""
    head = verb.head
    if verb.dep_ == "conj" and head.i != verb.i and head.pos_ == "VERB":
        to_inf = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
        if (to_inf or verb.tag_ == "VB") and _is_controlled_complement(head):
            return True
    if verb.dep_ == "pcomp" and head.lower_ == "from" and head.head.lemma_ in PREVENTING:
        return True  # "barred Ukraine from selling grain"
    if verb.dep_ not in ("xcomp", "ccomp") or head.i == verb.i or head.pos_ != "VERB":
        return False
    if verb.dep_ == "ccomp" and head.lemma_ in COMMUNICATION | COGNITION:
        return False
    if verb.dep_ == "xcomp" and _child(head, "dobj") is not None:
        return True
    to_inf = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    bare = verb.tag_ == "VB" and not any(c.dep_ == "aux" for c in verb.children)
    return (to_inf or bare) and _child(verb, "nsubj") is not None


def _is_irrealis(verb: Token) -> bool:
    """Purposes and conditions: 'to lead a mission', 'if it tried to rebuild'."""
    node = verb
    for _ in range(4):
        if node.dep_ == "advcl":
            marks = {c.lower_ for c in node.children if c.dep_ in ("mark", "advmod")}
            if marks & CONDITIONS:
                return True
            if any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children):
                return not any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
        if node.dep_ in ("relcl", "acl") and node.head.lemma_.lower() in HYPOTHETICAL_HEADS:
            return True
        if node.head.i == node.i or node.dep_ not in ("conj", "xcomp", "advcl", "relcl", "acl"):
            return False
        node = node.head
    return False


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
    if verb.lemma_ in CONTROL | NEGATING_CONTROL and _child(verb, "xcomp") is not None:
        return True
    if verb.lower_ in CONTROL_ADJECTIVES and _child(verb, "xcomp") is not None:
        return True  # "is set to deliver" parsed with 'set' as a verb
    for child in verb.children:  # "stood ready to help": the adjective's complement counts
        ready = child.dep_ in ("acomp", "oprd") and child.lower_ in CONTROL_ADJECTIVES
        if ready and _child(child, "xcomp") is not None:
            return True
    if verb.lemma_ in GERUND_CONTROL:
        to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        return to is not None and _child(to, "pcomp") is not None
    return False


def _clause_child(verb: Token) -> Token | None:
    clause_deps = ("ccomp", "xcomp", "pcomp", "parataxis", "advcl")
    return next((c for c in verb.children if c.dep_ in clause_deps), None) or next(
        (g for c in verb.children if c.dep_ == "prep" for g in c.children if g.pos_ == "VERB"),
        None,
    )


def _denials_of_earlier(doc: Doc, verbs: list[Token]) -> Iterator[Token]:
    """Denials that point back at an earlier claim: 'rejected the accusation', 'a charge
    Tehran denies', 'which Bamako denies', 'denied any involvement'."""
    for token in verbs:
        if token.lemma_ not in DENIAL:
            continue
        dobj = _child(token, "dobj")
        fronted = dobj is not None and dobj.i < token.i and dobj.lemma_.lower() in ACCUSATIONS
        if fronted or (_misparsed_denier(token) is not None and dobj is None):
            yield token  # "..., a charge Minsk denies" parsed as the main clause
            continue
        if _clause_child(token) is not None or _gerund_object(token) is not None:
            continue
        dobj = _child(token, "dobj")
        if dobj is not None and dobj.lemma_.lower() in ACCUSATIONS:
            if any(c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX") for c in dobj.children):
                continue  # "rejected claims that it sent advisers": the content is stated
            yield token
        elif dobj is None and token.dep_ == "relcl":
            yield token  # "a charge Tehran denies", "..., which Bamako denies"


def _misparsed_denier(verb: Token) -> Token | None:
    """'a charge Asmara denies' parsed with the charge as subject and Asmara beside it."""
    subject = _child(verb, "nsubj")
    if subject is None or subject.lemma_.lower() not in ACCUSATIONS:
        return None
    return next((c for c in subject.children if c.dep_ in ("appos", "compound")), None)


def _denied(
    verb: Token, claims: list[Claim], resolver: Resolver, attribution: Attribution
) -> Iterator[Claim]:
    """The latest earlier claim whose subject is the denier, negated and spoken by it."""
    misparsed = _misparsed_denier(verb)
    subject = misparsed or _child(verb, "nsubj")
    denier = resolver.resolve(subject) if subject is not None else None
    if denier is None or denier.ref.id is None:
        return
    sent = verb.sent
    own_sentence = verb.dep_ == "relcl" or misparsed is not None
    earlier = [
        c
        for c in claims
        if c.start <= sent.start_char + len(sent.text)
        and c.start <= verb.idx
        and c.subject.id == denier.ref.id
        and not c.negated
        # "..., a charge Tehran denies" answers a claim of its own sentence only.
        and (not own_sentence or c.start >= sent.start_char)
    ]
    if not earlier:
        return
    target = max(earlier, key=lambda c: c.start)
    start, end = _stripped(sent)
    yield dataclasses.replace(
        target,
        negated=True,
        speaker=denier.ref,
        sentence=sent.text[start - sent.start_char : end - sent.start_char],
        start=start,
        end=end,
        quantity=None,
    )


def _claims_of(verb: Token, resolver: Resolver, attribution: Attribution) -> Iterator[Claim]:
    roles = _roles(verb, resolver)
    if roles is None:
        return
    subjects, objects, theme, predicate = roles
    speaker = attribution.speaker(verb)
    negated = _is_negated(verb)
    denier = verb if is_refusal(verb) else _denier(verb)
    if denier is not None and not _is_negated(denier):
        negated = not negated  # "has not ruled out using force" asserts the use
    if is_refusal(verb) and subjects[0] is not None:
        speaker = subjects[0]  # a refusal statement is spoken by its maker
    if speaker is None and _is_tracked(subjects[0]) and _is_commitment(verb):
        speaker = subjects[0]  # "Burhan vows to retake Darfur": a vow is its maker's word
    if _is_attributive(verb):
        speaker = None  # "the Iran-backed Houthis": the writer's description, not the quote's
    for subject in subjects:
        own = subject.ref.id if subject is not None else None
        for obj in objects:
            if obj is not None and own is not None and obj.ref.id == own:
                obj = None
            if not _is_tracked(subject) and not _is_tracked(obj):
                continue
            yield _claim(verb, subject, predicate, obj, theme, speaker, negated)


# Statements whose maker is their source: vows, pledges, threats, claims of responsibility.
COMMITMENTS = frozenset({"vow", "pledge", "promise", "threaten", "swear"})


def _is_commitment(verb: Token) -> bool:
    if verb.lemma_ in COMMITMENTS:
        return True
    if verb.lemma_ == "claim" and any(c.lower_ == "responsibility" for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_ in COMMITMENTS


def _is_attributive(verb: Token) -> bool:
    """A participle compound before its noun ("Iran-backed", "U.S.-backed")."""
    if verb.dep_ not in ("amod", "compound") or verb.i > verb.head.i:
        return False
    return "-" in verb.text or _hyphen_agent(verb) is not None


def _is_tracked(resolved: Resolved | None) -> bool:
    return resolved is not None and resolved.ref.id is not None


def _claim(
    verb: Token,
    subject: Resolved | None,
    predicate: str,
    obj: Resolved | None,
    theme: str | None,
    speaker: Resolved | None,
    negated: bool,
) -> Claim:
    start, end, sentence = _sentence(verb)
    confidence = 0.9 - 0.2 * bool(subject and subject.via_coref) - 0.1 * bool(obj and obj.via_coref)
    return Claim(
        subject=subject.ref if subject is not None else ActorRef(None, ""),
        predicate=predicate,
        object=obj.ref if obj else None,
        theme=theme,
        speaker=speaker.ref if speaker else None,
        negated=negated,
        hedged=_is_hedged(verb),
        quantity=_quantity(verb),
        sentence=sentence,
        start=start,
        end=end,
        confidence=round(confidence - 0.1 * bool(speaker and speaker.via_coref), 2),
    )


Found = list[Resolved | None]
NOTHING: Found = [None]
Roles = tuple[Found, Found, str | None, str]


def _conjuncts(
    token: Token | None, resolver: Resolver, exclude: frozenset[str] = frozenset()
) -> Found:
    """The actors `token` and its conjuncts name, tracked ones only when there are any;
    [None] when nothing resolves."""
    if token is None:
        return [None]
    group: Found = list(resolver.coordinated(token, exclude))
    if group:
        return group
    found: Found = []
    for t in (token, *token.conjuncts):
        if t.i < token.i:
            continue
        r = resolver.resolve(t, exclude)
        if r is not None and all(f is None or f.ref != r.ref for f in found):
            found.append(r)
    tracked: Found = [r for r in found if _is_tracked(r)]
    return tracked or found[:1] or list(NOTHING)


def _roles(verb: Token, resolver: Resolver) -> Roles | None:
    """(subjects, objects, theme, predicate); a null subject is an untracked or absent agent."""
    predicate = verb.lemma_.lower()
    noun = _light_noun(verb)
    if noun is not None:
        predicate = deverbal(noun) or verb.lemma_.lower()
    hyphen = _hyphen_agent(verb)
    if hyphen is not None:  # "the Iran-backed Houthis"
        return [resolver.resolve(hyphen)], _conjuncts(verb.head, resolver), None, predicate
    fused = _fused_agent(verb, resolver)
    if fused is not None:  # "U.S.-backed" kept as one token
        agent, predicate = fused
        return [agent], _conjuncts(verb.head, resolver), None, predicate
    passive = _child(verb, "nsubjpass") or _reduced_passive(verb) or _passive_head(verb)
    if passive is not None:
        subjects = _conjuncts(_agent(verb), resolver)
        recipients = _recipients(verb, resolver) if verb.lemma_ in GIVING else []
        theme = _phrase(passive) if recipients else None
        return subjects, recipients or _conjuncts(passive, resolver), theme, predicate
    token = _subject_token(verb)
    several = [c for c in verb.children if c.dep_ == "nsubj"]
    if token is not None and len(several) > 1:
        # A misparse with several subjects ("Army chief Abdel Fattah al-Burhan" split up):
        # the name is the subject, not its title.
        token = next((c for c in several if resolver.ent_at.get(c.i) is not None), token)
    subjects = _conjuncts(token, resolver)
    if subjects == NOTHING and token is not None and token.head.i == verb.i:
        # A misparse with several subjects ("Army chief Abdel Fattah al-Burhan" split up).
        others = [c for c in verb.children if c.dep_ == "nsubj" and c.i != token.i]
        subjects = next((f for c in others if (f := _conjuncts(c, resolver)) != NOTHING), subjects)
    first = subjects[0]
    exclude = frozenset({first.ref.id or first.ref.text}) if first is not None else frozenset()
    if noun is not None:
        objects = _recipients(noun, resolver, exclude) or _recipients(verb, resolver, exclude)
        objects = objects or _prep_objects(noun, resolver, exclude)
        objects = objects or _prep_objects(verb, resolver, exclude)
        if not objects and _dative(verb, resolver, exclude) != NOTHING:
            objects = _dative(verb, resolver, exclude)  # "issued a warning to the CJNG"
        theme = " ".join(c.text for c in noun.children if c.dep_ == "compound") or None
        return subjects, objects or [None], theme, predicate
    if _is_reflexive(verb):
        return subjects, subjects, None, predicate
    denial = _gerund_denial(verb)
    if denial is not None:
        obj = _recipient(denial, resolver, exclude) or _recipient(verb.head, resolver, exclude)
        return subjects, [obj], _phrase(verb.head, skip=verb), predicate
    objects, theme = _objects(verb, resolver, exclude)
    bare = objects == [None] and theme is None
    if (
        bare
        and first is not None
        and first.via_coref
        and token is not None
        and token.pos_ == "PRON"
    ):
        return None  # "as long as it takes": a bare pronoun clause says nothing checkable
    return subjects, objects, theme, predicate


def _hyphen_agent(verb: Token) -> Token | None:
    """'Iran-backed': the agent written before the hyphen of a participle modifier."""
    if verb.tag_ != "VBN" or verb.dep_ != "amod" or verb.i < 2:
        return None
    doc = verb.doc
    if doc[verb.i - 1].text not in ("-", "‐") or doc[verb.i - 1].whitespace_:
        return None
    return doc[verb.i - 2]


_FUSED = re.compile(r"^(?P<agent>\S+)-(?P<verb>[a-z]+ed|led|run|made)$")
_IRREGULAR_PARTICIPLES = {"led": "lead", "run": "run", "made": "make", "funded": "fund"}


def _fused_agent(verb: Token, resolver: Resolver) -> tuple[Resolved, str] | None:
    """'U.S.-backed' as one token: the agent an alias before the hyphen, the verb after it."""
    if verb.dep_ != "amod" or "-" not in verb.text:
        return None
    match = _FUSED.match(verb.text)
    if match is None:
        return None
    agent = resolver.by_alias(match["agent"])
    if agent is None:
        return None
    return agent, _participle_lemma(match["verb"])


def _participle_lemma(word: str) -> str:
    if word in _IRREGULAR_PARTICIPLES:
        return _IRREGULAR_PARTICIPLES[word]
    base = word[:-2] if word.endswith("ed") else word
    if word.endswith("ied"):
        return word[:-3] + "y"
    if len(base) > 3 and base[-1] == base[-2] and base[-1] in "lpt":
        return base[:-1]  # "controlled", "equipped"
    if base.endswith(("at", "iz", "is", "rv", "uc", "ag", "us")) or base.endswith("v"):
        return base + "e"  # "operated", "organized", "served", "produced", "engaged"
    return base


def _passive_head(verb: Token) -> Token | None:
    """'drones launched by the RSF', 'weapons supplied to Pakistan by China': a participle
    modifying the noun it has as patient."""
    # The tagger reads some reduced relatives as past tense ("drones delivered to Islamabad by
    # Baykar", VBD); a by-agent shows the passive.
    tagged = verb.tag_ == "VBN" or (verb.tag_ == "VBD" and _child(verb, "agent") is not None)
    if not tagged or verb.dep_ not in ("acl", "relcl", "amod") or verb.head.i == verb.i:
        return None
    if any(c.dep_ in ("nsubj", "aux", "mark") for c in verb.children):
        return None  # "claims that Russia had paid": an active clause
    return verb.head


def _light_noun(verb: Token) -> Token | None:
    """The event noun a light verb carries: 'launched an attack on', 'sanctions that
    Washington imposed on', 'claimed responsibility for the killing of'."""
    if verb.lemma_ == "claim":
        dobj = _child(verb, "dobj")
        if dobj is not None and dobj.lower_ == "responsibility":
            for prep in (c for c in dobj.children if c.dep_ == "prep" and c.lower_ == "for"):
                pobj = _child(prep, "pobj")
                if pobj is not None and pobj.lemma_.lower() in NOMINALIZATIONS:
                    return pobj
        return None
    pure = verb.lemma_ in PURE_LIGHT_VERBS
    if verb.lemma_ not in LIGHT_VERBS and not pure and not is_refusal(verb):
        return None
    dobj = _child(verb, "dobj")
    if verb.dep_ == "relcl" and (dobj is None or dobj.lower_ in _RELATIVE):
        dobj = verb.head  # "sanctions that Washington imposed on ..."
    if dobj is None:
        return None
    if dobj.lemma_.lower() in NOMINALIZATIONS:
        return dobj
    if pure and deverbal(dobj) is not None and _has_target(verb, dobj):
        return dobj
    return None


def deverbal(noun: Token) -> str | None:
    """The verb an event noun derives from ('strikes' strike, 'warning' warn, 'interception'
    intercept, 'protest' protest), or None."""
    lemma = noun.lemma_.lower()
    if lemma in NOMINALIZATIONS:
        return NOMINALIZATIONS[lemma]
    if noun.pos_ != "NOUN" or not VERB_INDEX:
        return None
    for suffix, ending in _DEVERBAL_SUFFIXES:
        if lemma.endswith(suffix) and len(lemma) - len(suffix) >= 3:
            base = lemma[: -len(suffix)] + ending
            if base in VERB_INDEX:
                return base
    return lemma if lemma in VERB_INDEX else None


def _has_target(verb: Token, noun: Token) -> bool:
    """'carried out strikes on', 'lodged a protest with': the event is aimed at someone
    ('made a decision', 'held elections' keep the light verb)."""
    return any(
        c.dep_ in ("prep", "dative") and c.lower_ in _EVENT_PREPS
        for t in (verb, noun)
        for c in t.children
    )


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
    adjective = _control_adjective(verb)
    if adjective is not None:
        holder = adjective if adjective.pos_ in ("VERB", "AUX") else adjective.head
        if holder.pos_ in ("VERB", "AUX"):
            own = _child(holder, "nsubj") or _child(holder, "nsubjpass")
            return own or (_subject_token(holder) if holder.i != adjective.i else None)
    if verb.dep_ in ("xcomp", "conj", "pcomp") or (
        verb.dep_ == "ccomp" and verb.head.lemma_ in DENIAL
    ):
        head = verb.head if verb.dep_ != "pcomp" else verb.head.head
        if head.pos_ in ("VERB", "AUX"):
            return _child(head, "nsubj") or _subject_token(head)
    if verb.dep_ == "relcl" and verb.tag_ != "VBN":
        return verb.head
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "dobj", "xcomp"):
        head = verb.head  # "eased some restrictions, allowing PDVSA to export"
        if head.pos_ in ("VERB", "AUX") and head.i != verb.i:
            return _child(head, "nsubj") or _child(head, "nsubjpass") or _subject_token(head)
    return None


def _objects(verb: Token, resolver: Resolver, exclude: frozenset[str]) -> tuple[Found, str | None]:
    """The actors acted on (one per tracked conjunct) and the theme, [None] when none.

    Giving verbs take the recipient ("delivered rockets to Mali, Burkina Faso and Niger");
    others the direct object, then an object preposition ("imposed sanctions on Wagner").
    """
    dobj = _child(verb, "dobj")
    theme = _phrase(dobj) if dobj is not None else None
    moving = verb.lemma_ in MOTION and dobj is None
    recipients = [] if moving else _recipients(verb, resolver, exclude)
    recipients = recipients or _dative(verb, resolver, exclude)
    if not recipients and dobj is not None and verb.lemma_ in GIVING:
        recipients = _recipients(dobj, resolver, exclude)  # "arms to Wagner" parsed as one NP
    if verb.lemma_ in GIVING and recipients:
        return recipients, theme
    direct = _conjuncts(dobj, resolver, exclude) if dobj is not None else NOTHING
    if direct != NOTHING:
        return direct, _as_phrase(verb)
    controlled = _controlled_subject(verb) if dobj is None else None
    if controlled is not None:  # "will not allow Iran to obtain", "help Haiti restore order"
        found = _conjuncts(controlled, resolver, exclude)
        if found != NOTHING:
            return found, theme
    # "imposed sanctions on Wagner": an event object's target; "patrolled Armenia's frontiers
    # with Turkey": a thing's modifier, no object.
    event = dobj is not None and (deverbal(dobj) is not None or dobj.lemma_.lower() in NOUN_TARGETS)
    for prep in (c for h in (verb, dobj) if h is not None for c in h.children):
        if prep.head is dobj and not (event or _verb_level(verb, prep)):
            continue
        if prep.dep_ == "prep" and prep.lower_ in OBJECT_PREPS:
            if moving and prep.lower_ in _PLACE_PREPS:
                continue
            pobj = _child(prep, "pobj")
            found = _conjuncts(pobj, resolver, exclude) if pobj is not None else NOTHING
            if found != [None]:
                return found, theme
    fallback: Found = [_purpose_object(verb, resolver, exclude)]
    return recipients or fallback, theme


# Verbs whose partner or source the parser often hangs on the object ("agreed a price formula
# with Beijing", "ordered two corvettes from Turkey").
PARTNERING = frozenset(
    {"agree", "sign", "negotiate", "discuss", "talk", "share", "trade", "exchange", "coordinate"}
)
ACQUIRING = frozenset({"buy", "order", "import", "receive", "purchase", "obtain", "acquire"})


def _verb_level(verb: Token, prep: Token) -> bool:
    """A preposition under the object that belongs to the verb."""
    lemma = verb.lemma_
    return (prep.lower_ == "with" and lemma in PARTNERING) or (
        prep.lower_ == "from" and lemma in ACQUIRING
    )


def _controlled_subject(verb: Token) -> Token | None:
    """The object of an object-control verb parsed as its complement's subject."""
    for clause in verb.children:
        if clause.dep_ in ("ccomp", "xcomp") and clause.pos_ in ("VERB", "AUX"):
            to_inf = any(c.dep_ == "aux" and c.tag_ == "TO" for c in clause.children)
            bare = clause.tag_ == "VB" and not any(c.dep_ == "aux" for c in clause.children)
            if to_inf or bare:
                return _child(clause, "nsubj")
    return None


def _recipients(verb: Token, resolver: Resolver, exclude: frozenset[str] = frozenset()) -> Found:
    """'to Mali, Burkina Faso and Niger', 'for Wagner', 'for use by Wagner', 'into Russia'."""
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS]
    preps.sort(key=lambda p: RECIPIENT_PREPS.index(p.lower_))
    for prep in preps:
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            by = next((g for c in pobj.children if c.lower_ == "by" for g in c.children), None)
            if prep.lower_ == "to":
                by = None  # "supplied to the group by Iran": Iran is the agent (see _agent)
            found = _conjuncts(by, resolver, exclude) if by is not None else NOTHING
            if found == [None]:
                found = _conjuncts(pobj, resolver, exclude)
            if found != [None]:
                return found
    return []


def _prep_objects(head: Token, resolver: Resolver, exclude: frozenset[str]) -> Found:
    """'talks with Russia, China and Iran', 'lawsuits against the Commission'."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in OBJECT_PREPS:
            pobj = _child(prep, "pobj")
            found = _conjuncts(pobj, resolver, exclude) if pobj is not None else NOTHING
            if found != NOTHING:
                return found
    return []


def _recipient(verb: Token, resolver: Resolver, exclude: frozenset[str]) -> Resolved | None:
    found = _recipients(verb, resolver, exclude)
    return found[0] if found else None


def _dative(verb: Token, resolver: Resolver, exclude: frozenset[str]) -> Found:
    dative = _child(verb, "dative")
    if dative is not None and dative.pos_ == "ADP":
        dative = _child(dative, "pobj")  # "delivering arms to Wagner" with 'to' as dative
    found = _conjuncts(dative, resolver, exclude) if dative is not None else NOTHING
    return [] if found == [None] else found


def _purpose_object(verb: Token, resolver: Resolver, exclude: frozenset[str]) -> Resolved | None:
    """'spending $100 million to fund Wagner's efforts': the purpose clause's object."""
    controls = _child(verb, "dobj") is not None  # "lobbying members to censure Iran"
    for clause in verb.children:
        if clause.dep_ == "xcomp" and controls:
            continue
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
    if agent is None:
        # "supplied to the group by Iran": the parser hangs the by-agent on the recipient.
        to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        pobj = _child(to, "pobj") if to is not None else None
        if pobj is not None:
            agent = next((c for c in pobj.children if c.lower_ == "by"), None)
    return _child(agent, "pobj") if agent is not None else None


def _control_adjective(verb: Token) -> Token | None:
    """'ready' of "is ready to help": the adjective whose complement `verb` is."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.i == verb.i or head.lower_ not in CONTROL_ADJECTIVES:
        return None
    return head if head.dep_ in ("acomp", "oprd", "xcomp", "advcl", "ROOT") else None


def _is_negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in NEGATORS for c in verb.children):
        return True
    adjective = _control_adjective(verb)
    if adjective is not None:
        negated = adjective.head.i != adjective.i and _is_negated(adjective.head)
        return negated != (adjective.lower_ in NEGATING_ADJECTIVES)
    dobj = _child(verb, "dobj")
    if dobj is not None and any(c.lower_ == "no" for c in dobj.children):
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_ in NEGATING_CONTROL:
        return not _is_negated(head)
    return verb.dep_ == "xcomp" and head.lemma_ in CONTROL and _is_negated(head)


def is_refusal(verb: Token) -> bool:
    """'ruled out negotiations', 'ruled out allowing U.S. troops'."""
    return verb.lemma_ == "rule" and any(
        c.dep_ == "prt" and c.lower_ == "out" for c in verb.children
    )


def _denier(verb: Token) -> Token | None:
    """The denial verb a claim sits under: "denied supplying", "rejected claims that ...",
    "ruled out allowing"."""
    node = verb
    # A time clause ("a day after Washington imposed ...") is outside the denial's scope.
    while node.dep_ in (_CLAUSE_DEPS - {"advcl"}) | _DENIAL_PATH and node.head.i != node.i:
        node = node.head
        if node.lemma_ in DENIAL or is_refusal(node):
            return node
        if node.lemma_ in COMMUNICATION and node.pos_ == "VERB":
            return None
    return None


def _is_hedged(verb: Token) -> bool:
    words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "advmod")}
    if words & HEDGING_WORDS:
        return True
    adjective = _control_adjective(verb)
    if adjective is not None:
        return adjective.lower_ in HEDGING_ADJECTIVES or _is_hedged(adjective.head)
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
    """The first child of `token` with relation `dep` (read once per doc from its arrays:
    spaCy builds new Token objects for `Token.children` on every access)."""
    doc = token.doc
    firsts = doc.user_data.get(_DEPS)
    if firsts is None:
        firsts = doc.user_data[_DEPS] = _first_children(doc)
    i = firsts[token.i].get(dep)
    return doc[i] if i is not None else None


_DEPS = "newsmon_first_child_by_dep"


def _first_children(doc: Doc) -> list[dict[str, int]]:
    """Per token, the index of its first child of each relation."""
    array = doc.to_array([HEAD, DEP])
    offsets = array[:, 0].astype("int64").tolist()  # HEAD is stored as a wrapped uint64
    strings = doc.vocab.strings
    firsts: list[dict[str, int]] = [{} for _ in range(len(doc))]
    for i, (offset, dep) in enumerate(zip(offsets, array[:, 1].tolist(), strict=True)):
        if offset:
            firsts[i + offset].setdefault(strings[dep], i)
    return firsts


def _sentence(token: Token) -> tuple[int, int, str]:
    """(start, end, text) of the token's sentence without surrounding space, once per sentence
    (the attribution records where sentences are; `Token.sent` walks the doc each time)."""
    doc = token.doc
    cache: dict[int, tuple[int, int, str]] = doc.user_data.setdefault(_SENTENCES, {})
    sent_of, bounds = doc.user_data[SENTENCE_INDEX]
    index = sent_of[token.i]
    found = cache.get(index)
    if found is None:
        sent = doc[bounds[index][0] : bounds[index][1]]
        s, e = _stripped(sent)
        found = cache[index] = (s, e, sent.text[s - sent.start_char : e - sent.start_char])
    return found


_SENTENCES = "newsmon_sentences"


def _stripped(sent: Span) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return start, sent.start_char + len(text.rstrip())
