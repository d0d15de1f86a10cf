"""Dashboard pages: login, the stories list (home), a story, the actors and one actor."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from pipeline.store import alerts as alert_store
from pipeline.store import browse, manage
from pipeline.store.db import transaction
from workers.ui.session import COOKIE, PREFIX, SESSION_SECONDS, encode_session, is_login_token
from workers.ui.svg import bars, layout
from workers.ui.web import (
    DepsDep,
    FilterForm,
    Filtering,
    Posted,
    Text,
    User,
    highlighted,
    render,
    templates,
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _logged_in(request: Request, owner: str) -> Response:
    response = RedirectResponse(f"{PREFIX}/", status_code=303)
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(
        COOKIE,
        encode_session(request.app.state.deps.settings, owner),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure,
        path=PREFIX,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, deps: DepsDep, token: Text = None) -> Response:
    """With the token of the printed URL: log in as the local user; else the key form."""
    if token is not None:
        if is_login_token(deps.settings, token):
            return _logged_in(request, deps.settings.dashboard_owner)
        return _login_form(request, "That login link is not valid (any more).", 401)
    return _login_form(request, None, 200)


def _login_form(request: Request, error: str | None, status: int) -> Response:
    context = {"request": request, "user": None, "prefix": PREFIX, "error": error}
    return templates.TemplateResponse(request, "login.html", context, status_code=status)


@router.post("/login")
def login_with_key(
    request: Request, deps: DepsDep, api_key: Annotated[str, Form(max_length=200)]
) -> Response:
    """Log in with an API key (`newsmon keys create OWNER`): the key's owner is the user."""
    with deps.sessions() as session:
        owner = alert_store.owner_of_key(session, api_key.strip())
    if owner is None:
        return _login_form(request, "Unknown or revoked API key.", 401)
    return _logged_in(request, owner)


@router.post("/logout")
def logout(user: Posted) -> Response:
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


@router.get("/", response_class=HTMLResponse)
@router.get("/stories", response_class=HTMLResponse)
@router.get("/stories.json", response_class=HTMLResponse)
def home(
    request: Request,
    user: User,
    deps: DepsDep,
    form: Filtering,
    with_claims: bool = False,
    cursor: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The latest stories, filterable by actor, source, time range and 'with claims only'."""
    f = form.filters(with_claims=with_claims)
    with deps.sessions() as session:
        page = browse.page_stories(session, f, cursor=cursor, limit=30)
        names = browse.actor_names(session)
    data: dict[str, Any] = {
        "stories": page.items,
        "next_cursor": page.next_cursor,
        "filters": {**form.echo(), "with_claims": with_claims},
    }
    return render(request, "home.html", {**data, "names": names}, user)


@router.get("/stories/{story_id:int}", response_class=HTMLResponse)
@router.get("/stories/{story_id:int}.json", response_class=HTMLResponse)
def story_page(request: Request, story_id: int, user: User, deps: DepsDep) -> Response:
    """A story: outlets (independent versus copies), timeline, claims, highlighted text."""
    with deps.sessions() as session:
        story = browse.story_detail(session, story_id)
        names = browse.actor_names(session)
    if story is None:
        raise HTTPException(404, f"no story {story_id}")
    article = story["article"]
    marked = (
        highlighted(article["text"], article["mentions"], article["claim_spans"]) if article else ""
    )
    return render(
        request,
        "story.html",
        {"story": story, "names": names, "marked_text": marked, "timeline": timeline(story)},
        user,
    )


def timeline(story: dict[str, Any]) -> list[dict[str, Any]]:
    """Each outlet's first-seen time as an x position (0..1) across the story's spread."""
    outlets = story["outlets"]
    if not outlets:
        return []
    times = [datetime.fromisoformat(o["first_seen_at"]).timestamp() for o in outlets]
    start, span = min(times), (max(times) - min(times)) or 1.0
    return [
        {**o, "x": 40 + 680 * (t - start) / span, "after_s": round(t - start)}
        for o, t in zip(outlets, times, strict=True)
    ]


@router.get("/actors", response_class=HTMLResponse)
@router.get("/actors.json", response_class=HTMLResponse)
def actors_page(request: Request, user: User, deps: DepsDep) -> Response:
    with deps.sessions() as session:
        actors = browse.list_actors(session)
    return render(request, "actors.html", {"actors": actors}, user)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    request: Request,
    actor_id: str,
    user: User,
    deps: DepsDep,
    since: Text = None,
    until: Text = None,
    edge: Annotated[str | None, Query(max_length=600)] = None,
) -> Response:
    """An actor: aliases, mentions over time, its claim graph, and the claims of an edge."""
    as_json = actor_id.endswith(".json")
    actor_id = actor_id.removesuffix(".json")
    f = FilterForm(since=since, until=until).filters()
    with deps.sessions() as session:
        actor = next((a for a in browse.list_actors(session) if a["id"] == actor_id), None)
        if actor is None:
            raise HTTPException(404, f"no actor {actor_id}")
        names = browse.actor_names(session)
        days = browse.mentions_per_day(session, actor_id, f)
        edges = browse.claim_graph(session, actor_id, f)
        about = browse.Filters(actor=actor_id, since=f.since, until=f.until)
        claims = browse.page_claims(session, about, limit=100).items
        chosen = browse.edge_claims(session, edge, f) if edge else []
    data = {
        "actor": actor,
        "mentions_per_day": days,
        "edges": [e.to_json() for e in edges],
        "claims": claims,
        "edge": edge,
        "edge_claims": chosen,
        "filters": {"since": since, "until": until},
    }
    if as_json:
        return JSONResponse(jsonable_encoder(data))
    extra = {"graph": layout(actor_id, edges, names), "bars": bars(days), "names": names}
    return render(request, "actor.html", {**data, **extra}, user)


ActorTypes = ("PERSON", "ORG", "GPE", "NORP")
ACTOR_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,127}")


@router.post("/actors")
async def save_actor(request: Request, user: Posted, deps: DepsDep) -> Response:
    """Add or change an actor from the actors page (aliases: one per line or comma)."""
    form = await request.form()
    actor_id = str(form.get("id") or "").strip().lower()
    name = str(form.get("name") or "").strip()[:256]
    kind = str(form.get("type") or "ORG")
    raw = str(form.get("aliases") or "").replace("\n", ",")
    aliases = [a.strip()[:256] for a in raw.split(",") if a.strip()][:200]
    if (
        not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,127}", actor_id)
        or not name
        or kind not in ActorTypes
    ):
        raise HTTPException(422, "an actor needs an id (a-z, 0-9, -), a name and a type")
    with transaction(deps.sessions) as session:
        manage.save_actor(session, actor_id, name=name, type=kind, aliases=aliases)
    return RedirectResponse(f"{PREFIX}/actors/{actor_id}", status_code=303)


@router.post("/actors/{actor_id}/remove")
def remove_actor(actor_id: str, user: Posted, deps: DepsDep) -> Response:
    with transaction(deps.sessions) as session:
        if not manage.remove_actor(session, actor_id):
            raise HTTPException(404, f"no actor {actor_id}")
    return RedirectResponse(f"{PREFIX}/actors", status_code=303)
