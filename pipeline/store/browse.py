"""Read models of the dashboard and the JSON API: filtered lists with cursors, one story,
one actor with its claim graph. Both the pages and the API call these, so they never drift.

Lists are newest first and paged by keyset: `cursor` is the last id of the previous page,
and a page of exactly `limit` rows returns the cursor of the next one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pipeline.models import parse_item_times, publishing_interval
from pipeline.store.articles import independent_outlets, story_outlets
from pipeline.store.claims import claim_summary
from pipeline.store.tables import ActorRow, Article, ClaimRow, Feed, MentionRow, Story, utcnow


@dataclass(frozen=True, slots=True)
class Filters:
    """Filters shared by the lists; every one is optional."""

    actor: str | None = None
    predicate: str | None = None
    negated: bool | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    with_claims: bool = False


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: int | None = None


def _paged(stmt: Any, id_column: Any, cursor: int | None, limit: int) -> Any:
    if cursor is not None:
        stmt = stmt.where(id_column < cursor)
    return stmt.order_by(id_column.desc()).limit(limit)


def _next(items: list[dict[str, Any]], limit: int) -> int | None:
    return int(items[-1]["id"]) if len(items) == limit and items else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# -- articles


def article_json(row: Article) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "url": row.url,
        "source": row.source,
        "language": row.language,
        "story_id": row.story_id,
        "duplicate_of": row.duplicate_of,
        "duplicate_kind": row.duplicate_kind,
        "status": row.status,
        "published_at": _iso(row.published_at),
        "first_seen_at": _iso(row.first_seen_at),
    }


def _article_filters(stmt: Any, f: Filters) -> Any:
    if f.actor:
        mentioned = select(MentionRow.article_id).where(MentionRow.actor_id == f.actor)
        stmt = stmt.where(Article.id.in_(mentioned))
    if f.source:
        stmt = stmt.where(Article.source == f.source)
    if f.since:
        stmt = stmt.where(Article.first_seen_at >= f.since)
    if f.until:
        stmt = stmt.where(Article.first_seen_at < f.until)
    if f.with_claims or f.predicate or f.negated is not None:
        claims = select(ClaimRow.article_id)
        if f.predicate:
            claims = claims.where(ClaimRow.predicate == f.predicate)
        if f.negated is not None:
            claims = claims.where(ClaimRow.negated.is_(f.negated))
        stmt = stmt.where(Article.id.in_(claims))
    return stmt


def page_articles(
    session: Session, f: Filters, *, cursor: int | None = None, limit: int = 50
) -> Page:
    stmt = _paged(_article_filters(select(Article), f), Article.id, cursor, limit)
    items = [article_json(r) for r in session.scalars(stmt)]
    return Page(items, _next(items, limit))


# -- claims


def claim_view(row: ClaimRow, article: Article | None = None) -> dict[str, Any]:
    """A stored claim for listings: ids, texts, flags, its sentence and its article."""
    data = {
        "id": row.id,
        "article_id": row.article_id,
        "subject_id": row.subject_id,
        "subject": row.subject_text,
        "predicate": row.predicate,
        "object_id": row.object_id,
        "object": row.object_text,
        "theme": row.theme,
        "speaker_id": row.speaker_id,
        "speaker": row.speaker_text,
        "negated": row.negated,
        "hedged": row.hedged,
        "quantity": row.quantity,
        "sentence": row.sentence,
        "confidence": row.confidence,
        "summary": claim_summary(row),
        "created_at": _iso(row.created_at),
    }
    if article is not None:
        data.update(
            source=article.source,
            title=article.title,
            story_id=article.story_id,
            url=article.url,
            published_at=_iso(article.published_at or article.first_seen_at),
        )
    return data


def _claim_filters(stmt: Any, f: Filters) -> Any:
    if f.actor:
        stmt = stmt.where(
            or_(
                ClaimRow.subject_id == f.actor,
                ClaimRow.object_id == f.actor,
                ClaimRow.speaker_id == f.actor,
            )
        )
    if f.predicate:
        stmt = stmt.where(ClaimRow.predicate == f.predicate)
    if f.negated is not None:
        stmt = stmt.where(ClaimRow.negated.is_(f.negated))
    if f.source:
        stmt = stmt.where(Article.source == f.source)
    if f.since:
        stmt = stmt.where(Article.first_seen_at >= f.since)
    if f.until:
        stmt = stmt.where(Article.first_seen_at < f.until)
    return stmt


def page_claims(
    session: Session, f: Filters, *, cursor: int | None = None, limit: int = 50
) -> Page:
    stmt = select(ClaimRow, Article).join(Article, Article.id == ClaimRow.article_id)
    stmt = _paged(_claim_filters(stmt, f), ClaimRow.id, cursor, limit)
    items = [claim_view(c, a) for c, a in session.execute(stmt)]
    return Page(items, _next(items, limit))


def claims_after(session: Session, after_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """Claims stored after `after_id`, oldest first (the live page's feed)."""
    stmt = (
        select(ClaimRow, Article)
        .join(Article, Article.id == ClaimRow.article_id)
        .where(ClaimRow.id > after_id)
        .order_by(ClaimRow.id)
        .limit(limit)
    )
    return [claim_view(c, a) for c, a in session.execute(stmt)]


def last_claim_id(session: Session) -> int:
    return int(session.scalar(select(func.max(ClaimRow.id))) or 0)


# -- actors


def actor_json(row: ActorRow, mentions: int = 0) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "type": row.type,
        "aliases": list(row.aliases or []),
        "mentions": mentions,
    }


