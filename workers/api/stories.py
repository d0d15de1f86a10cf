"""Story endpoints: every outlet that carried a story, its first-seen time, copies apart."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query

from pipeline.store.stories import get_story, list_stories
from workers.api.auth import DepsDep, Owner
from workers.api.limits import RowId

router = APIRouter(prefix="/stories", tags=["stories"])


@router.get("")
def stories(
    owner: Owner,
    deps: DepsDep,
    limit: int = Query(50, ge=1, le=500),
    min_articles: int = Query(1, ge=1),
) -> list[dict[str, Any]]:
    """Recent stories with article count, independent outlets and syndicated copies."""
    with deps.sessions() as session:
        return list_stories(session, limit=limit, min_articles=min_articles)


@router.get("/{story_id}")
def story(story_id: RowId, owner: Owner, deps: DepsDep) -> dict[str, Any]:
    """One story and every outlet that carried it, oldest first."""
    with deps.sessions() as session:
        found = get_story(session, story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id}")
    return found
