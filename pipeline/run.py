"""The stages of one article's way, as functions the Celery tasks and the CLI both call.

ingest -> deduplicate -> extract -> match -> deliver. Each stage takes ids or values, does
its I/O through what it is handed (a session factory, a Redis client, the dedup index, the
extractor), commits its own transaction and returns the ids for the next stage. Every stage
is idempotent: running it again on the same input changes nothing twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pipeline.alerts.compose import (
    Draft,
    Earlier,
    StoryContext,
    compose,
    marked_outlets,
    update_draft,
)
from pipeline.alerts.match import ArticleFacts, match_all
from pipeline.dedup import stories
from pipeline.dedup.normalize import canonical_url, content_hash, cut_text, url_key
from pipeline.models import ArticleIn, Extraction, SubscriptionSpec
from pipeline.store import alerts as alert_store
from pipeline.store import articles as article_store
from pipeline.store import claims as claim_store
from pipeline.store.db import Session, Sessions, transaction
from pipeline.store.rows import Article

if TYPE_CHECKING:
    import redis

    from pipeline.dedup import NearDuplicateIndex
    from pipeline.extract import Extractor

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
    """Store each article (insert, or update when its content changed), all in one
    transaction: a batch commits once. Any failure rolls the whole batch back (callers retry
    it one article at a time to isolate a poisoned one)."""
    result = Ingested()
    created = 0
    with transaction(sessions) as session:
        for article in map(without_nul, articles):
            key, canon, digest = article_identity(article)
            done = article_store.upsert_article(
                session, article, key=key, canonical_url=canon, content_hash=digest
            )
            # An unfinished article (a worker died after storing it) goes on even unchanged.
            if done.changed or force or not done.finished:
                result.to_process.append(done.article_id)
            else:
                result.unchanged.append(done.article_id)
            created += done.created
    object.__setattr__(result, "created", created)
    return result


@dataclass(frozen=True, slots=True)
class Deduplicated:
    originals: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)


def deduplicate(
    sessions: Sessions, redis: redis.Redis, index: NearDuplicateIndex, article_ids: Sequence[int]
) -> Deduplicated:
    """Mark exact and near copies (pointing at the first-seen original); return both lists.

    One transaction for the batch; articles are decided in order, so a later article of the
    batch can be a copy of an earlier one."""
    result = Deduplicated()
    with transaction(sessions) as session:
        article_store.get_articles(session, article_ids)  # one query; then the identity map
        for article_id in article_ids:
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
    with redis.pipeline(transaction=False) as pipe:  # one round trip; GET sees the SET
        pipe.set(key, article_id, nx=True)
        pipe.get(key)
        _, stored = pipe.execute()
    winner = int(stored or article_id)
    if winner != article_id and article_store.article_exists(session, winner):
        return winner, "exact", 1.0
    body = row.text or row.summary or row.title
    now = row.first_seen_at.timestamp()
    near = index.check_and_insert(str(article_id), body, now=now)
    if (
        near is not None
        and near != str(article_id)
        and article_store.article_exists(session, int(near))
    ):
        return int(near), "near", None
    return None, "", None


@dataclass(frozen=True, slots=True)
class TextLimits:
    """How much of a long text extraction reads and in what pieces (0: no limit)."""

    max_chars: int = 0
    chunk_chars: int = 0


def extract(
    sessions: Sessions,
    extractor: Extractor,
    article_ids: Sequence[int],
    *,
    limits: TextLimits = TextLimits(),
) -> dict[int, Extraction]:
    """Run extraction over the originals among `article_ids` in one batch and store it.

    A text longer than `limits.max_chars` is cut (`normalize.cut_text`); one longer than
    `limits.chunk_chars` is extracted in chunks (`extract.chunks`); the article's `note`
    says so. The stored text stays whole.
    """
    with sessions() as session:
        rows = article_store.get_articles(session, article_ids)
        todo = [
            (r.id, (r.title, r.text))
            for i in article_ids
            if (r := rows.get(i)) is not None and r.duplicate_of is None
        ]
    # Imported here: the extractor (and spaCy) is loaded already when this stage runs.
    from pipeline.extract.chunks import merge, split_text
    from pipeline.extract.denials import contradiction_terms, contradicts

    notes: dict[int, str] = {}
    # (article id, offset into its text, title, chunk): the title goes with the first chunk.
    pieces: list[tuple[int, int, str, str]] = []
    for article_id, (title, text) in todo:
        cut = cut_text(text, limits.max_chars)
        chunks = split_text(cut, limits.chunk_chars)
        pieces.extend(
            (article_id, offset, title if n == 0 else "", chunk)
            for n, (offset, chunk) in enumerate(chunks)
        )
        if note := _length_note(len(text), len(cut), len(chunks), limits):
            notes[article_id] = note
    parts: dict[int, list[tuple[int, Extraction]]] = {i: [] for i, _ in todo}
    # spaCy runs outside any transaction; the batch's results are stored in one.
    for (article_id, offset, _, _), extraction in zip(
        pieces, extractor.extract_articles((t, c) for _, _, t, c in pieces), strict=True
    ):
        parts[article_id].append((offset, extraction))
    results = {article_id: merge(found) for article_id, found in parts.items()}
    with transaction(sessions) as session:
        claim_store.replace_extractions(session, results, contradicts, contradiction_terms)
        for article_id in results:
            # The rows are in the session's identity map: no query each.
            article_store.set_status(session, article_id, "extracted")
            article_store.set_note(session, article_id, notes.get(article_id))
    return results


def _length_note(length: int, cut: int, chunks: int, limits: TextLimits) -> str | None:
    said = []
    if cut < length:
        said.append(
            f"text cut for extraction: the first {cut:,} of {length:,} characters were "
            f"extracted (extract_max_chars {limits.max_chars:,})"
        )
    if chunks > 1:
        said.append(
            f"extracted in {chunks} chunks of up to {limits.chunk_chars:,} characters "
            "(extract_chunk_chars); pronouns and quotes are not followed across chunks"
        )
    return "; ".join(said) or None


def assign_story(session: Session, article_id: int) -> int:
    """The story an original belongs to: kept, joined (same event) or newly opened."""
    return stories.assign_story(session, article_id)


def story_view(session: Session, story_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    story = article_store.get_story(session, story_id)
    outlets = article_store.story_outlets(session, story_id)
    view = {
        "id": story.id,
        "title": story.title,
        "first_seen_at": story.first_seen_at.isoformat(),
        "first_article_id": story.first_article_id,
    }
    return view, outlets


# An alert payload's article is the one the API and the dashboard show.
article_view = article_store.article_json


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
    with transaction(sessions) as session:
        rows = article_store.get_articles(session, article_ids)
        subscriptions = alert_store.active_subscriptions(session) if alerts_enabled else []
        originals = list(
            {i: r for i in article_ids if (r := rows.get(i)) and r.duplicate_of is None}.values()
        )
        # Reads first, then the writes: on SQLite the first write holds the one write lock
        # until commit, so the batch's grouping decisions are made before it.
        story_ids = stories.StoryGrouper(session).assign_all(originals)
        for row in originals:
            if subscriptions:
                _alert(session, row, story_ids[row.id], base_url, subscriptions, result)
            article_store.set_status(session, row.id, "processed")
    return result


def _alert(
    session: Session,
    row: Article,
    story_id: int,
    base_url: str | None,
    subscriptions: Sequence[SubscriptionSpec],
    result: Matched,
) -> None:
    """One article's alerts: read what matching needs, match; read the story's context for
    the matches, compose (pure), write."""
    facts = ArticleFacts(
        article_id=row.id,
        story_id=story_id,
        source=row.source,
        language=row.language,
        extraction=claim_store.load_extraction(session, row.id),
    )
    found = match_all(subscriptions, facts)
    if not found:
        return
    context = _story_context(session, row, story_id, facts.extraction)
    earlier = _earlier(session, story_id, [f.subscription for f in found])
    drafts = compose(found, context, earlier, base_url=base_url, now=datetime.now(UTC))
    raced = _write(session, drafts, result)
    if raced:
        # Another worker alerted the same story meanwhile: what it wrote is read now, and an
        # update composed from it (the unique index refuses the alert we composed).
        earlier = _earlier(session, story_id, [d.subscription for d in raced])
        ups = [update_draft(d, earlier.get(_id(d.subscription), ())) for d in raced]
        _write(session, [d for d in ups if d is not None], result)


def _story_context(
    session: Session, row: Article, story_id: int, extraction: Extraction
) -> StoryContext:
    story, outlets = story_view(session, story_id)
    return StoryContext(
        story_id=story_id,
        article_id=row.id,
        extraction=extraction,
        story=story,
        article=article_view(row),
        outlets=marked_outlets(outlets),
    )


def _id(sub: SubscriptionSpec) -> int:
    assert sub.id is not None  # subscriptions come from the table
    return sub.id


def _earlier(
    session: Session, story_id: int, subs: Sequence[SubscriptionSpec]
) -> dict[int, list[Earlier]]:
    alerts = alert_store.story_alerts(session, story_id, [_id(s) for s in subs])
    return {i: [Earlier(a.id, a.payload) for a in rows] for i, rows in alerts.items()}


def _write(session: Session, drafts: Sequence[Draft], result: Matched) -> list[Draft]:
    """Insert each draft with its delivery; returns the alerts another worker wrote first
    whose subscriptions want updates (the caller composes those)."""
    raced = []
    for draft in drafts:
        alert_id = alert_store.create_alert(
            session,
            subscription=draft.subscription,
            story_id=draft.story_id,
            article_id=draft.article_id,
            kind=draft.kind,
            dedupe_key=draft.dedupe_key,
            payload=draft.payload,
        )
        if alert_id is None:
            if draft.kind == "alert" and draft.subscription.updates:
                raced.append(draft)
            continue
        alert_store.set_payload(session, alert_id, draft.finished(alert_id))
        result.alerts.append(alert_id)
        if draft.instant:
            result.deliveries.append(
                alert_store.create_delivery(session, alert_id, draft.subscription)
            )
    return raced
