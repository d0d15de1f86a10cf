"""Story grouping decides a batch by reading first: the same stories as one article at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pipeline import run
from pipeline.extract import Extractor
from pipeline.models import ArticleIn
from pipeline.store.tables import Article, Story

LEAD = (
    "North Korea has delivered infantry rockets and missiles to the Wagner Group in Ukraine, "
    "White House spokesman John Kirby said on Thursday. "
)
ARTICLES = [
    ArticleIn(
        title="North Korea arms Wagner, US says",
        text=LEAD + "The shipment went by rail through Russia, Kirby told reporters.",
        url="https://one.example/nk-wagner",
    ),
    ArticleIn(
        title="Kirby: Pyongyang sent rockets to Wagner",
        text=LEAD + "Officials said more deliveries were expected in the coming weeks.",
        url="https://two.example/kirby-rockets",
    ),
    ArticleIn(
        title="Iran and Russia sign a grain deal",
        text="Iran and Russia signed an agreement on grain exports in Tehran on Monday.",
        url="https://three.example/grain",
    ),
]


def stories_of(sessions: sessionmaker[Session], ids: list[int]) -> list[int | None]:
    with sessions() as s:
        rows = {a.id: a.story_id for a in s.scalars(select(Article).where(Article.id.in_(ids)))}
    return [rows[i] for i in ids]


@pytest.mark.parametrize("batched", [True, False], ids=["one-batch", "one-by-one"])
def test_reports_of_one_event_share_a_story_in_a_batch_or_one_by_one(
    sessions, extractor: Extractor, batched: bool
) -> None:
    ids = run.ingest(sessions, ARTICLES, force=True).to_process
    run.extract(sessions, extractor, ids)
    for batch in [ids] if batched else [[i] for i in ids]:
        run.match(sessions, batch, alerts_enabled=False)
    first, second, other = stories_of(sessions, ids)
    assert first is not None and first == second  # the second joined a story opened with it
    assert other is not None and other != first
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Story)) == 2
        story = s.get_one(Story, first)
        assert story.first_article_id == ids[0] and story.title == ARTICLES[0].title
        assert s.scalar(select(func.count()).where(Article.status == "processed")) == 3


def test_a_matched_batch_keeps_its_stories_when_matched_again(
    sessions, extractor: Extractor
) -> None:
    ids = run.ingest(sessions, ARTICLES, force=True).to_process
    run.extract(sessions, extractor, ids)
    run.match(sessions, ids, alerts_enabled=False)
    before = stories_of(sessions, ids)
    run.match(sessions, [ids[2], ids[0], ids[1], ids[0]], alerts_enabled=False)
    assert stories_of(sessions, ids) == before
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Story)) == 2
