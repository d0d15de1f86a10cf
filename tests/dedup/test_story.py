"""The story score on the labelled events: same-event reports group, others do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pipeline.dedup import MinHashLayout, StoryFeatures, is_same_story, story_score
from pipeline.eval.dedup import DEFAULTS, load_labelled

T0 = datetime(2022, 12, 22, 18, 0, tzinfo=UTC)
TEXTS = {t.id: t.text for t in load_labelled()}

# Actor ids and claim triples as the extraction stage would give them for these articles.
FEATURES = {
    "wagner_fox": StoryFeatures(
        frozenset({"north-korea", "wagner", "john-kirby", "ukraine", "russia", "prigozhin", "un"}),
        frozenset({("north-korea", "deliver", "wagner"), ("us", "sanction", "wagner")}),
        T0,
    ),
    "wagner_wire": StoryFeatures(
        frozenset({"north-korea", "wagner", "john-kirby", "ukraine", "prigozhin", "un"}),
        frozenset({("north-korea", "deliver", "wagner")}),
        T0 + timedelta(hours=2),
    ),
    "wagner_quotes": StoryFeatures(
        frozenset({"north-korea", "wagner", "john-kirby", "ukraine", "russia"}),
        frozenset({("north-korea", "deliver", "wagner"), ("us", "sanction", "wagner")}),
        T0 + timedelta(hours=5),
    ),
    "nk_missile": StoryFeatures(
        frozenset({"north-korea", "south-korea", "japan", "john-kirby", "un", "us"}),
        frozenset({("north-korea", "launch", "missile")}),
        T0 + timedelta(days=40),
    ),
    "kirby_balloon": StoryFeatures(
        frozenset({"china", "john-kirby", "us", "antony-blinken"}),
        frozenset({("us", "shoot-down", "balloon")}),
        T0 + timedelta(days=45),
    ),
    "iran_drones": StoryFeatures(
        frozenset({"eu", "iran", "russia", "ukraine", "josep-borrell"}),
        frozenset({("eu", "sanction", "iran")}),
        T0 + timedelta(days=1),
    ),
}
LAYOUT = MinHashLayout(**DEFAULTS)  # type: ignore[arg-type]


def _score(a: str, b: str) -> float:
    sim = LAYOUT.similarity(TEXTS[a], TEXTS[b])
    return story_score(FEATURES[a], FEATURES[b], similarity=sim)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("wagner_fox", "wagner_wire", True),
        ("wagner_fox", "wagner_quotes", True),
        ("wagner_wire", "wagner_quotes", True),
        ("wagner_fox", "nk_missile", False),  # same country and spokesman, another event
        ("wagner_fox", "kirby_balloon", False),
        ("wagner_fox", "iran_drones", False),  # same war, a day apart
        ("nk_missile", "kirby_balloon", False),
    ],
)
def test_story_grouping_of_labelled_articles(a: str, b: str, same: bool) -> None:
    sim = LAYOUT.similarity(TEXTS[a], TEXTS[b])
    assert is_same_story(FEATURES[a], FEATURES[b], similarity=sim) is same, _score(a, b)


def test_score_is_symmetric_and_bounded() -> None:
    for a in FEATURES:
        for b in FEATURES:
            assert 0.0 <= _score(a, b) <= 1.0
            assert _score(a, b) == pytest.approx(_score(b, a))


def test_no_shared_actor_or_claim_scores_zero_even_for_similar_text() -> None:
    a = StoryFeatures(frozenset({"x"}), frozenset(), T0)
    b = StoryFeatures(frozenset({"y"}), frozenset(), T0)
    assert story_score(a, b, similarity=1.0) == 0.0


def test_distance_in_time_lowers_the_score() -> None:
    a = FEATURES["wagner_fox"]
    later = StoryFeatures(a.actor_ids, a.claims, T0 + timedelta(days=10))
    assert story_score(a, a) > story_score(a, later)
