"""`reprocess --diff`: claims added, removed and changed between two extractor versions."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from pipeline import run
from pipeline.catalog import load_actors
from pipeline.extract import Extractor, contradicts
from pipeline.extract.claimdiff import diff_claims, render_text
from pipeline.models import ActorRef, ArticleIn, Claim
from pipeline.store.db import make_engine, make_sessionmaker, migrate
from pipeline.store.tables import Article, ClaimRow
from workers.cli.extract import diff_targets, stored_targets

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ArticleIn(
    title="Rockets for Wagner",
    text="Pyongyang delivered rockets to the Wagner Group in November, John Kirby said.",
    url="https://example.com/rockets",
)
BASE = Claim(
    subject=ActorRef("north-korea", "North Korea"),
    predicate="deliver",
    object=ActorRef("wagner-group", "Wagner"),
    theme="rockets",
    speaker=ActorRef("john-kirby", "Kirby"),
    negated=False,
    hedged=False,
    quantity=None,
    sentence="North Korea delivered rockets to Wagner, Kirby said.",
    start=0,
    end=52,
    confidence=0.9,
)


def variant(**changes: object) -> Claim:
    return dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ([BASE], [BASE], (0, 0, [])),
        ([BASE], [], (0, 1, [])),
        ([], [BASE], (1, 0, [])),
        ([BASE], [variant(confidence=0.88)], (0, 0, [])),  # same confidence bucket
        ([BASE], [variant(confidence=0.7)], (0, 0, ["confidence"])),
        ([BASE], [variant(speaker=None, hedged=True)], (0, 0, ["speaker", "hedged"])),
        ([BASE], [variant(negated=True)], (1, 1, [])),
        ([BASE], [variant(object=ActorRef(None, "the mercenaries"))], (1, 1, [])),
        ([BASE], [variant(subject=ActorRef("north-korea", "Pyongyang"))], (0, 0, [])),
        ([BASE, BASE], [BASE], (0, 1, [])),
        ([BASE], [BASE, variant(start=60)], (1, 0, [])),
    ],
)
def test_diff_claims(old: list[Claim], new: list[Claim], expected: tuple) -> None:
    diff = diff_claims("a", old, new, "v1", "v2")
    changed = [f for ch in diff.changed for f in ch.fields]
    assert (len(diff.added), len(diff.removed), changed) == expected


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'newsmon.db'}"
    migrate(url)
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    engine.dispose()


def registry_without_alias(tmp_path: Path, actor_id: str, alias: str) -> Path:
    data = yaml.safe_load((ROOT / "config" / "entities.yaml").read_text(encoding="utf-8"))
    for entry in data["actors"]:
        if entry["id"] == actor_id:
            entry["aliases"].remove(alias)
    path = tmp_path / "entities.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def no_pyongyang(tmp_path_factory: pytest.TempPathFactory) -> Extractor:
    path = registry_without_alias(tmp_path_factory.mktemp("reg"), "north-korea", "Pyongyang")
    return Extractor(load_actors(path))


def snapshot(sessions: sessionmaker[Session]) -> list[tuple]:
    with sessions() as s:
        rows = s.scalars(select(ClaimRow).order_by(ClaimRow.id))
        return [(r.id, r.subject_id, r.predicate, r.object_id, r.extractor_version) for r in rows]


def store(sessions: sessionmaker[Session], extractor: Extractor) -> None:
    run.extract(sessions, extractor, run.ingest(sessions, [ARTICLE]).to_process)


def test_no_change_gives_an_empty_diff(sessions, extractor: Extractor) -> None:
    store(sessions, extractor)
    report = diff_targets(sessions, extractor, list(stored_targets(sessions)))
    assert report.counts()["added"] == report.counts()["removed"] == 0
    assert report.counts()["changed"] == 0 and report.counts()["articles"] == 1
    assert report.old_versions == report.new_versions == [extractor.version]


def test_removed_alias_shows_removed_claims_and_changes_nothing(
    sessions, extractor: Extractor, no_pyongyang: Extractor
) -> None:
    store(sessions, extractor)
    before = snapshot(sessions)
    report = diff_targets(sessions, no_pyongyang, list(stored_targets(sessions)))
    (diff,) = report.articles
    assert [(c.subject.id, c.predicate) for c in diff.removed] == [("north-korea", "deliver")]
    assert all(c.subject.id != "north-korea" for c in diff.added)
    assert diff.old_version == extractor.version != diff.new_version == no_pyongyang.version
    assert any(line.startswith("  - Pyongyang deliver") for line in render_text(report))
    assert snapshot(sessions) == before


def test_apply_stores_the_new_extraction(
    sessions, extractor: Extractor, no_pyongyang: Extractor
) -> None:
    store(sessions, extractor)
    targets = list(stored_targets(sessions))
    diff_targets(sessions, no_pyongyang, targets, apply=True, contradicts=contradicts)
    with sessions() as s:
        assert s.scalar(select(Article.extractor_version)) == no_pyongyang.version
    assert {row[4] for row in snapshot(sessions)} == {no_pyongyang.version}
    assert all(row[1] != "north-korea" for row in snapshot(sessions))
    again = diff_targets(sessions, no_pyongyang, targets)
    assert again.counts()["added"] == again.counts()["removed"] == 0


def test_cli_diff_of_files_as_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sessions, extractor: Extractor
) -> None:
    from workers.cli.main import cli

    store(sessions, extractor)
    (url,) = {str(sessions.kw["bind"].url)}
    monkeypatch.setenv("NEWSMON_DATABASE_URL", url)
    monkeypatch.setenv("NEWSMON_VAR_DIR", str(tmp_path / "var"))
    article = tmp_path / "rockets.json"
    article.write_text(json.dumps(ARTICLE.to_json()), encoding="utf-8")
    entities = registry_without_alias(tmp_path, "north-korea", "Pyongyang")
    argv = ["reprocess", "--diff", "--json", "--entities", str(entities), str(article)]
    before = snapshot(sessions)
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["counts"]["removed"] == 1 and data["old_versions"] == [extractor.version]
    (removed,) = data["articles"][0]["removed"]
    assert removed["subject"] == {"id": "north-korea", "text": "Pyongyang"}
    assert snapshot(sessions) == before
