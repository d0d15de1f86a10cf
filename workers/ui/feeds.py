"""Dashboard feeds: the health of every feed, add one (the poller discovers the feed of a
web page), pause, resume or remove one, and OPML import and export."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pipeline.errors import NewsmonError
from pipeline.feeds.health import health_page
from pipeline.feeds.netguard import check_scheme_and_host
from pipeline.feeds.opml import read_opml, write_opml
from pipeline.models import FeedSpec
from pipeline.store import browse, manage
from pipeline.store import feeds as feed_store
from pipeline.store.db import transaction
from workers.ui.session import PREFIX
from workers.ui.web import DepsDep, Posted, User, render

router = APIRouter(prefix=PREFIX, include_in_schema=False)
MAX_OPML_BYTES = 2 * 1024 * 1024
Field = Annotated[str, Form(max_length=2048)]


def _page(request: Request, user: User, deps: DepsDep, message: str | None = None) -> Response:
    with deps.sessions() as session:
        rows = browse.feeds_page(session, limit=1000)
    feeds = health_page(rows, state=None, limit=1000).items
    return render(request, "feeds.html", {"feeds": feeds, "message": message}, user)


@router.get("/feeds", response_class=HTMLResponse)
@router.get("/feeds.json", response_class=HTMLResponse)
def feeds_page(request: Request, user: User, deps: DepsDep, message: str | None = None) -> Response:
    return _page(request, user, deps, message)


def _back(message: str) -> Response:
    return RedirectResponse(f"{PREFIX}/feeds?message={quote(message)}", status_code=303)


@router.post("/feeds")
def add_feed(
    user: Posted,
    deps: DepsDep,
    url: Field,
    name: Field = "",
    source: Field = "",
    language: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Add a feed, or a web page whose feed the poller then discovers."""
    url = url.strip()
    try:
        check_scheme_and_host(url)
    except NewsmonError as exc:
        return _back(str(exc))
    spec = FeedSpec(url=url, name=name or None, source=source or None, language=language or None)
    with transaction(deps.sessions) as session:
        feed_id, created = feed_store.add_feed(session, spec, origin="api")
    return _back(f"{'added' if created else 'updated'} feed {feed_id}: {url}")


@router.post("/feeds/{feed_id:int}/{action}")
def change_feed(feed_id: int, action: str, user: Posted, deps: DepsDep) -> Response:
    """Pause, resume or remove a feed; the poller sees it on its next cycle."""
    with transaction(deps.sessions) as session:
        if action in ("pause", "resume"):
            found = manage.set_feed_enabled(session, feed_id, action == "resume") is not None
        elif action == "remove":
            found = manage.remove_feed(session, feed_id)
        else:
            raise HTTPException(404, f"no action {action}")
    if not found:
        raise HTTPException(404, f"no feed {feed_id}")
    return _back(f"feed {feed_id}: {action}d" if action != "pause" else f"feed {feed_id}: paused")


@router.get("/feeds.opml")
def export_opml(user: User, deps: DepsDep) -> Response:
    with deps.sessions() as session:
        rows = feed_store.list_feeds(session)
        specs = [FeedSpec(url=r.url, name=r.name, language=r.language) for r in rows]
    headers = {"Content-Disposition": 'attachment; filename="newsmon-feeds.opml"'}
    return Response(write_opml(specs), media_type="text/x-opml", headers=headers)


@router.post("/feeds/opml")
async def import_opml(user: Posted, deps: DepsDep, opml: UploadFile) -> Response:
    body = await opml.read(MAX_OPML_BYTES + 1)
    if len(body) > MAX_OPML_BYTES:
        return _back(f"OPML file over {MAX_OPML_BYTES} bytes")
    try:
        specs = read_opml(body)
    except NewsmonError as exc:
        return _back(str(exc))
    created = 0
    with transaction(deps.sessions) as session:
        for spec in specs:
            created += feed_store.add_feed(session, spec, origin="api")[1]
    return _back(f"imported {len(specs)} feed(s) from OPML, {created} new")
