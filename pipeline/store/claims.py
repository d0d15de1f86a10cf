"""Actors, mentions and claims: replace an article's extraction, read claims back as values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, or_, select
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


Contradicts = Callable[[Claim, Claim], bool]


def replace_extraction(
    session: Session,
    article_id: int,
    extraction: Extraction,
    contradicts: Contradicts | None = None,
) -> list[int]:
    """Store the extraction of an article, replacing any earlier one; returns the claim ids.

    Delete-then-insert in one transaction makes a redelivered extract task idempotent; the
    links of the deleted claims go with them (FK cascade). With `contradicts` (normally
    `pipeline.extract.contradicts`) the new claims are linked to the claims they contradict.
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
    if contradicts is not None:
        link_contradictions(session, rows, contradicts)
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
    """Record one directed link (ignored when it exists already)."""
    insert_ignore(
        session,
        cast(Table, ClaimLink.__table__),
        {"claim_id": claim_id, "other_id": other_id, "kind": kind},
        ["claim_id", "other_id", "kind"],
    )


def link_contradictions(
    session: Session, rows: Sequence[ClaimRow], contradicts: Contradicts
) -> int:
    """Link each of one article's new claims to the stored claims it contradicts.

    Across articles, candidates share the tracked subject and the object (id, or text for an
    untracked object): one indexed query per distinct (subject, object) pair, never a scan.
    Within the article any contradicting pair is linked, so "North Korea denied the reports"
    (no object) only links to what its own article reports. Each link is stored in both
    directions so either claim finds it through the (claim_id, other_id, kind) index.
    Returns the number of contradicting pairs found.
    """
    pairs: set[tuple[int, int]] = set()
    values = {r.id: claim_from_row(r) for r in rows}
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if contradicts(values[a.id], values[b.id]):
                pairs.add((a.id, b.id))
    own = set(values)
    for group in _by_subject_object(rows).values():
        for other in _candidates(session, group[0], own):
            other_claim = claim_from_row(other)
            pairs.update((r.id, other.id) for r in group if contradicts(values[r.id], other_claim))
    for a_id, b_id in pairs:
        link_claims(session, a_id, b_id)
        link_claims(session, b_id, a_id)
    return len(pairs)


def _by_subject_object(rows: Sequence[ClaimRow]) -> dict[tuple[Any, ...], list[ClaimRow]]:
    groups: dict[tuple[Any, ...], list[ClaimRow]] = {}
    for r in rows:
        if r.subject_id is not None:
            obj = r.object_id or (r.object_text or "").casefold() or None
            groups.setdefault((r.subject_id, obj), []).append(r)
    return groups


def _candidates(session: Session, row: ClaimRow, exclude: set[int]) -> list[ClaimRow]:
    stmt = select(ClaimRow).where(ClaimRow.subject_id == row.subject_id)
    if row.object_id is not None:
        stmt = stmt.where(ClaimRow.object_id == row.object_id)
    elif row.object_text:
        stmt = stmt.where(ClaimRow.object_id.is_(None), ClaimRow.object_text.is_not(None))
    else:
        stmt = stmt.where(ClaimRow.object_text.is_(None))
    found = session.execute(stmt.where(ClaimRow.article_id != row.article_id)).scalars()
    return [c for c in found if c.id not in exclude]


def linked_claims(session: Session, claim_ids: Sequence[int]) -> dict[int, list[ClaimRow]]:
    """For each of `claim_ids`, the claims it is linked to as contradicting (id order)."""
    if not claim_ids:
        return {}
    stmt = (
        select(ClaimLink.claim_id, ClaimRow)
        .join(ClaimRow, ClaimRow.id == ClaimLink.other_id)
        .where(ClaimLink.claim_id.in_(list(claim_ids)), ClaimLink.kind == "contradicts")
        .order_by(ClaimLink.claim_id, ClaimRow.id)
    )
    result: dict[int, list[ClaimRow]] = {i: [] for i in claim_ids}
    for claim_id, other in session.execute(stmt):
        result[claim_id].append(other)
    return result


def claim_summary(row: ClaimRow) -> str:
    """One line for a listing: `subject [not] predicate object (speaker)`."""
    parts = [row.subject_text, ("not " if row.negated else "") + row.predicate]
    if row.object_text:
        parts.append(row.object_text)
    said = f" (says {row.speaker_text})" if row.speaker_text else ""
    return " ".join(parts) + said


def claims_about(session: Session, actor_id: str, limit: int) -> list[ClaimRow]:
    """Newest claims with `actor_id` as subject, object or speaker (each is indexed or small)."""
    stmt = (
        select(ClaimRow)
        .where(
            or_(
                ClaimRow.subject_id == actor_id,
                ClaimRow.object_id == actor_id,
                ClaimRow.speaker_id == actor_id,
            )
        )
        .order_by(ClaimRow.id.desc())
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())