def list_actors(session: Session) -> list[dict[str, Any]]:
    """Every actor with its mention count, most mentioned first."""
    counts = dict(
        session.execute(
            select(MentionRow.actor_id, func.count())
            .where(MentionRow.actor_id.is_not(None))
            .group_by(MentionRow.actor_id)
        ).all()
    )
    rows = list(session.scalars(select(ActorRow)))
    items = [actor_json(r, counts.get(r.id, 0)) for r in rows]
    return sorted(items, key=lambda a: (-a["mentions"], a["name"].lower()))


def actor_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(ActorRow.id, ActorRow.name)).tuples().all())


def mentions_per_day(
    session: Session, actor_id: str, f: Filters = Filters()
) -> list[tuple[str, int]]:
    """(YYYY-MM-DD, articles mentioning the actor that day), by publication time, oldest first."""
    when = func.coalesce(Article.published_at, Article.first_seen_at)
    stmt = (
        select(Article.id, when)
        .join(MentionRow, MentionRow.article_id == Article.id)
        .where(MentionRow.actor_id == actor_id)
        .distinct()
    )
    if f.since:
        stmt = stmt.where(when >= f.since)
    if f.until:
        stmt = stmt.where(when < f.until)
    days: dict[str, int] = defaultdict(int)
    for _, at in session.execute(stmt):
        if at is not None:
            day = at.date().isoformat() if isinstance(at, datetime) else str(at)[:10]
            days[day] += 1
    return sorted(days.items())


@dataclass(frozen=True, slots=True)
class Edge:
    """Claims with one subject, predicate, object and polarity, weighed by outlets."""

    subject: str
    predicate: str
    object: str
    negated: bool
    claims: int
    outlets: int

    @property
    def key(self) -> str:
        return f"{self.subject}|{self.predicate}|{self.object}|{int(self.negated)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "negated": self.negated,
            "claims": self.claims,
            "outlets": self.outlets,
        }


def claim_graph(session: Session, actor_id: str, f: Filters = Filters()) -> list[Edge]:
    """The actor's claim edges to its counterparts (tracked actors on both ends).

    Weight (`outlets`) counts the independent outlets (sources of originals, copies left
    out) that carried a claim of the edge. Ordered by weight, heaviest first.
    """
    stmt = (
        select(ClaimRow, Article)
        .join(Article, Article.id == ClaimRow.article_id)
        .where(ClaimRow.subject_id.is_not(None), ClaimRow.object_id.is_not(None))
        .where(ClaimRow.subject_id != ClaimRow.object_id)
        .where(or_(ClaimRow.subject_id == actor_id, ClaimRow.object_id == actor_id))
    )
    stmt = _claim_filters(stmt, Filters(source=f.source, since=f.since, until=f.until))
    claims: dict[tuple[str, str, str, bool], int] = defaultdict(int)
    outlets: dict[tuple[str, str, str, bool], set[str]] = defaultdict(set)
    for c, a in session.execute(stmt):
        key = (str(c.subject_id), c.predicate, str(c.object_id), bool(c.negated))
        claims[key] += 1
        if a.duplicate_of is None:
            outlets[key].add(a.source or f"article:{a.id}")
    edges = [Edge(*k, claims=n, outlets=len(outlets[k])) for k, n in claims.items()]
    return sorted(edges, key=lambda e: (-e.outlets, -e.claims, e.key))


def edge_claims(
    session: Session, edge_key: str, f: Filters = Filters(), limit: int = 200
) -> list[dict[str, Any]]:
    """The claims of one graph edge (`subject|predicate|object|negated`), newest first."""
    try:
        subject, predicate, obj, negated = edge_key.split("|")
    except ValueError:
        return []
    stmt = (
        select(ClaimRow, Article)
        .join(Article, Article.id == ClaimRow.article_id)
        .where(ClaimRow.subject_id == subject, ClaimRow.object_id == obj)
        .where(ClaimRow.predicate == predicate, ClaimRow.negated.is_(negated == "1"))
    )
    stmt = _claim_filters(stmt, Filters(source=f.source, since=f.since, until=f.until))
    stmt = stmt.order_by(ClaimRow.id.desc()).limit(limit)
    return [claim_view(c, a) for c, a in session.execute(stmt)]


# -- stories


def _story_claim_count(session: Session, story_id: int) -> int:
    members = select(Article.id).where(Article.story_id == story_id)
    return int(
        session.scalar(
            select(func.count()).select_from(ClaimRow).where(ClaimRow.article_id.in_(members))
        )
        or 0
    )


