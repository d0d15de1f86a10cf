"""Stored denials are linked to the claims they contradict, and `claims list` shows both sides."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from pipeline import run
from pipeline.extract import Extractor
from pipeline.models import ArticleIn
from pipeline.store import claims as claim_store
from pipeline.store.db import make_engine, make_sessionmaker, migrate
from pipeline.store.tables import ClaimLink, ClaimRow

ACCUSATION = ArticleIn(
    title="US says North Korea supplies Wagner",
    text="North Korea is supplying rockets to the Wagner Group, John Kirby said on Thursday.",
    url="https://example.com/us-says",
)
DENIAL = ArticleIn(
    title="Pyongyang responds",
    text="North Korea denied supplying weapons to the Wagner Group on Friday.",
    url="https://example.com/nk-denies",
)
UNRELATED = ArticleIn(
    title="Iran and Russia",
    text="Iran supplied drones to Russia, officials said.",
    url="https://example.com/iran",
)


def store(sessions: sessionmaker[Session], extractor: Extractor, *articles: ArticleIn) -> list[int]:
    ids = run.ingest(sessions, articles, force=True).to_process
    run.extract(sessions, extractor, ids)
    return ids


def links(sessions: sessionmaker[Session]) -> set[tuple[tuple[str, str, bool], ...]]:
    """Each link as the pair of (subject, predicate, negated) of its two claims."""
    with sessions() as s:
        rows = s.execute(select(ClaimLink.claim_id, ClaimLink.other_id)).all()
        claim = {c.id: (c.subject_id, c.predicate, c.negated) for c in s.scalars(select(ClaimRow))}
    return {(claim[a], claim[b]) for a, b in rows}


def test_denial_is_linked_both_ways_across_articles(sessions, extractor: Extractor) -> None:
    store(sessions, extractor, ACCUSATION, UNRELATED)
    assert links(sessions) == set()
    store(sessions, extractor, DENIAL)
    accusation = ("north-korea", "supply", False)
    denial = ("north-korea", "supply", True)
    assert links(sessions) == {(accusation, denial), (denial, accusation)}
    with sessions() as s:  # one pair, stored both ways
        assert s.scalar(select(func.count()).select_from(ClaimLink)) == 2


def test_reextraction_keeps_links_consistent(sessions, extractor: Extractor) -> None:
    store(sessions, extractor, ACCUSATION)
    (denial_id,) = store(sessions, extractor, DENIAL)
    for _ in range(2):  # a redelivered task: old claims and their links go, new ones are made
        run.extract(sessions, extractor, [denial_id])
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ClaimLink)) == 2
        stored = set(s.scalars(select(ClaimRow.id)))
        ends = s.execute(select(ClaimLink.claim_id, ClaimLink.other_id)).all()
    assert {i for pair in ends for i in pair} <= stored


def test_deleting_claims_drops_their_links(sessions, extractor: Extractor) -> None:
    store(sessions, extractor, ACCUSATION)
    (denial_id,) = store(sessions, extractor, DENIAL)
    with sessions() as s, s.begin():
        s.execute(ClaimRow.__table__.delete().where(ClaimRow.article_id == denial_id))
    assert links(sessions) == set()


def test_claims_list_shows_both_sides(
    tmp_path, monkeypatch: pytest.MonkeyPatch, extractor: Extractor
) -> None:
    from workers.cli import listings
    from workers.cli.main import cli

    url = f"sqlite:///{tmp_path / 'newsmon.db'}"
    migrate(url)
    sessions = make_sessionmaker(make_engine(url))
    store(sessions, extractor, ACCUSATION, DENIAL)
    monkeypatch.setenv("NEWSMON_DATABASE_URL", url)
    monkeypatch.setenv("NEWSMON_VAR_DIR", str(tmp_path / "var"))
    result = CliRunner().invoke(cli, ["claims", "list", "--actor", "north-korea", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]

    def is_supply(r: dict, negated: bool) -> bool:
        target = (r["object"] or {}).get("id")
        return (r["predicate"], target, r["negated"]) == ("supply", "wagner-group", negated)

    (accusation,) = [r for r in rows if is_supply(r, False)]
    (denial,) = [r for r in rows if is_supply(r, True)]
    assert [o["id"] for o in denial["contradicts"]] == [accusation["id"]]
    assert [o["id"] for o in accusation["contradicts"]] == [denial["id"]]
    assert accusation["contradicts"][0]["summary"].startswith("North Korea not supply")
    others = [r for r in rows if r["id"] not in (accusation["id"], denial["id"])]
    assert others and all(r["contradicts"] == [] for r in others)

    monkeypatch.setattr(listings.out, "width", 300)  # one table row per line, nothing folded
    table = CliRunner().invoke(cli, ["claims", "list", "--actor", "north-korea"])
    assert table.exit_code == 0
    (line,) = [x for x in table.output.splitlines() if x.startswith(f"│ {denial['id']} ")]
    assert f"#{accusation['id']} North Korea supply Wagner Group" in line


def test_linked_claims_reads_links_per_claim(sessions, extractor: Extractor) -> None:
    store(sessions, extractor, ACCUSATION, DENIAL)
    with sessions() as s:
        ids = list(s.scalars(select(ClaimRow.id).order_by(ClaimRow.id)))
        found = claim_store.linked_claims(s, ids)
    assert sorted(len(v) for v in found.values())[-2:] == [1, 1]
    assert sum(len(v) for v in found.values()) == 2


def test_claims_stored_while_a_batch_was_prepared_are_linked(
    sessions, extractor: Extractor
) -> None:
    """A batch compares its claims with the stored ones before writing; an accusation another
    worker commits in between is compared under the write lock, not missed."""
    from pipeline.extract.denials import contradiction_terms, contradicts

    (denial_id,) = run.ingest(sessions, [DENIAL], force=True).to_process
    (extraction,) = extractor.extract_articles([(DENIAL.title, DENIAL.text)])
    with sessions() as s, s.begin():
        prepared = claim_store.prepare_extractions(
            s, {denial_id: extraction}, contradicts, contradiction_terms
        )
        assert prepared.plan is not None and not prepared.plan.pairs  # nothing stored yet
        store(sessions, extractor, ACCUSATION)  # another worker, committed meanwhile
        claim_store.write_extractions(s, prepared)
    accusation = ("north-korea", "supply", False)
    denial = ("north-korea", "supply", True)
    assert links(sessions) == {(accusation, denial), (denial, accusation)}
