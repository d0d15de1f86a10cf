"""Contradiction links of a batch's new claims: planned by reading, written after the claims.

A batch is planned before any of its writes (on SQLite the first write holds the database's
one write lock until commit, and every other worker's write waits for it), then checked
once more under the lock for claims other workers stored meanwhile, then inserted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from pipeline.models import Claim
from pipeline.store.tables import ClaimLink, ClaimRow
from pipeline.store.upsert import insert_rows

Contradicts = Callable[[Claim, Claim], bool]
# (predicates, predicate in them?, negated): see pipeline.extract.denials.contradiction_terms.
Term = tuple[frozenset[str], bool, bool]
Terms = Callable[[str, bool], list[Term]]
# Cross-article links per claim: the most recent ones; an old story's hundredth repeat of an
# accusation adds nothing to a denial's listing and would make linking quadratic.
MAX_LINKS = 20
# (subject id, object id, object kind, query terms): claims with equal keys have equal
# candidate lists.
Question = tuple[Any, ...]
# A new claim before it has an id: (its article's place in the batch, its place there).
Key = tuple[int, int]
Ref = Key | int


def question(row: ClaimRow, terms: Terms | None) -> Question:
    """What a claim asks of the others: the key its candidates are fetched by."""
    kind = "id" if row.object_id is not None else "text" if row.object_text else "none"
    asked = tuple(terms(row.predicate, row.negated)) if terms is not None else None
    return (row.subject_id, row.object_id, kind, asked)


def answers(asked: Question, row: Any) -> bool:
    """Whether a claim row is among `asked`'s candidates (as `_candidate_query` selects)."""
    subject_id, object_id, kind, terms = asked
    if row.subject_id != subject_id:
        return False
    if kind == "id" and row.object_id != object_id:
        return False
    if kind == "text" and (row.object_id is not None or row.object_text is None):
        return False
    if kind == "none" and row.object_text is not None:
        return False
    return terms is None or any(
        (row.predicate in chosen) == inside and bool(row.negated) == negated
        for chosen, inside, negated in terms
    )


@dataclass
class LinkPlan:
    """The pairs found by reading, and what the check under the lock needs."""

    horizon: int
    values: dict[Key, Claim]
    asked: dict[Question, list[Key]]
    pairs: set[tuple[Key, Ref]] = field(default_factory=set)


def plan_links(
    session: Session,
    batch: Sequence[tuple[int, Sequence[ClaimRow]]],
    values: dict[Key, Claim],
    contradicts: Contradicts,
    terms: Terms | None,
    as_claim: Callable[[Any], Claim],
) -> LinkPlan:
    """Pairs among the batch's new claims (`batch`: article id and its claim rows, in order;
    `values`: each row as a Claim; `as_claim` reads a stored row as one) and with stored
    claims, found by reading only.

    Within an article any contradicting pair is linked, so "North Korea denied the reports"
    (no object) links to what its own article reports. Across articles, candidates share the
    tracked subject and the object (id, or text for an untracked object) and match `terms`:
    the `MAX_LINKS` most recent per claim, the batch's earlier articles first (as if each
    article were stored in turn), then stored claims through the subject index. Each distinct
    question is asked of the database once per batch.
    """
    horizon = session.scalar(select(func.max(ClaimRow.id))) or 0
    plan = LinkPlan(horizon, values, {})
    rows = {(i, j): row for i, (_, claims) in enumerate(batch) for j, row in enumerate(claims)}
    for i, (_, claims) in enumerate(batch):
        for j in range(len(claims)):
            for k in range(j + 1, len(claims)):
                if contradicts(values[(i, j)], values[(i, k)]):
                    plan.pairs.add(((i, j), (i, k)))
    for key, row in rows.items():
        if row.subject_id is not None:
            plan.asked.setdefault(question(row, terms), []).append(key)
    stored = _stored_candidates(session, [a for a, _ in batch], list(plan.asked))
    by_subject: dict[Any, list[Key]] = {}
    for key, row in rows.items():
        by_subject.setdefault(row.subject_id, []).append(key)
    for asked, keys in plan.asked.items():
        batch_answers = [k for k in by_subject.get(asked[0], ()) if answers(asked, rows[k])]
        theirs = [(other.id, as_claim(other)) for other in stored[asked]]
        for key in keys:
            earlier = [(k, values[k]) for k in reversed(batch_answers) if k[0] < key[0]]
            for ref, other in (earlier + theirs)[:MAX_LINKS]:
                if contradicts(values[key], other):
                    plan.pairs.add((key, ref))
    return plan


def link_late_claims(
    session: Session,
    plan: LinkPlan,
    article_ids: Sequence[int],
    contradicts: Contradicts,
    as_claim: Callable[[Any], Claim],
) -> None:
    """Add the pairs with claims stored by others since `plan_links` read (call it after the
    batch's first write: on SQLite the lock is held then, and nothing else can commit)."""
    subjects = sorted({a[0] for a in plan.asked})
    if not subjects:
        return
    table = cast(Table, ClaimRow.__table__)
    late = session.execute(
        select(table)
        .where(
            table.c.id > plan.horizon,
            table.c.article_id.not_in(list(article_ids)),
            table.c.subject_id.in_(subjects),
        )
        .order_by(table.c.id.desc())
    ).all()
    for asked, keys in plan.asked.items():
        answering = [row for row in late if answers(asked, row)][:MAX_LINKS]
        for row in answering:
            other = as_claim(row)
            plan.pairs.update((key, row.id) for key in keys if contradicts(plan.values[key], other))


def insert_links(session: Session, plan: LinkPlan, ids: dict[Key, int]) -> int:
    """Both directions of every planned pair in one statement, now that the new claims have
    `ids`; existing links are left alone. Returns the number of pairs."""
    pairs = {tuple(sorted((ids[a], b if isinstance(b, int) else ids[b]))) for a, b in plan.pairs}
    if not pairs:
        return 0
    rows = [
        {"claim_id": a, "other_id": b, "kind": "contradicts"}
        for x, y in sorted(pairs)
        for a, b in ((x, y), (y, x))
    ]
    insert_rows(session, ClaimLink.__table__, rows, ["claim_id", "other_id", "kind"])
    return len(pairs)


def _stored_candidates(
    session: Session, article_ids: Sequence[int], questions: Sequence[Question]
) -> dict[Question, list[Any]]:
    """The most recent `MAX_LINKS` stored claims of articles outside the batch for each
    question, as rows with the claim's columns (no ORM objects: they are read once)."""
    found: dict[Question, list[Any]] = {}
    for asked in questions:
        subject_id, object_id, kind, terms = asked
        params = {"subject_id": subject_id, "batch": list(article_ids), "object_id": object_id}
        found[asked] = list(session.execute(_candidate_query(kind, terms), params))
    return found


@lru_cache(maxsize=512)
def _candidate_query(kind: str, asked: tuple[Any, ...] | None) -> Any:
    # One statement object per shape, with bound parameters: building and compiling a
    # select costs far more than SQLite takes to run it, and the shapes repeat.
    table = cast(Table, ClaimRow.__table__)
    stmt = select(table).where(
        table.c.subject_id == bindparam("subject_id"),
        table.c.article_id.not_in(bindparam("batch", expanding=True)),
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
