"""Story read models: every outlet that carried a story, independent outlets versus copies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.store.articles import independent_outlets, story_outlets
from pipeline.store.tables import Story


def story_summary(session: Session, story: Story) -> dict[str, Any]:
    """A story with its first article's time, its outlets, and copies counted apart."""
    outlets = story_outlets(session, story.id)
    copies = sum(1 for o in outlets if o["duplicate_of"] is not None)
    return {
        "id": story.id,
        "title": story.title,
        "first_article_id": story.first_article_id,
        "first_seen_at": story.first_seen_at.isoformat(),
        "updated_at": story.updated_at.isoformat(),
        "articles": len(outlets),
        "independent_outlets": independent_outlets(outlets),
        "copies": copies,
        "outlets": outlets,
    }


def list_stories(
    session: Session, *, limit: int = 50, min_articles: int = 1
) -> list[dict[str, Any]]:
    """Most recently updated stories first."""
    stmt = select(Story).order_by(Story.updated_at.desc(), Story.id.desc()).limit(limit)
    summaries = [story_summary(session, s) for s in session.scalars(stmt)]
    return [s for s in summaries if s["articles"] >= min_articles]


def get_story(session: Session, story_id: int) -> dict[str, Any] | None:
    story = session.get(Story, story_id)
    return story_summary(session, story) if story else None
