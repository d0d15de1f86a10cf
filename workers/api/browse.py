"""Read endpoints over the stored facts, the same store functions the dashboard uses:
articles, claims, actors, feeds and stories, with filters and cursor pagination.

Each list is newest first. When more rows follow, the response carries the next page's
cursor in `X-Next-Cursor` and a `Link: <...>; rel="next"` header (RFC 8288).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from pipeline.feeds.health import health_page
from pipeline.store import browse
from workers.api.auth import DepsDep, Owner
from workers.api.limits import MAX_ID, RowId

router = APIRouter(tags=["browse"])

Cursor = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="`X-Next-Cursor` of the last page.")
]
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many, newest first.")]
Text = Annotated[str | None, Query(max_length=200)]


def filters(
    actor: Text = None,
    predicate: Text = None,
    negated: bool | None = None,
    source: Text = None,
    since: datetime | None = None,
    until: datetime | None = None,
    with_claims: bool = False,
) -> browse.Filters:
    """The list filters of a query string (each list reads those it knows)."""
    return browse.Filters(actor, predicate, negated, source, since, until, with_claims)


@dataclass(frozen=True, slots=True)
class Paging:
    """Where a list page starts and how long it is; `send` sets the next page's headers."""

    request: Request
    response: Response
    cursor: int | None
    limit: int

    def send(self, page: browse.Page) -> list[dict[str, Any]]:
        if page.next_cursor is not None:
            nxt = self.request.url.include_query_params(cursor=page.next_cursor)
            self.response.headers["X-Next-Cursor"] = str(page.next_cursor)
            self.response.headers["Link"] = f'<{nxt}>; rel="next"'
        return page.items


def paging(
    request: Request, response: Response, cursor: Cursor = None, limit: Limit = 50
) -> Paging:
    return Paging(request, response, cursor, limit)


def feed_paging(
    request: Request, response: Response, cursor: Cursor = None, limit: Limit = 200
) -> Paging:
    return Paging(request, response, cursor, limit)


Filtered = Annotated[browse.Filters, Depends(filters)]
Paged = Annotated[Paging, Depends(paging)]


@router.get("/articles")
def list_articles(owner: Owner, deps: DepsDep, f: Filtered, page: Paged) -> list[dict[str, Any]]:
    """Articles mentioning `actor`, from `source`, first seen in [since, until), with claims
    matching `predicate` / `negated` when given."""
    with deps.sessions() as session:
        return page.send(browse.page_articles(session, f, cursor=page.cursor, limit=page.limit))


@router.get("/articles/{article_id:int}")
def read_article(article_id: RowId, owner: Owner, deps: DepsDep) -> dict[str, Any]:
    """One article with its text and the spans of its mentions and claim sentences."""
    with deps.sessions() as session:
        found = browse.article_text(session, article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return found


@router.get("/claims")
def list_claims(owner: Owner, deps: DepsDep, f: Filtered, page: Paged) -> list[dict[str, Any]]:
    """Claims with `actor` as subject, object or speaker, by predicate, negation, source, time."""
    with deps.sessions() as session:
        return page.send(browse.page_claims(session, f, cursor=page.cursor, limit=page.limit))


@router.get("/actors")
def list_actors(owner: Owner, deps: DepsDep) -> list[dict[str, Any]]:
    """Every actor with aliases and mention count, most mentioned first."""
    with deps.sessions() as session:
        return browse.list_actors(session)


@router.get("/actors/{actor_id}/graph")
def actor_graph(
    actor_id: str,
    owner: Owner,
    deps: DepsDep,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """The actor's claim edges (subject, predicate, object, negated, claims, outlets) and
    mentions per day."""
    f = browse.Filters(since=since, until=until)
    with deps.sessions() as session:
        edges = browse.claim_graph(session, actor_id, f)
        days = browse.mentions_per_day(session, actor_id, f)
    return {
        "actor_id": actor_id,
        "edges": [e.to_json() for e in edges],
        "mentions_per_day": [{"day": d, "articles": n} for d, n in days],
    }


@router.get("/feeds")
def list_feeds(
    owner: Owner,
    deps: DepsDep,
    page: Annotated[Paging, Depends(feed_paging)],
    state: Literal["ok", "new", "failing", "paused"] | None = None,
) -> list[dict[str, Any]]:
    """Every feed's health: state, last success, last error, next check, items per day."""
    with deps.sessions() as session:
        rows = browse.feeds_page(session, cursor=page.cursor, limit=page.limit)
    return page.send(health_page(rows, state=state, limit=page.limit))


@router.get("/stories/page")
def page_stories(owner: Owner, deps: DepsDep, f: Filtered, page: Paged) -> list[dict[str, Any]]:
    """Stories (newest first) filtered through their articles, with cursor pagination."""
    with deps.sessions() as session:
        return page.send(browse.page_stories(session, f, cursor=page.cursor, limit=page.limit))
