"""The baseline claim extractor: textacy's SVO triples and direct quotations, same linking.

Each `subject_verb_object_triples` triple is a claim: subject and object are the tracked actors
(the linker's `kb_id_`) under their tokens, the predicate the lemma of the last verb token,
negated when the verb group holds a negator; the speaker comes from the
`direct_quotations` triple whose quotation contains the verb.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token
from textacy.extract import direct_quotations, subject_verb_object_triples

from pipeline.eval.scoring import NEGATORS, PredictedClaim


def _actor(tokens: Sequence[Token]) -> str | None:
    return next((t.ent_kb_id_ for t in tokens if t.ent_kb_id_), None)


def baseline_claims(doc: Doc) -> list[PredictedClaim]:
    """Claims of `doc` as textacy sees them."""
    quotes = [(q.content.start, q.content.end, _actor(q.speaker)) for q in direct_quotations(doc)]
    claims = []
    for triple in subject_verb_object_triples(doc):
        verb = triple.verb[-1]
        speaker = next((s for start, end, s in quotes if start <= verb.i < end), None)
        claims.append(
            PredictedClaim(
                subject=_actor(triple.subject),
                predicate=verb.lemma_.lower(),
                object=_actor(triple.object),
                speaker=speaker,
                negated=any(t.lower_ in NEGATORS for t in triple.verb),
            )
        )
    return claims
