"""Extraction stage: tracked actors and claims from article text (spaCy stays inside this package).

Usage::

    extractor = Extractor(load_actors(Path("config/entities.yaml")))  # once per process
    extraction = extractor.extract_article(title, text)   # offsets into `text`
    for extraction in extractor.extract_articles(pairs): ...  # nlp.pipe, same results
    extraction = extractor.extract(text)                   # a bare text, offsets into it

The title is parsed with the body (one `nlp.pipe` document, a paragraph break between them) but
handled apart: a claim the headline states and the body restates is dropped, a claim stated
only in the headline is kept with `from_title` set and offsets into the title, and every other
offset (claims, mentions) points into `text`. A dateline ("VIENNA — ") is blanked before
parsing, so it is neither a mention nor the lead sentence's subject.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Doc

from pipeline.extract.actors import DATELINE_STATE
from pipeline.extract.claims import TITLE_END, extract_claims
from pipeline.extract.coref import Resolver, demonyms_of
from pipeline.extract.denials import contradicts
from pipeline.extract.entities import collect_entities
from pipeline.extract.nlp import build_nlp
from pipeline.extract.quotes import Attribution
from pipeline.models import Actor, ActorRef, Claim, Entity, Extraction, Mention
from pipeline.settings import SPACY_MODEL

CODE_VERSION = "4"
# "VIENNA — ", "EL FASHER, Sudan — ", "PORT-AU-PRINCE (Reuters) - ": a place in capitals, a dash.
DATELINE = re.compile(
    r"\A\s*[A-Z][A-Z.'’ -]*[A-Z.](?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)?"
    r"(?:\s*\([^)]{1,40}\))?\s*(?:—|–|--|\s-)\s*"
)
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
        model: str = SPACY_MODEL,
        batch_size: int = 16,
        batch_chars: int = 0,
    ) -> None:
        self.actors = {a.id: a for a in actors}
        self.batch_size = batch_size
        self.batch_chars = batch_chars
        self.nlp = build_nlp(actors, model)
        self.demonyms = demonyms_of(self.actors)
        self._capitals: dict[str, str] | None = None
        meta = self.nlp.meta
        self.version = (
            f"{meta.get('lang', 'xx')}_{meta.get('name', model)}-{meta.get('version', '0')}"
            f"+reg.{registry_hash(actors)}+code.{CODE_VERSION}"
        )
        self.extract(WARM_UP)

    def extract(self, text: str) -> Extraction:
        """Entities and claims of one bare text (no title), offsets into `text`."""
        return self.extract_article("", text)

    def extract_many(self, texts: Iterable[str]) -> Iterator[Extraction]:
        """`extract` over many bare texts, batched through `nlp.pipe`, in input order."""
        return self.extract_articles(("", t) for t in texts)

    def extract_article(self, title: str, text: str) -> Extraction:
        """Entities and claims of one article; offsets into `text` (headline claims: title)."""
        return next(self.extract_articles([(title, text)]))

    def extract_articles(self, articles: Iterable[tuple[str, str]]) -> Iterator[Extraction]:
        """(title, text) pairs through `nlp.pipe` in batches; results in input order."""
        layouts: list[Layout] = []

        def documents() -> Iterator[str]:
            for title, text in articles:
                layout = Layout.of(title, text)
                layouts.append(layout)
                yield layout.document

        # A batch also ends before its text passes `batch_chars` characters (when set):
        # spaCy's peak memory follows the text of a batch, not its number of documents.
        for batch in _batches(documents(), self.batch_size, self.batch_chars):
            for doc in self.nlp.pipe(batch, batch_size=len(batch)):
                yield self._from_doc(doc, layouts.pop(0))

    def _named(self, claim: Claim) -> Claim:
        """Each tracked role carries its registry name beside the words the text used."""

        def named(ref: ActorRef | None) -> ActorRef | None:
            actor = self.actors.get(ref.id) if ref is not None and ref.id else None
            return (
                ref if actor is None or ref is None else dataclasses.replace(ref, name=actor.name)
            )

        subject = named(claim.subject)
        assert subject is not None
        return dataclasses.replace(
            claim, subject=subject, object=named(claim.object), speaker=named(claim.speaker)
        )

    def _dateline_state(self, text: str) -> str | None:
        """The tracked state a dateline's city names ("BEIJING —" is China): the government
        an unnamed office of the story speaks for."""
        match = DATELINE.match(text)
        if match is None:
            return None
        city = re.split(r"[,(—–]|--|\s-", match.group())[0].strip().title()
        if self._capitals is None:
            self._capitals = {
                form: a.id
                for a in self.actors.values()
                if a.type == "GPE"
                for form in (a.name, *a.aliases)
            }
        return self._capitals.get(city)

    def _from_doc(self, doc: Doc, layout: Layout) -> Extraction:
        # Set before anything resolves: quotations find their speakers as they are built.
        doc.user_data[TITLE_END] = layout.offset
        doc.user_data[DATELINE_STATE] = self._dateline_state(layout.text)
        resolver = Resolver(doc, self.actors, self.demonyms)
        attribution = Attribution(doc, resolver)
        resolver.first_person = attribution.first_person
        return Extraction(
            entities=tuple(layout.entities(collect_entities(doc, self.actors))),
            claims=tuple(
                self._named(c) for c in layout.claims(extract_claims(doc, resolver, attribution))
            ),
            version=self.version,
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Layout:
    """Where title and text sit in the parsed document, and how to map offsets back."""

    title: str
    text: str
    document: str
    offset: int
    """Where `text` starts in `document` (0 without a title)."""

    @classmethod
    def of(cls, title: str, text: str) -> Layout:
        title = title.strip()
        match = DATELINE.match(text)
        body = text if match is None else " " * match.end() + text[match.end() :]
        if not title:
            return cls("", text, body, 0)
        return cls(title, text, f"{title}\n\n{body}", len(title) + 2)

    def entities(self, entities: Iterable[Entity]) -> Iterator[Entity]:
        """Mentions moved into `text`; mentions in the title dropped (the entity stays)."""
        for entity in entities:
            mentions = tuple(
                Mention(m.text, m.start - self.offset, m.end - self.offset)
                for m in entity.mentions
                if m.start >= self.offset
            )
            yield dataclasses.replace(entity, mentions=mentions)

    def claims(self, claims: Iterable[Claim]) -> Iterator[Claim]:
        """Body claims moved into `text`; headline claims kept only where the body does not
        state the same subject, predicate and object, marked `from_title`."""
        body: list[Claim] = []
        title: list[Claim] = []
        for claim in claims:
            if self.offset and claim.start < self.offset:
                title.append(dataclasses.replace(claim, from_title=True))
            else:
                start, end = claim.start - self.offset, claim.end - self.offset
                body.append(dataclasses.replace(claim, start=start, end=end))
        stated = {_triple(c) for c in body}
        kept = [c for c in title if _triple(c) not in stated]
        return iter([*kept, *body])


def _triple(claim: Claim) -> tuple[str, str, str]:
    def key(ref: ActorRef | None) -> str:
        return "" if ref is None else ref.id or ref.text.casefold()

    return key(claim.subject), claim.predicate, key(claim.object)


def _batches(texts: Iterable[str], size: int, chars: int) -> Iterator[list[str]]:
    """Consecutive lists of at most `size` texts and about `chars` characters (a longer text
    is a batch of its own)."""
    batch: list[str] = []
    total = 0
    for text in texts:
        if batch and (len(batch) >= size or (chars > 0 and total + len(text) > chars)):
            yield batch
            batch, total = [], 0
        batch.append(text)
        total += len(text)
    if batch:
        yield batch
