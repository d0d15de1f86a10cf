"""What every dashboard page shares: templates, the logged-in session, CSRF, rendering.

A page handler builds one dict of data; `render` returns it as HTML through its template,
or as JSON when the path ends in `.json` (each page's JSON twin, as in Datasette).
"""

from __future__ import annotations

import hmac
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from pipeline.store.browse import Filters
from workers.deps import Deps
from workers.ui.session import COOKIE, PREFIX, UiSession, decode_session

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


class LoginRequired(Exception):
    """Raised by a page whose visitor has no valid session; answered with a redirect."""


def deps_of(request: Request) -> Deps:
    return request.app.state.deps


def current_session(request: Request) -> UiSession:
    session = decode_session(deps_of(request).settings, request.cookies.get(COOKIE))
    if session is None:
        raise LoginRequired()
    return session


User = Annotated[UiSession, Depends(current_session)]
DepsDep = Annotated[Deps, Depends(deps_of)]


async def check_csrf(request: Request, user: User) -> UiSession:
    """Every POST carries the session's CSRF token as the `csrf` form field."""
    form = await request.form()
    sent = str(form.get("csrf") or request.headers.get("x-csrf-token") or "")
    if not hmac.compare_digest(sent, user.csrf):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    return user


Posted = Annotated[UiSession, Depends(check_csrf)]


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def render(
    request: Request, template: str, data: dict[str, Any], user: UiSession | None = None
) -> Response:
    if wants_json(request):
        return JSONResponse(jsonable_encoder(data))
    context = {"request": request, "user": user, "prefix": PREFIX, **data}
    return templates.TemplateResponse(request, template, context)


def url(path: str, **query: Any) -> str:
    """A dashboard URL with the given query (empty values left out)."""
    kept = {k: v for k, v in query.items() if v not in (None, "", False)}
    return f"{PREFIX}{path}" + (f"?{urlencode(kept)}" if kept else "")


def parse_time(value: str | None) -> datetime | None:
    """A date or ISO time from a form (naive values are UTC); None when blank or unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


Text = Annotated[str | None, Query(max_length=200)]


@dataclass(frozen=True, slots=True)
class FilterForm:
    """A page's filter fields as the visitor typed them (shown again in its form)."""

    actor: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None

    def filters(self, **more: Any) -> Filters:
        """The store's filters: blanks are no filter, times parsed (`more`: the others)."""
        return Filters(
            actor=self.actor or None,
            source=self.source or None,
            since=parse_time(self.since),
            until=parse_time(self.until),
            **more,
        )

    def echo(self) -> dict[str, str | None]:
        return {
            "actor": self.actor,
            "source": self.source,
            "since": self.since,
            "until": self.until,
        }


def filter_form(
    actor: Text = None, source: Text = None, since: Text = None, until: Text = None
) -> FilterForm:
    return FilterForm(actor, source, since, until)


Filtering = Annotated[FilterForm, Depends(filter_form)]


def highlighted(text: str, mentions: list[dict[str, Any]], claims: list[dict[str, Any]]) -> Markup:
    """The text, escaped, with actor mentions and claim sentences wrapped in marks."""
    cuts = {0, len(text)}
    for span in [*mentions, *claims]:
        cuts.update((max(0, min(span["start"], len(text))), max(0, min(span["end"], len(text)))))
    points = sorted(cuts)
    out: list[str] = []
    for start, end in itertools.pairwise(points):
        piece = str(escape(text[start:end]))
        actor = next((m for m in mentions if m["start"] <= start and end <= m["end"]), None)
        if actor is not None:
            title = escape(actor["actor_id"] or "")
            piece = f'<mark class="mention" title="{title}">{piece}</mark>'
        if any(c["start"] <= start and end <= c["end"] for c in claims):
            piece = f'<span class="claim-sentence">{piece}</span>'
        out.append(piece)
    return Markup("".join(out))


templates.env.filters["short_time"] = lambda v: (v or "")[:16].replace("T", " ")
templates.env.globals["url"] = url
