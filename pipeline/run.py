"""The stages of one article's way, as functions the Celery tasks and the CLI both call.

ingest -> deduplicate -> extract -> match -> deliver. Each stage takes ids or values, does
its I/O through what it is handed (a session factory, a Redis client, the dedup index, the
extractor), commits its own transaction and returns the ids for the next stage. Every stage
is idempotent: running it again on the same input changes nothing twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from pipeline import stories
from pipeline.match import ArticleFacts, match_all
from pipeline.models import ArticleIn, Extraction
from pipeline.normalize import canonical_url, content_hash, url_key
from pipeline.render import alert_payload, set_alert_id
from pipeline.store import alerts as alert_store
from pipeline.store import articles as article_store
from pipeline.store import claims as claim_store
from pipeline.store.db import transaction
from pipeline.store.tables import Article, Story

if TYPE_CHECKING:
    import redis

    from pipeline.dedup import NearDuplicateIndex
    from pipeline.extract import Extractor

Sessions = sessionmaker[Session]
HASH_KEY = "newsmon:hash:{}"


def without_nul(article: ArticleIn) -> ArticleIn:
    """The article without NUL characters: JSON Feed may carry them, PostgreSQL text cannot
    hold them, and they never mean anything in news text."""
    fields: dict[str, Any] = {
        name: value.replace("\x00", "")
        for name in ("title", "text", "summary")
        if isinstance(value := getattr(article, name), str) and "\x00" in value
    }
    return dataclasses.replace(article, **fields) if fields else article


def article_identity(article: ArticleIn) -> tuple[str, str | None, str]:
    """(identity key, canonical URL, content hash) of an incoming article."""
    digest = content_hash(article.text or article.summary or article.title)
    if article.url:
        return url_key(article.url), canonical_url(article.url), digest
    return f"sha256:{digest}", None, digest


@dataclass(frozen=True, slots=True)
class Ingested:
    """Ids to process further, and ids of articles that were stored already and unchanged."""

    to_process: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    created: int = 0


def ingest(sessions: Sessions, articles: Sequence[ArticleIn], *, force: bool = False) -> Ingested:
    """Store each article (insert, or update when its content changed)."""
    result = Ingested()
    for article in map(without_nul, articles):
        key, canon, digest = article_identity(article)
        with transaction(sessions) as session:
            done = article_store.upsert_article(
                session, article, key=key, canonical_url=canon, content_hash=digest
            )
        # An unfinished article (a worker died after storing it) goes on even when unchanged.
        if done.changed or force or not done.finished:
            result.to_process.append(done.article_id)
        else:
            result.unchanged.append(done.article_id)
        if done.created:
            object.__setattr__(result, "created", result.created + 1)
    return result


@dataclass(frozen=True, slots=True)
class Deduplicated:
    originals: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)


def deduplicate(
    sessions: Sessions, redis: redis.Redis, index: NearDuplicateIndex, article_ids: Sequence[int]
) -> Deduplicated:
    """Mark exact and near copies (pointing at the first-seen original); return both lists."""
    result = Deduplicated()
    for article_id in article_ids:
        with transaction(sessions) as session:
            original, kind, similarity = _find_original(session, redis, index, article_id)
            if original is None:
                article_store.mark_original(session, article_id)
                result.originals.append(article_id)
            else:
                article_store.mark_duplicate(
                    session, article_id, original, kind=kind, similarity=similarity
                )
                result.duplicates.append(article_id)
    return result


def _find_original(
    session: Session, redis: redis.Redis, index: NearDuplicateIndex, article_id: int
) -> tuple[int | None, str, float | None]:
    row = article_store.get_article(session, article_id)
    earlier = article_store.find_original_by_hash(session, row.content_hash, article_id)
    if earlier is not None and earlier.id < article_id:
        return earlier.id, "exact", 1.0
    # SET NX decides between two copies that arrive at the same instant: the first writer wins.
    key = HASH_KEY.format(row.content_hash)
    redis.set(key, article_id, nx=True)
    winner = int(redis.get(key) or article_id)
    if winner != article_id and session.get(Article, winner) is not None:
        return winner, "exact", 1.0
    body = row.text or row.summary or row.title
    now = row.first_seen_at.timestamp()
    near = index.check_and_insert(str(article_id), body, now=now)
    if near is not None and near != str(article_id) and session.get(Article, int(near)) is not None:
        return int(near), "near", None
    return None, "", None


def extract(
    sessions: Sessions, extractor: Extractor, article_ids: Sequence[int]
) -> dict[int, Extraction]:
    """Run extraction over the originals among `article_ids` in one batch and store it."""
    with sessions() as session:
        rows = [session.get(Article, i) for i in article_ids]
        todo = [(r.id, (r.title, r.text)) for r in rows if r and r.duplicate_of is None]
    # Imported here: the extractor (and spaCy) is loaded already when this stage runs.
    from pipeline.extract.denials import contradiction_terms, contradicts

    results: dict[int, Extraction] = {}
    for (article_id, _), extraction in zip(
        todo, extractor.extract_articles(t for _, t in todo), strict=True
    ):
        with transaction(sessions) as session:
            claim_store.replace_extraction(
                session, article_id, extraction, contradicts, contradiction_terms
            )
            article_store.set_status(session, article_id, "extracted")
        results[article_id] = extraction
    return results


def assign_story(session: Session, article_id: int) -> int:
    """The story an original belongs to: kept, joined (same event) or newly opened."""
    return stories.assign_story(session, article_id)


def story_view(session: Session, story_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    story = session.get_one(Story, story_id)
    outlets = article_store.story_outlets(session, story_id)
    view = {
        "id": story.id,
        "title": story.title,
        "first_seen_at": story.first_seen_at.isoformat(),
        "first_article_id": story.first_article_id,
    }
    return view, outlets


def article_view(row: Article) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "url": row.url,
        "source": row.source,
        "language": row.language,
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "first_seen_at": row.first_seen_at.isoformat(),
    }


@dataclass(frozen=True, slots=True)
class Matched:
    alerts: list[int] = field(default_factory=list)
    deliveries: list[int] = field(default_factory=list)


def match(
    sessions: Sessions,
    article_ids: Sequence[int],
    *,
    alerts_enabled: bool = True,
    base_url: str | None = None,
) -> Matched:
    """Group each original into a story, match subscriptions, create alerts and deliveries.

    One alert per subscription and story: the alert's dedupe key is the story id, and the
    unique index makes a second match of the same story (a copy, a rerun) a no-op. A
    subscription with `updates` gets one `update` alert per growth step of the story
    instead. Alerts and their deliveries commit together with the article's status, so a
    worker dying in between leaves neither.
    """
    result = Matched()
    for article_id in article_ids:
        with transaction(sessions) as session:
            row = session.get(Article, article_id)
            if row is None or row.duplicate_of is not None:
                continue
            story_id = assign_story(session, article_id)
            if alerts_enabled:
                _alert(session, row, story_id, base_url, result)
            article_store.set_status(session, article_id, "processed")
    return result


def _alert(
    session: Session, row: Article, story_id: int, base_url: str | None, result: Matched
) -> None:
    facts = ArticleFacts(
        article_id=row.id,
        story_id=story_id,
        source=row.source,
        language=row.language,
        extraction=claim_store.load_extraction(session, row.id),
    )
    found_all = match_all(alert_store.active_subscriptions(session), facts)
    if not found_all:
        return
    story, outlets = story_view(session, story_id)
    # Syndicated copies are listed among the outlets but not counted as independent.
    outlets = [{**o, "independent": o.get("duplicate_of") is None} for o in outlets]
    for found in found_all:
        sub = found.subscription
        if not found.claims:
            # An actor rule still shows (and compares, for updates) the claims about its actors.
            ids = set(found.actor_ids)
            about = [
                c
                for c in facts.extraction.claims
                if ids & {r.id for r in (c.subject, c.object, c.speaker) if r is not None}
            ]
            found = replace(found, claims=tuple(about))
        payload = alert_payload(
            alert_id=None,
            subscription=sub,
            story=story,
            article=article_view(row),
            outlets=outlets,
            match=found,
            base_url=base_url,
            created_at=datetime.now(UTC),
        )
        alert_id = alert_store.create_alert(
            session,
            subscription=sub,
            story_id=story_id,
            article_id=row.id,
            kind="alert",
            dedupe_key=f"story:{story_id}",
            payload=payload,
        )
        if alert_id is None and sub.updates:
            made = alert_store.create_update(
                session, subscription=sub, story_id=story_id, article_id=row.id, payload=payload
            )
            alert_id, payload = made if made else (None, payload)
        if alert_id is None:
            continue
        alert_store.set_payload(session, alert_id, set_alert_id(payload, alert_id, base_url))
        result.alerts.append(alert_id)
        if sub.mode == "instant":
            result.deliveries.append(alert_store.create_delivery(session, alert_id, sub))
