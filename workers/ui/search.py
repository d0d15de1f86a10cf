"""Dashboard search: full-text over articles or claims, with filters, and the results as
CSV or JSON lines (`format=csv|jsonl`) for a spreadsheet or a script."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from pipeline.store.search import search
from workers.ui.session import PREFIX
from workers.ui.web import DepsDep, Filtering, Text, User, render

router = APIRouter(prefix=PREFIX, include_in_schema=False)
EXPORT_LIMIT = 5000
ARTICLE_COLUMNS = ("id", "title", "source", "url", "story_id", "published_at", "first_seen_at")
CLAIM_COLUMNS = (
    "id", "article_id", "story_id", "subject", "subject_id", "predicate", "object", "object_id",
    "negated", "hedged", "speaker", "sentence", "source", "published_at",
)  # fmt: skip


def _csv(items: list[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    for item in items:
        # A cell starting with = + - @ would be a formula in a spreadsheet: quote it as text.
        writer.writerow({k: _cell(item.get(k)) for k in columns})
    yield out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _jsonl(items: list[dict[str, Any]]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False) + "\n"


@router.get("/search", response_class=HTMLResponse)
@router.get("/search.json", response_class=HTMLResponse)
def search_page(
    request: Request,
    user: User,
    deps: DepsDep,
    form: Filtering,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Literal["articles", "claims"] = "claims",
    predicate: Text = None,
    negated: Annotated[Literal["", "true", "false"], Query()] = "",
    cursor: Annotated[int | None, Query(ge=1)] = None,
    format: Literal["html", "csv", "jsonl"] = "html",
) -> Response:
    polarity = {"true": True, "false": False}.get(negated)
    f = form.filters(predicate=predicate or None, negated=polarity)
    limit = EXPORT_LIMIT if format != "html" else 50
    with deps.sessions() as session:
        page = search(session, q, kind=kind, filters=f, cursor=cursor, limit=limit)
    if format == "csv":
        columns = ARTICLE_COLUMNS if kind == "articles" else CLAIM_COLUMNS
        headers = {"Content-Disposition": f'attachment; filename="newsmon-{kind}.csv"'}
        return StreamingResponse(_csv(page.items, columns), media_type="text/csv", headers=headers)
    if format == "jsonl":
        headers = {"Content-Disposition": f'attachment; filename="newsmon-{kind}.jsonl"'}
        return StreamingResponse(
            _jsonl(page.items), media_type="application/x-ndjson", headers=headers
        )
    query = {
        "q": q, "kind": kind, "actor": form.actor, "source": form.source, "predicate": predicate,
        "negated": negated, "since": form.since, "until": form.until,
    }  # fmt: skip
    data = {"query": query, "results": page.items, "next_cursor": page.next_cursor}
    return render(request, "search.html", data, user)
