"""Links denials to the claims they contradict: a pure function over two `Claim` values."""

from __future__ import annotations

from pipeline.models import ActorRef, Claim

DENY_VERBS = frozenset({"deny", "reject", "dismiss", "refute", "dispute"})
# Verbs that state the same transfer, so "denied delivering" contradicts "is supplying".
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"supply", "deliver", "provide", "send", "ship", "sell", "give", "transfer"}),
    frozenset({"attack", "strike", "bomb", "shell"}),
    frozenset({"fund", "finance", "pay", "bankroll"}),
    frozenset({"support", "back", "help", "aid", "assist"}),
)


def _key(ref: ActorRef | None) -> str | None:
    if ref is None:
        return None
    return ref.id or ref.text.casefold()


def same_predicate(a: str, b: str) -> bool:
    """Equal lemmas, or lemmas of one synonym group."""
    return a == b or any(a in group and b in group for group in SYNONYMS)


def contradicts(a: Claim, b: Claim) -> bool:
    """True when one claim denies the other.

    Either the same subject, predicate (or synonym) and object with opposite negation, or one
    is a deny-verb claim by the subject of the other about its object ("North Korea denies the
    reports" against "North Korea supplies Wagner" when the denial's object names nothing else).
    """
    if _key(a.subject) != _key(b.subject):
        return False
    if same_predicate(a.predicate, b.predicate):
        return _key(a.object) == _key(b.object) and a.negated != b.negated
    for denial, other in ((a, b), (b, a)):
        if denial.predicate in DENY_VERBS and not denial.negated and not other.negated:
            target = _key(denial.object)
            if target is None or target == _key(other.object):
                return other.predicate not in DENY_VERBS
    return False


# A claim a contradicting claim must match: (predicates, predicate in them?, negated).
Term = tuple[frozenset[str], bool, bool]


def contradiction_terms(predicate: str, negated: bool) -> list[Term]:
    """What any claim contradicting (`predicate`, `negated`) looks like, as query terms.

    Lets a store fetch only the candidates `contradicts` could accept (same subject and
    object given): the same predicate group with the opposite negation, a denial of an
    affirmed claim, or an affirmed claim under a denial.
    """
    group = next((g for g in SYNONYMS if predicate in g), frozenset({predicate}))
    terms: list[Term] = [(group, True, not negated)]
    if not negated and predicate not in DENY_VERBS:
        terms.append((DENY_VERBS, True, False))
    if not negated and predicate in DENY_VERBS:
        terms.append((DENY_VERBS, False, False))
    return terms
