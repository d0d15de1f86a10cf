"""Storage on SQLite and PostgreSQL: migrations, idempotent upserts, one alert per story."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from pipeline.models import (
    ActorRef,
    ArticleIn,
    Claim,
    Entity,
    Extraction,
    Mention,
    Rule,
    SubscriptionSpec,
)
from pipeline.store import alerts as alert_store
from pipeline.store import articles as article_store
from pipeline.store import claims as claim_store
from pipeline.store.db import is_current, make_engine, make_sessionmaker, migrate, transaction
from pipeline.store.tables import AlertRow, Article, ClaimRow, MentionRow


@pytest.fixture
def sessions(database_url: str):
    migrate(database_url)
    engine = make_engine(database_url)
    assert is_current(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


ARTICLE = ArticleIn(
    title="Wagner gets rockets",
    text="North Korea delivered rockets to Wagner.",
    url="https://example.com/a",
    source="Example",
)


def upsert(sessions, article: ArticleIn = ARTICLE, digest: str = "h1") -> article_store.Upserted:
    with transaction(sessions) as s:
        return article_store.upsert_article(
            s, article, key="example.com/a", canonical_url=article.url, content_hash=digest
        )


def test_migrating_twice_is_a_no_op(database_url: str) -> None:
    migrate(database_url)
    migrate(database_url)
    assert is_current(make_engine(database_url))


def test_upsert_is_idempotent_and_notices_changes(sessions) -> None:
    first = upsert(sessions)
    again = upsert(sessions)
    changed = upsert(
        sessions, ArticleIn(title="Wagner gets rockets", text="Updated.", url=ARTICLE.url), "h2"
    )
    assert first.created and not again.created and not again.changed
    assert changed.changed and changed.article_id == first.article_id
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 1
        assert s.get_one(Article, first.article_id).content_hash == "h2"


def test_concurrent_upserts_of_one_key_make_one_row(sessions) -> None:
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: upsert(sessions), range(16)))
    assert sum(r.created for r in results) == 1
    assert len({r.article_id for r in results}) == 1


def test_duplicate_points_at_first_seen_original(sessions) -> None:
    a = upsert(sessions).article_id
    with transaction(sessions) as s:
        b = article_store.upsert_article(
            s,
            ArticleIn(title="Copy", text="x", url="https://b.example/c"),
            key="b.example/c",
            canonical_url=None,
            content_hash="h1",
        ).article_id
        c = article_store.upsert_article(
            s,
            ArticleIn(title="Copy of copy", text="x", url="https://c.example/d"),
            key="c.example/d",
            canonical_url=None,
            content_hash="h1",
        ).article_id
        article_store.ensure_story(s, a)
        article_store.mark_duplicate(s, b, a, kind="exact", similarity=1.0)
        article_store.mark_duplicate(s, c, b, kind="near", similarity=0.9)
    with sessions() as s:
        assert s.get_one(Article, c).duplicate_of == a  # a copy of a copy points home
        story = s.get_one(Article, a).story_id
        outlets = article_store.story_outlets(s, story)
    assert [o["article_id"] for o in outlets] == [a, b, c]
    assert article_store.independent_outlets(outlets) == 1


EXTRACTION = Extraction(
    entities=(
        Entity("wagner-group", "Wagner Group", "ORG", (Mention("Wagner", 30, 36),)),
        Entity(None, "Pyongyang Times", "ORG", (Mention("Pyongyang Times", 0, 15),)),
    ),
    claims=(
        Claim(
            ActorRef("north-korea", "North Korea"),
            "deliver",
            ActorRef("wagner-group", "Wagner"),
            "rockets",
            ActorRef("john-kirby", "Kirby"),
            False,
            False,
            None,
            "North Korea delivered rockets to Wagner.",
            0,
            40,
            0.9,
        ),
    ),
    version="test-1",
)


def test_replacing_an_extraction_is_idempotent_and_round_trips(sessions) -> None:
    article_id = upsert(sessions).article_id
    for _ in range(2):
        with transaction(sessions) as s:
            claim_store.replace_extraction(s, article_id, EXTRACTION)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ClaimRow)) == 1
        assert s.scalar(select(func.count()).select_from(MentionRow)) == 2
        loaded = claim_store.load_extraction(s, article_id)
    assert loaded.claims == EXTRACTION.claims
    assert {e.id for e in loaded.entities} == {"wagner-group", None}
    assert set(loaded.entities) == set(EXTRACTION.entities)  # names, types, offsets


def test_one_alert_per_subscription_and_story(sessions) -> None:
    article_id = upsert(sessions).article_id
    spec = SubscriptionSpec(
        name="w",
        owner="o",
        rule=Rule(any_actors=("wagner-group",)),
        channel="file",
        target="/tmp/x.jsonl",
    )
    with transaction(sessions) as s:
        story = article_store.ensure_story(s, article_id)
        spec = dataclasses.replace(spec, id=alert_store.save_subscription(s, spec))

    def attempt(_: int) -> int | None:
        with transaction(sessions) as s:
            return alert_store.create_alert(
                s,
                subscription=spec,
                story_id=story,
                article_id=article_id,
                kind="alert",
                dedupe_key=f"story:{story}",
                payload={},
            )

    with ThreadPoolExecutor(6) as pool:
        created = [r for r in pool.map(attempt, range(12)) if r is not None]
    assert len(created) == 1
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(AlertRow)) == 1
