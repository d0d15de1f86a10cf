"""Builds the spaCy pipeline once per process: the model, paragraph breaks and the actor linker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.actors import ActorLinker
from pipeline.extract.claims import VERB_INDEX
from pipeline.models import Actor

LINKER = "newsmon_actor_linker"
PARAGRAPHS = "newsmon_paragraphs"
# Pipes the claim rules never read; dropping them is free speed.
UNUSED_PIPES = ("senter",)


@Language.component(PARAGRAPHS)
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line, so a title never merges with the lede.

    The parser respects sentence starts set before it runs.
    """
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.factory(LINKER, default_config={"actors": []})
def make_linker(nlp: Language, name: str, actors: list[dict[str, Any]]) -> ActorLinker:
    """spaCy factory: the tracked-actor registry as a pipeline component after `ner`."""
    return ActorLinker(nlp, [Actor.from_json(a) for a in actors])


def build_nlp(actors: Sequence[Actor], model: str) -> Language:
    """Load `model`, add paragraph breaks before the parser and the actor linker after NER."""
    nlp = spacy.load(model, exclude=[p for p in UNUSED_PIPES])
    if "lemmatizer" in nlp.pipe_names and not VERB_INDEX:
        tables = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if tables is not None and tables.has_table("lemma_index"):
            VERB_INDEX.update(tables.get_table("lemma_index").get("verb", []))
    nlp.add_pipe(PARAGRAPHS, before="parser")
    nlp.add_pipe(LINKER, after="ner", config={"actors": [a.to_json() for a in actors]})
    return nlp
