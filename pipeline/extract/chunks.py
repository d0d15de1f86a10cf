"""Long texts in pieces: split at paragraph breaks, extract each, merge with shifted offsets.

spaCy's memory grows with the length of one document (about 500 MB peak RSS for 100,000
characters of news text with `en_core_web_sm`), so a long article is extracted as chunks of
at most `size` characters. Coreference and quote attribution do not reach across a chunk
boundary; chunks end at paragraph breaks, where that costs least.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pipeline.dedup.normalize import cut_text
from pipeline.models import Claim, Entity, Extraction, Mention


def split_text(text: str, size: int) -> list[tuple[int, str]]:
    """(offset, chunk) pieces of `text`, each at most `size` characters (0: one piece), cut
    at a paragraph break, sentence end or space where one is near the limit."""
    if size <= 0 or len(text) <= size:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    offset = 0
    while offset < len(text):
        chunk = cut_text(text[offset:], size)
        if not chunk.strip():  # only whitespace left up to the limit
            chunk = text[offset : offset + size]
        pieces.append((offset, chunk))
        offset += len(chunk)
        while offset < len(text) and text[offset].isspace():
            offset += 1
    return pieces


def merge(parts: Sequence[tuple[int, Extraction]]) -> Extraction:
    """One extraction of the whole text from its chunks' (offset, extraction): offsets
    shifted by each chunk's offset, mentions of one entity gathered under it."""
    if len(parts) == 1 and parts[0][0] == 0:
        return parts[0][1]
    entities: dict[tuple[str | None, str, str], list[Mention]] = {}
    claims: list[Claim] = []
    for offset, extraction in parts:
        for e in extraction.entities:
            shifted = [Mention(m.text, m.start + offset, m.end + offset) for m in e.mentions]
            entities.setdefault((e.id, e.name, e.type), []).extend(shifted)
        claims.extend(
            dataclasses.replace(c, start=c.start + offset, end=c.end + offset)
            for c in extraction.claims
        )
    return Extraction(
        entities=tuple(Entity(k[0], k[1], k[2], tuple(v)) for k, v in entities.items()),
        claims=tuple(claims),
        version=parts[0][1].version if parts else "",
    )
