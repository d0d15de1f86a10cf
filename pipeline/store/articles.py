"""Article and story rows: upsert by identity key, duplicate links, status, listings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from pipeline.models import ArticleIn
from pipeline.store.rows import row_json, row_values
from pipeline.store.tables import Article, Story, utcnow
from pipeline.store.upsert import insert_ignore

ARTICLE_COLUMNS = (
    "id", "title", "url", "source", "language", "story_id", "duplicate_of", "duplicate_kind",
    "status", "published_at", "first_seen_at",
)  # fmt: skip
# What an operator looks at besides: why it failed or was cut, where it came from.
RECORD_COLUMNS = ("error", "note", "origin", "extractor_version")


def article_json(row: Article) -> dict[str, Any]:
    """An article as the API, the dashboard and alert payloads show it (times as ISO text)."""
    return row_json(row, ARTICLE_COLUMNS)


def article_record(row: Article) -> dict[str, Any]:
    """An article with its processing record, values as stored (the CLI listing)."""
    return row_values(row, (*ARTICLE_COLUMNS, *RECORD_COLUMNS))


@dataclass(frozen=True, slots=True)
class Upserted:
    """What `upsert_article` did: the row id, whether it was new, whether its content changed."""

    article_id: int
    created: bool
    changed: bool
    finished: bool = False
    """The stored article had gone through the whole pipeline before this call."""


def upsert_article(
    session: Session, article: ArticleIn, *, key: str, canonical_url: str | None, content_hash: str
) -> Upserted:
    """Insert the article under `key`, or update the stored one when its content changed."""
    now = utcnow()
    values: dict[str, Any] = {
        "key": key,
        "url": article.url,
        "canonical_url": canonical_url,
        "title": article.title,
        "text": article.text,
        "summary": article.summary,
        "source": article.source,
        "language": article.language,
        "origin": article.origin,
        "feed_id": article.feed_id,
        "guid": article.guid,
        "published_at": article.published,
        "fetched_at": article.fetched or now,
        "first_seen_at": now,
        "updated_at": now,
        "content_hash": content_hash,
        "status": "pending",
    }
    created = insert_ignore(session, Article.__table__, values, ["key"])
    row = session.execute(select(Article).where(Article.key == key)).scalar_one()
    if created:
        return Upserted(row.id, True, True)
    changed = row.content_hash != content_hash or row.title != article.title
    finished = row.status in ("processed", "duplicate")
    if changed:
        for name in ("title", "text", "summary", "url", "published_at", "content_hash"):
            setattr(row, name, values[name])
        row.updated_at = now
        row.status = "pending"
    return Upserted(row.id, False, changed, finished)


def get_article(session: Session, article_id: int) -> Article:
    return session.get_one(Article, article_id)


def article_exists(session: Session, article_id: int) -> bool:
    return session.get(Article, article_id) is not None


def get_story(session: Session, story_id: int) -> Story:
    return session.get_one(Story, story_id)


def id_by_key(session: Session, key: str) -> int | None:
    """The id of the article stored under identity key `key`, if any."""
    return session.scalar(select(Article.id).where(Article.key == key))


def original_texts(session: Session) -> list[tuple[int, str, str]]:
    """(id, title, text) of every stored original (copies carry no extraction), oldest first."""
    stmt = select(Article.id, Article.title, Article.text).where(Article.duplicate_of.is_(None))
    return [(i, title, text) for i, title, text in session.execute(stmt.order_by(Article.id))]


def get_articles(session: Session, article_ids: Sequence[int]) -> dict[int, Article]:
    """The stored articles among `article_ids`, by id, in one query (missing ids are absent)."""
    if not article_ids:
        return {}
    rows = session.scalars(select(Article).where(Article.id.in_(list(article_ids))))
    return {r.id: r for r in rows}


def find_original_by_hash(session: Session, content_hash: str, article_id: int) -> Article | None:
    """The earliest stored original with this content hash, other than `article_id`."""
    stmt = (
        select(Article)
        .where(Article.content_hash == content_hash, Article.id != article_id)
        .where(Article.duplicate_of.is_(None))
        .order_by(Article.id)
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def original_of(session: Session, article_id: int) -> int:
    """Follow `duplicate_of` to the first-seen original (copies of copies point home)."""
    seen = set()
    current = session.get_one(Article, article_id)
    while current.duplicate_of is not None and current.id not in seen:
        seen.add(current.id)
        current = session.get_one(Article, current.duplicate_of)
    return current.id


def mark_duplicate(
    session: Session, article_id: int, original_id: int, *, kind: str, similarity: float | None
) -> None:
    """Record `article_id` as a copy of `original_id` (joining its story); it is not extracted."""
    original = session.get_one(Article, original_of(session, original_id))
    row = session.get_one(Article, article_id)
    row.duplicate_of = original.id
    row.duplicate_kind = kind
    row.similarity = similarity
    row.story_id = original.story_id
    row.status = "duplicate"
    row.processed_at = utcnow()


def mark_original(session: Session, article_id: int) -> None:
    """Clear a stale duplicate link (reprocessing an article that is now an original)."""
    row = session.get_one(Article, article_id)
    if row.duplicate_of is not None:
        row.duplicate_of = None
        row.duplicate_kind = None
        row.similarity = None


def ensure_story(session: Session, article_id: int, story_id: int | None = None) -> int:
    """Attach the article to `story_id`, or to a new story it opens; returns the story id."""
    row = session.get_one(Article, article_id)
    if row.story_id is not None and story_id is None:
        return row.story_id
    if story_id is None:
        return attach_stories(session, [row], {}, {row.id: row.id})[row.id]
    return attach_stories(session, [row], {row.id: story_id}, {})[row.id]


def attach_stories(
    session: Session, rows: Sequence[Article], joined: dict[int, int], founded: dict[int, int]
) -> dict[int, int]:
    """Write a batch's story decisions; returns every decided article's story id.

    `joined`: article id -> an existing story; `founded`: article id -> the article of the
    batch that opens its story (a founder maps to itself). New stories are inserted in one
    flush and the joined ones touched in one statement: the write lock is held briefly.
    """
    by_id = {r.id: r for r in rows}
    new = {
        i: Story(title=by_id[i].title, first_article_id=i, first_seen_at=by_id[i].first_seen_at)
        for i in sorted(set(founded.values()))
    }
    session.add_all(new.values())
    if new:
        session.flush()
    assigned = {**joined, **{i: new[founder].id for i, founder in founded.items()}}
    for article_id, story_id in assigned.items():
        by_id[article_id].story_id = story_id
    # A new story's updated_at is its creation time already.
    touched = sorted(set(joined.values()))
    if touched:
        stmt = update(Story).where(Story.id.in_(touched)).values(updated_at=utcnow())
        session.execute(stmt.execution_options(synchronize_session=False))
    return assigned


def set_status(session: Session, article_id: int, status: str, error: str | None = None) -> None:
    row = session.get_one(Article, article_id)
    row.status = status
    row.error = error
    row.processed_at = utcnow()


def set_note(session: Session, article_id: int, note: str | None) -> None:
    """Say what processing left out of the article (None: nothing)."""
    session.get_one(Article, article_id).note = note


def story_outlets(session: Session, story_id: int) -> list[dict[str, Any]]:
    """Every article of a story, oldest first, with source, URL and whether it is a copy."""
    # A copy processed before its original joined a story has no story id of its own yet.
    members = select(Article.id).where(Article.story_id == story_id)
    rows = session.execute(
        select(Article)
        .where(or_(Article.story_id == story_id, Article.duplicate_of.in_(members)))
        .order_by(Article.first_seen_at, Article.id)
    ).scalars()
    return [
        {
            "article_id": r.id,
            "source": r.source,
            "url": r.url,
            "title": r.title,
            "first_seen_at": r.first_seen_at.isoformat(),
            "duplicate_of": r.duplicate_of,
        }
        for r in rows
    ]


def independent_outlets(outlets: list[dict[str, Any]]) -> int:
    """Outlets that carried their own article, as opposed to syndicated copies."""
    return len(
        {o["source"] or f"article:{o['article_id']}" for o in outlets if o["duplicate_of"] is None}
    )
