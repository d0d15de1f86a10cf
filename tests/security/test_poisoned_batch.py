"""No loss under bad input: a poisoned article in a batch fails alone, through a real worker.

The batch goes to the real `newsmon.ingest` task on a real worker over PostgreSQL. Damaged
articles of kinds feeds really deliver are processed all the same: a link with an
impossible port, text with a NUL character (JSON Feed allows \\u0000; PostgreSQL text
cannot hold it, so it is dropped) and a garbled number of 300 digits (its quantity is cut to
the column). The poisoned one, a page dump over spaCy's 1,000,000-character limit, cannot be
extracted: it is recorded as failed with its error, every other article of the batch is
processed, and `newsmon articles list --failed --json` shows it. (Long texts are normally
cut or chunked before extraction, `extract_max_chars` and `extract_chunk_chars`; both
are off here so that the page dump still
reaches spaCy's limit. tests/extract/test_long_articles.py covers the cut.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import redis
from sqlalchemy import select

from pipeline.models import ArticleIn
from pipeline.store.db import make_engine, make_sessionmaker
from pipeline.store.tables import Article
from tests.conftest import ROOT, WorkerProcess, make_settings, settings_env, wait_for
from workers.deps import Deps
from workers.process.runtime import prepare
from workers.queue.app import configure

LABELLED = ROOT / "tests" / "dedup" / "labelled" / "articles"
GOOD = ("nk_missile", "rhodes_fire", "sudan_aid", "layoffs")


def article(name: str, **changes: object) -> dict:
    title, _, text = (LABELLED / f"{name}.txt").read_text().partition("\n")
    base = ArticleIn(title=title, text=text.strip(), url=f"https://news.test/{name}", source="T")
    return {**base.to_json(), **changes}


def test_poisoned_articles_fail_alone(tmp_path: Path, pg_url: str, security_redis: str) -> None:
    settings = make_settings(
        tmp_path,
        redis_url=security_redis,
        database_url=pg_url,
        extract_max_chars=0,
        extract_chunk_chars=0,
    )
    deps = Deps(settings)
    prepare(deps)
    deps.close()
    configure(settings)
    bad_port = article("kirby_balloon", url="https://news.test:99999/kirby")
    nul_text = article("iran_drones", text="Iran sent drones\x00 to Russia, officials said.")
    huge_number = article(
        "wagner_wire", text="North Korea supplied " + "1" * 300 + " rockets to the Wagner Group."
    )
    page_dump = article("sudan_aid", title="Live: every update", text="Update. " * 150_000)
    page_dump["url"] = "https://news.test/live-dump"
    batch = [
        article(GOOD[0]),
        bad_port,
        article(GOOD[1]),
        nul_text,
        page_dump,
        huge_number,
        *map(article, GOOD[2:]),
    ]
    worker = WorkerProcess(settings_env(settings), tmp_path / "worker.log")
    engine = make_engine(pg_url)
    sessions = make_sessionmaker(engine)
    try:
        worker.wait_ready()
        from workers.queue.tasks import ingest

        ingest.delay(batch)

        def settled() -> list[Article] | None:
            with sessions() as s:
                rows = list(s.scalars(select(Article)))
            done = [r for r in rows if r.status in ("processed", "failed", "duplicate")]
            return rows if len(done) == len(batch) == len(rows) else None

        rows = wait_for(settled, 90, what="every article of the batch settled")
    finally:
        worker.stop()
        engine.dispose()
    by_title = {r.title: r for r in rows}  # type: ignore[union-attr]
    for name in GOOD:
        row = by_title[article(name)["title"]]
        assert row.status == "processed", (name, row.status, row.error)
    for damaged in (bad_port, nul_text, huge_number):
        row = by_title[damaged["title"]]
        assert row.status == "processed", (damaged["title"], row.status, row.error)
    assert "\x00" not in by_title[nul_text["title"]].text
    failed = {r.title: r.error for r in rows if r.status == "failed"}  # type: ignore[union-attr]
    assert set(failed) == {page_dump["title"]}
    assert (
        "E088" in failed[page_dump["title"]]
        and "exceeds maximum of 1000000" in failed[page_dump["title"]]
    )
    listed = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "articles", "list", "--failed", "--json"],
        env=settings_env(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    shown = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    assert {(r["title"], r["status"]) for r in shown} == {(t, "failed") for t in failed}
    assert all(r["error"] for r in shown)
    assert redis.Redis.from_url(security_redis).llen("cpu") == 0
