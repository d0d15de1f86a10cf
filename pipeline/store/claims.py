"""Actors, mentions and claims: replace an article's extraction, read claims back as values."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
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
# (predicates, predicate in them?, negated): see pipeline.extract.denials.contradiction_terms.
Terms = Callable[[str, bool], list[tuple[frozenset[str], bool, bool]]]
# Cross-article links per claim: the most recent ones; an old story's hundredth repeat of an
# accusation adds nothing to a denial's listing and would make linking quadratic.
MAX_LINKS = 20
_INSERTS: dict[str, Any] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


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
    """`replace_extraction` for a batch of articles, with one statement per batch for the
    deletes, the mentions and the articles, and per article for its claims (in order, so an
    article's claims are linked to those of the articles before it, as one by one)."""
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
        session.execute(insert(MentionRow), mentions)
    articles = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))}
    now = utcnow()
    stored: dict[int, list[int]] = {}
    for article_id, extraction in extractions.items():
        rows = [_claim_row(article_id, c, extraction.version) for c in extraction.claims]
        if rows:
            values = [_claim_values(r) for r in rows]
            stmt = insert(ClaimRow).returning(ClaimRow.id, sort_by_parameter_order=True)
            for row, claim_id in zip(rows, session.scalars(stmt, values), strict=True):
                row.id = claim_id
        article = articles[article_id]
        article.extractor_version = extraction.version
        article.processed_at = now
        if contradicts is not None:
            link_contradictions(session, rows, contradicts, terms)
        stored[article_id] = [r.id for r in rows]
    return stored


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


def link_contradictions(
    session: Session, rows: Sequence[ClaimRow], contradicts: Contradicts, terms: Terms | None = None
) -> int:
    """Link each of one article's new claims to the stored claims it contradicts.

    Across articles, candidates share the tracked subject and the object (id, or text for an
    untracked object), and match `terms` when given: the `MAX_LINKS` most recent candidates
    per claim through the subject index, never a scan. Claims asking the same question share
    one candidate list, and all lists come back in one statement (one round trip per
    article, not per claim). Within the article any contradicting pair is linked, so "North
    Korea denied the reports" (no object) only links to what its own article reports. Each
    link is stored in both directions so either claim finds it through the (claim_id,
    other_id, kind) index. Returns the number of pairs linked.
    """
    pairs: set[tuple[int, int]] = set()
    values = {r.id: claim_from_row(r) for r in rows}
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if contradicts(values[a.id], values[b.id]):
                pairs.add((a.id, b.id))
    groups: dict[tuple[Any, ...], list[ClaimRow]] = {}
    for row in rows:
        if row.subject_id is not None:
            groups.setdefault(_question(row, terms), []).append(row)
    found = _candidates(session, rows[0].article_id if rows else 0, list(groups), terms)
    for key, members in groups.items():
        for other in found.get(key, ()):
            other_value = claim_from_row(other)
            for row in members:
                if contradicts(values[row.id], other_value):
                    pairs.add((row.id, other.id))
    _insert_links(session, pairs)
    return len(pairs)


def _insert_links(session: Session, pairs: set[tuple[int, int]]) -> None:
    """Both directions of every pair in one statement; existing links are left alone."""
    if not pairs:
        return
    rows = [
        {"claim_id": a, "other_id": b, "kind": "contradicts"}
        for x, y in sorted(pairs)
        for a, b in ((x, y), (y, x))
    ]
    insert = _INSERTS[session.get_bind().dialect.name]
    keys = ["claim_id", "other_id", "kind"]
    session.execute(insert(ClaimLink.__table__).on_conflict_do_nothing(index_elements=keys), rows)


# (subject id, object id, object kind, query terms): claims with equal keys have equal
# candidate lists.
Question = tuple[Any, ...]


def _question(row: ClaimRow, terms: Terms | None) -> Question:
    kind = "id" if row.object_id is not None else "text" if row.object_text else "none"
    asked = tuple(terms(row.predicate, row.negated)) if terms is not None else None
    return (row.subject_id, row.object_id, kind, asked)


def _candidates(
    session: Session, article_id: int, questions: Sequence[Question], terms: Terms | None
) -> dict[Question, list[Any]]:
    """The most recent `MAX_LINKS` claims of other articles for each question, as rows with
    the claim's columns (no ORM objects: they are read once and compared)."""
    found: dict[Question, list[Any]] = {}
    for question in questions:
        subject_id, object_id, kind, asked = question
        params = {"subject_id": subject_id, "article_id": article_id, "object_id": object_id}
        found[question] = list(session.execute(_candidate_query(kind, asked), params))
    return found


@lru_cache(maxsize=512)
def _candidate_query(kind: str, asked: tuple[Any, ...] | None) -> Any:
    # One statement object per shape, with bound parameters: building and compiling a
    # select costs far more than SQLite takes to run it, and the shapes repeat.
    table = cast(Table, ClaimRow.__table__)
    stmt = select(table).where(
        table.c.subject_id == bindparam("subject_id"),
        table.c.article_id != bindparam("article_id"),
    )
    if kind == "id":
        stmt = stmt.where(table.c.object_id == bindparam("object_id"))
    elif kind == "text":
        stmt = stmt.where(table.c.object_id.is_(None), table.c.object_text.is_not(None))
    else:
        stmt = stmt.where(table.c.object_text.is_(None))
    if asked is not None:
        stmt = stmt.where(or_(*(_term(*t) for t in asked)))
    return stmt.order_by(table.c.id.desc()).limit(MAX_LINKS)


@lru_cache(maxsize=256)
def _term(predicates: frozenset[str], inside: bool, negated: bool) -> Any:
    # Cached: building the clause costs more than running it, and the terms repeat.
    table = cast(Table, ClaimRow.__table__)
    chosen = sorted(predicates)
    column = table.c.predicate
    match = column.in_(chosen) if inside else column.not_in(chosen)
    return and_(match, table.c.negated.is_(negated))


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
