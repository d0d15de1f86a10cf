"""Actors, mentions and claims: replace an article's extraction, read claims back as values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, insert, or_, select
from sqlalchemy.orm import Session

from pipeline.models import Actor, ActorRef, Claim, Entity, Extraction, Mention
from pipeline.store import links
from pipeline.store.tables import ActorRow, Article, ClaimLink, ClaimRow, MentionRow, utcnow
from pipeline.store.upsert import insert_ignore, insert_rows


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


Contradicts = links.Contradicts
Terms = links.Terms


def replace_extraction(
    session: Session,
    article_id: int,
    extraction: Extraction,
    contradicts: Contradicts | None = None,
    terms: Terms | None = None,
) -> list[int]:
    """Store the extraction of an article, replacing any earlier one; returns the claim ids.

    Delete-then-insert in one transaction makes a redelivered extract task idempotent; the
    links of the deleted claims go with them (FK cascade). With `contradicts` (normally
    `pipeline.extract.contradicts`) the new claims are linked to the claims they contradict;
    `terms` (normally `contradiction_terms`) narrows the candidates fetched for that.
    """
    return replace_extractions(session, {article_id: extraction}, contradicts, terms)[article_id]


def replace_extractions(
    session: Session,
    extractions: dict[int, Extraction],
    contradicts: Contradicts | None = None,
    terms: Terms | None = None,
) -> dict[int, list[int]]:
    """`replace_extraction` for a batch of articles: an article's claims are linked to those
    of the articles before it in the batch, as one by one.

    Everything is read and compared first (`prepare_extractions`), then written in one burst
    (`write_extractions`: a statement each for the deletes, mentions, claims and links): on
    SQLite the first write holds the one write lock until commit, and the other workers'
    writes wait for it meanwhile.
    """
    return write_extractions(session, prepare_extractions(session, extractions, contradicts, terms))


@dataclass
class Prepared:
    """A batch's extractions as rows, with the contradiction links found by reading."""

    extractions: dict[int, Extraction]
    batch: list[tuple[int, list[ClaimRow]]]
    contradicts: Contradicts | None
    plan: links.LinkPlan | None


def prepare_extractions(
    session: Session,
    extractions: dict[int, Extraction],
    contradicts: Contradicts | None = None,
    terms: Terms | None = None,
) -> Prepared:
    """The reading half of `replace_extractions`: claim rows, and link candidates compared."""
    batch = [
        (article_id, [_claim_row(article_id, c, e.version) for c in e.claims])
        for article_id, e in extractions.items()
    ]
    plan = None
    if contradicts is not None:
        values = {
            (i, j): claim_from_row(r)
            for i, (_, rows) in enumerate(batch)
            for j, r in enumerate(rows)
        }
        plan = links.plan_links(session, batch, values, contradicts, terms, claim_from_row)
    return Prepared(dict(extractions), batch, contradicts, plan)


def write_extractions(session: Session, prepared: Prepared) -> dict[int, list[int]]:
    """The writing half of `replace_extractions`; returns each article's new claim ids.

    Delete-then-insert makes a redelivered extract task idempotent; the links of the deleted
    claims go with them (FK cascade). Claims other workers stored since the batch was
    prepared are compared here, under the write lock, so no contradiction is missed.
    """
    extractions, batch = prepared.extractions, prepared.batch
    ids = list(extractions)
    if not ids:
        return {}
    session.execute(delete(MentionRow).where(MentionRow.article_id.in_(ids)))
    session.execute(delete(ClaimRow).where(ClaimRow.article_id.in_(ids)))
    mentions = [
        {
            "article_id": article_id,
            "actor_id": entity.id,
            "entity_name": entity.name[:512],
            "entity_type": entity.type,
            "text": m.text[:512],
            "start": m.start,
            "end": m.end,
        }
        for article_id, extraction in extractions.items()
        for entity in extraction.entities
        for m in entity.mentions
    ]
    # Core executemany inserts: ORM unit-of-work bookkeeping per row cost more than the
    # inserts themselves. Claim ids come back in parameter order for the links.
    if mentions:
        insert_rows(session, MentionRow.__table__, mentions)
    keys = [(i, j) for i, (_, rows) in enumerate(batch) for j in range(len(rows))]
    claim_ids: dict[tuple[int, int], int] = {}
    if keys:
        stmt = insert(ClaimRow).returning(ClaimRow.id, sort_by_parameter_order=True)
        params = [_claim_values(batch[i][1][j]) for i, j in keys]
        claim_ids = dict(zip(keys, session.scalars(stmt, params), strict=True))
    now = utcnow()
    for article in session.scalars(select(Article).where(Article.id.in_(ids))):
        article.extractor_version = extractions[article.id].version
        article.processed_at = now
    if prepared.plan is not None and prepared.contradicts is not None:
        links.link_late_claims(session, prepared.plan, ids, prepared.contradicts, claim_from_row)
        links.insert_links(session, prepared.plan, claim_ids)
    return {
        article_id: [claim_ids[(i, j)] for j in range(len(rows))]
        for i, (article_id, rows) in enumerate(batch)
    }