def _story_actors(session: Session, story_id: int) -> list[str]:
    members = select(Article.id).where(Article.story_id == story_id)
    stmt = (
        select(MentionRow.actor_id)
        .where(MentionRow.article_id.in_(members), MentionRow.actor_id.is_not(None))
        .group_by(MentionRow.actor_id)
        .order_by(func.count().desc(), MentionRow.actor_id)
    )
    return [str(a) for a in session.scalars(stmt)]


def story_card(session: Session, story: Story) -> dict[str, Any]:
    outlets = story_outlets(session, story.id)
    return {
        "id": story.id,
        "title": story.title,
        "first_seen_at": _iso(story.first_seen_at),
        "updated_at": _iso(story.updated_at),
        "articles": len(outlets),
        "independent_outlets": independent_outlets(outlets),
        "copies": sum(1 for o in outlets if o["duplicate_of"] is not None),
        "sources": sorted({o["source"] for o in outlets if o["source"]}),
        "claims": _story_claim_count(session, story.id),
        "actors": _story_actors(session, story.id),
    }


def page_stories(
    session: Session, f: Filters, *, cursor: int | None = None, limit: int = 50
) -> Page:
    """Stories, newest first, filtered through their articles (actor, source, time, claims)."""
    stmt = select(Story)
    if f.actor or f.source or f.with_claims or f.predicate or f.negated is not None:
        members = _article_filters(select(Article.story_id), Filters(**{**_fields(f)}))
        stmt = stmt.where(Story.id.in_(members.where(Article.story_id.is_not(None))))
    if f.since:
        stmt = stmt.where(Story.updated_at >= f.since)
    if f.until:
        stmt = stmt.where(Story.first_seen_at < f.until)
    stmt = _paged(stmt, Story.id, cursor, limit)
    items = [story_card(session, s) for s in session.scalars(stmt)]
    return Page(items, _next(items, limit))


def _fields(f: Filters) -> dict[str, Any]:
    return {
        "actor": f.actor,
        "predicate": f.predicate,
        "negated": f.negated,
        "source": f.source,
        "with_claims": f.with_claims,
    }


def story_detail(session: Session, story_id: int) -> dict[str, Any] | None:
    """A story: its card, outlets with copies marked, claims, and its first article's text."""
    story = session.get(Story, story_id)
    if story is None:
        return None
    detail = story_card(session, story)
    outlets = story_outlets(session, story_id)
    detail["outlets"] = outlets
    ids = [o["article_id"] for o in outlets]
    rows = session.execute(
        select(ClaimRow, Article)
        .join(Article, Article.id == ClaimRow.article_id)
        .where(ClaimRow.article_id.in_(ids))
        .order_by(ClaimRow.article_id, ClaimRow.start)
    )
    detail["claim_list"] = [claim_view(c, a) for c, a in rows]
    main = story.first_article_id or (ids[0] if ids else None)
    detail["article"] = article_text(session, main) if main else None
    return detail


def article_text(session: Session, article_id: int) -> dict[str, Any] | None:
    """An article's body text with the spans of its actor mentions and claim sentences, as
    character offsets into the body (claims stated only in the headline have no body span)."""
    row = session.get(Article, article_id)
    if row is None:
        return None
    mentions = session.scalars(
        select(MentionRow).where(MentionRow.article_id == article_id).order_by(MentionRow.start)
    )
    claims = session.scalars(
        select(ClaimRow).where(ClaimRow.article_id == article_id).order_by(ClaimRow.start)
    )
    return {
        **article_json(row),
        "text": row.text,
        "mentions": [
            {"start": m.start, "end": m.end, "actor_id": m.actor_id, "text": m.text}
            for m in mentions
        ],
        "claim_spans": [
            {"start": c.start, "end": c.end, "id": c.id} for c in claims if not c.from_title
        ],
    }


# -- feeds


def feed_health(row: Feed) -> dict[str, Any]:
    """A feed's health in words: state, last success, last error, next check, items per day."""
    if not row.enabled:
        state = "paused"
    elif row.failing:
        state = "failing"
    elif row.last_success_at is None:
        state = "new"
    else:
        state = "ok"
    interval = publishing_interval(parse_item_times(row.item_times or ()), utcnow())
    per_day = round(86400 / interval, 1) if interval else 0.0
    return {
        "id": row.id,
        "url": row.url,
        "added_url": row.added_url,
        "name": row.name,
        "source": row.source,
        "language": row.language,
        "origin": row.origin,
        "enabled": row.enabled,
        "state": state,
        "last_success_at": _iso(row.last_success_at),
        "last_error": row.last_error,
        "last_error_at": _iso(row.last_error_at),
        "consecutive_failures": row.consecutive_failures,
        "next_check_at": _iso(row.next_check_at),
        "items_per_day": per_day,
    }


def page_feeds(
    session: Session, *, state: str | None = None, cursor: int | None = None, limit: int = 200
) -> Page:
    stmt = _paged(select(Feed), Feed.id, cursor, limit)
    rows = [feed_health(r) for r in session.scalars(stmt)]
    items = [r for r in rows if state is None or r["state"] == state]
    return Page(items, int(rows[-1]["id"]) if len(rows) == limit else None)
