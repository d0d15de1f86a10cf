"""Full-text search over articles and claims behind one function: SQLite FTS5 on the
embedded default, PostgreSQL full-text search (`simple` configuration) in deployment.

The query is what a person types: words (all must match), "quoted phrases", and a
trailing `*` for a prefix. It is turned into each engine's syntax here, never passed raw,
so FTS operators in user input cannot cause a syntax error.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from sqlalchemy import func, literal_column, select, text
from sqlalchemy.orm import Session

from pipeline.store.browse import (
    Filters,
    Page,
    _article_filters,
    _claim_filters,
    article_json,
    claim_view,
)
from pipeline.store.tables import Article, ClaimRow

Kind = Literal["articles", "claims"]
ARTICLE_VECTOR = (
    "to_tsvector('simple', coalesce(articles.title, '') || ' ' || coalesce(articles.text, ''))"
)
CLAIM_VECTOR = "to_tsvector('simple', coalesce(claims.sentence, ''))"
_TERM = re.compile(r'"([^"]+)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def terms_of(query: str) -> list[tuple[str, bool]]:
    """(phrase, is_prefix) pairs: quoted phrases kept whole, other words one by one."""
    terms: list[tuple[str, bool]] = []
    for phrase, word in _TERM.findall(query):
        source = phrase or word
        words = _WORD.findall(source)
        if not words:
            continue
        terms.append((" ".join(words), bool(word) and word.endswith("*")))
    return terms[:20]


def _fts5_query(terms: list[tuple[str, bool]]) -> str:
    return " AND ".join(f'"{t}"' + ("*" if prefix else "") for t, prefix in terms)


def _tsquery(terms: list[tuple[str, bool]]) -> str:
    parts = []
    for phrase, prefix in terms:
        words = [w.replace("'", "") for w in phrase.split()]
        joined = " <-> ".join(f"'{w}'" for w in words)
        parts.append(joined + (":*" if prefix else ""))
    return " & ".join(f"({p})" for p in parts)


def _matching_ids(session: Session, kind: Kind, terms: list[tuple[str, bool]]) -> Any:
    """A selectable of the ids matching all terms, in the engine's own full-text search."""
    if session.get_bind().dialect.name == "sqlite":
        table = "articles_fts" if kind == "articles" else "claims_fts"
        return (
            select(literal_column("rowid"))
            .select_from(text(table))
            .where(text(f"{table} MATCH :q").bindparams(q=_fts5_query(terms)))
        )
    # The vectors are spelled exactly as the migration's GIN indexes, so the planner uses them.
    query = func.to_tsquery("simple", _tsquery(terms))
    if kind == "articles":
        vector: Any = literal_column(ARTICLE_VECTOR)
        return select(Article.id).where(vector.op("@@")(query))
    return select(ClaimRow.id).where(literal_column(CLAIM_VECTOR).op("@@")(query))


def search(
    session: Session,
    query: str,
    *,
    kind: Kind = "articles",
    filters: Filters | None = None,
    cursor: int | None = None,
    limit: int = 50,
) -> Page:
    """Articles or claims matching `query` and `filters`, newest first, paged by id.

    An empty query (no words) matches nothing.
    """
    terms = terms_of(query)
    filters = filters or Filters()
    if not terms:
        return Page()
    ids = _matching_ids(session, kind, terms)
    if kind == "articles":
        stmt = _article_filters(select(Article).where(Article.id.in_(ids)), filters)
        if cursor is not None:
            stmt = stmt.where(Article.id < cursor)
        rows = session.scalars(stmt.order_by(Article.id.desc()).limit(limit))
        items = [article_json(r) for r in rows]
    else:
        stmt = select(ClaimRow, Article).join(Article, Article.id == ClaimRow.article_id)
        stmt = _claim_filters(stmt.where(ClaimRow.id.in_(ids)), filters)
        if cursor is not None:
            stmt = stmt.where(ClaimRow.id < cursor)
        items = [
            claim_view(c, a)
            for c, a in session.execute(stmt.order_by(ClaimRow.id.desc()).limit(limit))
        ]
    return Page(items, int(items[-1]["id"]) if len(items) == limit else None)