# `created_at` is left to its column default.
_CLAIM_COLUMNS = [c.key for c in ClaimRow.__table__.columns if c.key not in ("id", "created_at")]


def _claim_values(row: ClaimRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _CLAIM_COLUMNS}


def _claim_row(article_id: int, c: Claim, version: str) -> ClaimRow:
    return ClaimRow(
        article_id=article_id,
        subject_id=c.subject.id,
        subject_text=c.subject.text[:512],
        predicate=c.predicate[:128],
        object_id=c.object.id if c.object else None,
        object_text=c.object.text[:512] if c.object else None,
        theme=c.theme,
        speaker_id=c.speaker.id if c.speaker else None,
        speaker_text=c.speaker.text[:512] if c.speaker else None,
        negated=c.negated,
        hedged=c.hedged,
        # Column widths: a garbled 300-digit "quantity" must not fail the whole article.
        quantity=c.quantity[:256] if c.quantity else None,
        sentence=c.sentence,
        start=c.start,
        end=c.end,
        confidence=c.confidence,
        from_title=c.from_title,
        extractor_version=version[:128],
    )


def claim_from_row(row: Any, names: Mapping[str, str] | None = None) -> Claim:
    """The stored claim (a `ClaimRow` or a result row with its columns) as a domain value;
    `names` (actor id -> registry name) fills in the resolved actor's name beside the
    surface text ("they" names North Korea)."""
    names = names or {}

    def ref(actor_id: str | None, text: str) -> ActorRef:
        return ActorRef(actor_id, text, names.get(actor_id) if actor_id else None)

    return Claim(
        subject=ref(row.subject_id, row.subject_text),
        predicate=row.predicate,
        object=ref(row.object_id, row.object_text or "") if row.object_text is not None else None,
        theme=row.theme,
        speaker=ref(row.speaker_id, row.speaker_text or "")
        if row.speaker_text is not None
        else None,
        negated=row.negated,
        hedged=row.hedged,
        quantity=row.quantity,
        sentence=row.sentence,
        start=row.start,
        end=row.end,
        confidence=row.confidence,
        from_title=bool(row.from_title),
    )


def actor_names(session: Session) -> dict[str, str]:
    """Registry names by actor id, for showing a resolved actor beside its surface text."""
    return dict(session.execute(select(ActorRow.id, ActorRow.name)).tuples().all())


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


def claim_json(row: ClaimRow, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A stored claim in the `newsmon extract --json` shape plus its ids and version."""
    data = claim_from_row(row, names).to_json()
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


def claim_summary(row: ClaimRow, names: Mapping[str, str] | None = None) -> str:
    """One line for a listing: `subject [not] predicate object (speaker)`, each role by its
    resolved actor's name with the surface text beside it when they differ."""
    claim = claim_from_row(row, names)
    parts = [shown(claim.subject) or "(untracked)", ("not " if row.negated else "") + row.predicate]
    if claim.object is not None:
        parts.append(shown(claim.object))
    said = f" (says {shown(claim.speaker)})" if claim.speaker else ""
    return " ".join(parts) + said


def shown(ref: ActorRef | None) -> str:
    """'North Korea (they)': the resolved name, and the words the text used if different."""
    if ref is None:
        return ""
    name = ref.name or ref.text
    return name if not ref.text or ref.text == name else f"{name} ({ref.text})"


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


def latest_claims(session: Session, limit: int) -> list[ClaimRow]:
    """The newest `limit` claims."""
    return list(session.scalars(select(ClaimRow).order_by(ClaimRow.id.desc()).limit(limit)))
