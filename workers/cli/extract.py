"""`newsmon reprocess --diff`: re-extract stored or given articles in-process, diff the claims."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.extract.claimdiff import ArticleDiff, DiffReport, diff_claims, render_text
from pipeline.models import Actor, Claim
from pipeline.run import article_identity
from pipeline.store import articles as article_store
from pipeline.store import claims as claim_store
from pipeline.store.db import Sessions, transaction
from workers.cli.common import err, migrated_sessions

if TYPE_CHECKING:
    from pipeline.extract import Extractor
    from pipeline.settings import Settings


@dataclass(frozen=True, slots=True)
class Target:
    """One article to re-extract: its display name, text, and stored id (None: not stored)."""

    name: str
    title: str
    text: str
    article_id: int | None


def stored_targets(sessions: Sessions) -> Iterator[Target]:
    """Every stored original (copies carry no extraction), oldest first."""
    with sessions() as session:
        rows = article_store.original_texts(session)
    for article_id, title, text in rows:
        yield Target(f"#{article_id} {title[:70]}", title, text, article_id)


def file_targets(sessions: Sessions, paths: Sequence[Path]) -> Iterator[Target]:
    """Article files under `paths`, each matched to its stored article by identity key."""
    from pipeline.seeds import iter_article_files, read_article

    with sessions() as session:
        for path in iter_article_files(paths):
            article = read_article(path)
            key = article_identity(article)[0]
            stored = article_store.id_by_key(session, key)
            yield Target(str(path), article.title, article.text, stored)


def _stored(sessions: Sessions, article_id: int | None) -> tuple[list[Claim], str]:
    if article_id is None:
        return [], "(not stored)"
    with sessions() as session:
        old = claim_store.load_extraction(session, article_id)
    return list(old.claims), old.version or "(none)"


def diff_targets(
    sessions: Sessions,
    extractor: Extractor,
    targets: Sequence[Target],
    *,
    apply: bool = False,
    contradicts: Callable[[Claim, Claim], bool] | None = None,
) -> DiffReport:
    """Re-extract `targets` in `nlp.pipe` batches and diff against their stored claims.

    Nothing is written unless `apply`: then each stored article's new extraction replaces
    the old one (links to contradicting claims re-made with `contradicts`). Articles that
    are not stored are diffed against nothing and never written.
    """
    from pipeline.extract.denials import contradiction_terms

    diffs: list[ArticleDiff] = []
    pairs = ((t.title, t.text) for t in targets)
    for target, new in zip(targets, extractor.extract_articles(pairs), strict=True):
        old_claims, old_version = _stored(sessions, target.article_id)
        diffs.append(diff_claims(target.name, old_claims, new.claims, old_version, new.version))
        if apply and target.article_id is not None:
            with transaction(sessions) as session:
                claim_store.replace_extraction(
                    session, target.article_id, new, contradicts, contradiction_terms
                )
    return DiffReport(tuple(diffs))


def build_extractor(settings: Settings, actors: Sequence[Actor]) -> Extractor:
    """An extractor over `actors` with the configured model and batch sizes."""
    from pipeline.extract import Extractor

    return Extractor(actors, **settings.extractor_options())


def run_diff(
    settings: Settings,
    paths: Sequence[Path],
    *,
    entities: Path | None,
    apply: bool,
    as_json: bool,
) -> int:
    """The `--diff` mode of `newsmon reprocess`; returns the exit code."""
    from pipeline.catalog import load_actors
    from pipeline.extract import contradicts

    sessions = migrated_sessions(settings)
    extractor = build_extractor(settings, load_actors(entities or settings.entities_file))
    targets = list(file_targets(sessions, paths) if paths else stored_targets(sessions))
    if not targets:
        err.print("[yellow]no articles to re-extract[/yellow]")
    report = diff_targets(sessions, extractor, targets, apply=apply, contradicts=contradicts)
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print("\n".join(render_text(report)))
    if apply:
        stored = sum(t.article_id is not None for t in targets)
        err.print(f"applied: {stored} stored articles now carry {extractor.version}")
    return 0
