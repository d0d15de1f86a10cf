"""Actors, mentions and claims: replace an article's extraction, read claims back as values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pipeline.models import Actor, ActorRef, Claim, Entity, Extraction, Mention
from pipeline.store.tables import ActorRow, Article, ClaimLink, ClaimRow, MentionRow, utcnow
from pipeline.store.upsert import insert_ignore


def sync_actors(session: Session, actors: Sequence[Actor]) -> None:
    """Make the actors table mirror the registry (names and aliases updated in place)."""
    for actor in actors:
        row = session.get(ActorRow, actor.id)
        if row is None:
            session.add(
                ActorRow(id=actor.id, name=actor.name, type=actor.type, aliases=list(actor.aliases))
            )
        else:
            row.name, row.type, row.aliases = actor.name, actor.type, list(actor.aliases)


def replace_extraction(session: Session, article_id: int, extraction: Extraction) -> list[int]:
    """Store the extraction of an article, replacing any earlier one; returns the claim ids.

    Delete-then-insert in one transaction makes a redelivered extract task idempotent.
    """
    session.execute(delete(MentionRow).where(MentionRow.article_id == article_id))
    session.execute(delete(ClaimRow).where(ClaimRow.article_id == article_id))
    for entity in extraction.entities:
        for m in entity.mentions:
            session.add(
                MentionRow(
                    article_id=article_id,
                    actor_id=entity.id,
                    entity_name=entity.name[:512],
                    entity_type=entity.type,
                    text=m.text[:512],
                    start=m.start,
                    end=m.end,
                )
            )
    rows = [_claim_row(article_id, c, extraction.version) for c in extraction.claims]
    session.add_all(rows)
    article = session.get_one(Article, article_id)
    article.extractor_version = extraction.version
    article.processed_at = utcnow()
    session.flush()
    return [r.id for r in rows]


def _claim_row(article_id: int, c: Claim, version: str) -> ClaimRow:
    return ClaimRow(
        article_id=article_id,
        subject_id=c.subject.id,
        subject_text=c.subject.text[:512],
        predicate=c.predicate,
        object_id=c.object.id if c.object else None,
        object_text=c.object.text[:512] if c.object else None,
        theme=c.theme,
        speaker_id=c.speaker.id if c.speaker else None,
        speaker_text=c.speaker.text[:512] if c.speaker else None,
        negated=c.negated,
        hedged=c.hedged,
        quantity=c.quantity,
        sentence=c.sentence,
        start=c.start,
        end=c.end,
        confidence=c.confidence,
        extractor_version=version,
    )


def claim_from_row(row: ClaimRow) -> Claim:
    return Claim(
        subject=ActorRef(row.subject_id, row.subject_text),
        predicate=row.predicate,
        object=ActorRef(row.object_id, row.object_text or "")
        if row.object_text is not None
        else None,
        theme=row.theme,
        speaker=ActorRef(row.speaker_id, row.speaker_text or "")
        if row.speaker_text is not None
        else None,
        negated=row.negated,
        hedged=row.hedged,
        quantity=row.quantity,
        sentence=row.sentence,
        start=row.start,
        end=row.end,
        confidence=row.confidence,
    )


def load_extraction(session: Session, article_id: int) -> Extraction:
    """Rebuild an article's stored extraction as domain values."""
    mentions = session.execute(
        select(MentionRow).where(MentionRow.article_id == article_id).order_by(MentionRow.start)
    ).scalars()
    grouped: dict[tuple[Any, str, str], list[Mention]] = {}
    for m in mentions:
        grouped.setdefault((m.actor_id, m.entity_name, m.entity_type), []).append(
            Mention(m.text, m.start, m.end)
        )
    entities = tuple(Entity(k[0], k[1], k[2], tuple(v)) for k, v in grouped.items())
    claims = session.execute(
        select(ClaimRow).where(ClaimRow.article_id == article_id).order_by(ClaimRow.start)
    ).scalars()
    version = session.get_one(Article, article_id).extractor_version or ""
    return Extraction(entities, tuple(claim_from_row(c) for c in claims), version)


def claim_json(row: ClaimRow) -> dict[str, Any]:
    """A stored claim in the `newsmon extract --json` shape plus its ids and version."""
    data = claim_from_row(row).to_json()
    data.update(id=row.id, article_id=row.article_id, extractor_version=row.extractor_version)
    return data


def link_claims(session: Session, claim_id: int, other_id: int, kind: str = "contradicts") -> None:
    insert_ignore(
        session,
        ClaimLink.__table__,
        {"claim_id": claim_id, "other_id": other_id, "kind": kind},
        ["claim_id", "other_id", "kind"],
    )
