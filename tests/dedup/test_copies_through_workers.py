"""Dedup through the real pipeline: copies, stories, two racing workers, a worker restart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from pipeline.seeds import read_article
from pipeline.store.db import make_engine, make_sessionmaker
from pipeline.store.tables import Article
from tests.conftest import ROOT, WorkerProcess, make_settings, settings_env, wait_for

pytestmark = pytest.mark.slow

SEED = read_article(next((ROOT / "seeds").glob("*.txt")))
PARAS = [p for p in SEED.text.split("\n\n") if p.strip()]


def article(url: str, source: str, title: str, paras: list[str]) -> dict:
    return {
        "title": title,
        "text": "\n\n".join(paras),
        "url": url,
        "source": source,
        "origin": "test",
    }


def copies() -> dict[str, dict]:
    """Syndicated copies of the seed article, each as another outlet would run it."""
    body = PARAS
    return {
        "headline": article(
            "https://a.example/nk", "A", "US: Pyongyang sent weapons to Wagner mercenaries", body
        ),
        "footer": article(
            "https://b.example/nk",
            "B",
            SEED.title,
            [*body[:-1], "This article first appeared on The Daily B."],
        ),
        "reordered": article(
            "https://c.example/nk", "C", SEED.title, [body[1], body[0], *body[2:]]
        ),
        "dropped": article("https://d.example/nk", "D", SEED.title, [*body[:3], *body[4:]]),
        "added": article(
            "https://e.example/nk",
            "E",
            SEED.title,
            [*body, "The Kremlin did not immediately respond to a request for comment."],
        ),
        "boilerplate": article(
            "https://f.example/nk",
            "F",
            SEED.title,
            [
                "Home | World | Politics | Subscribe",
                *body,
                "© 2022 F Media. All rights reserved.",
                "Follow us on Twitter",
            ],
        ),
    }


OTHER_REPORT = article(
    "https://g.example/wagner-arms",
    "G",
    "Wagner received North Korean rockets, Washington says",
    [
        "North Korea delivered infantry rockets and missiles to the Wagner Group last month, the White House said on Thursday.",
        "National Security Council spokesman John Kirby told reporters the shipment violated United Nations Security Council resolutions.",
        "Kirby said Wagner, the private military company run by Yevgeny Prigozhin, now has about 50,000 personnel in Ukraine.",
        "Pyongyang has denied supplying weapons to Russia.",
    ],
)
UNRELATED = article(
    "https://h.example/budget",
    "H",
    "City council approves budget",
    [
        "The city council approved next year's budget on Tuesday after a long debate about road repairs.",
        "The mayor said the plan keeps taxes flat while hiring more bus drivers.",
    ],
)


def ingest(env: dict[str, str], batches: list[list[dict]]) -> None:
    """Send each batch as one ingest task, from a separate process like a poller would."""
    code = (
        "import json,sys\n"
        "from pipeline.settings import load_settings\n"
        "from workers.queue.app import configure\n"
        "configure(load_settings())\n"
        "from workers.queue.tasks import ingest\n"
        "for batch in json.loads(sys.stdin.read()):\n"
        "    ingest.delay(batch, None, {'force': True})\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(batches),
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        timeout=60,
    )


def distinct_body(seed: int) -> list[str]:
    """Paragraphs of made-up news no other seed's paragraphs resemble."""
    import random

    rng = random.Random(seed)
    words = [
        "council",
        "minister",
        "port",
        "harbour",
        "grain",
        "tariff",
        "court",
        "river",
        "election",
        "budget",
        "strike",
        "vaccine",
        "drought",
        "bridge",
        "railway",
        "senate",
        "festival",
        "museum",
        "factory",
        "treaty",
    ]
    return [" ".join(rng.choice(words) for _ in range(40)).capitalize() + "." for _ in range(4)]


def rows(database_url: str) -> dict[str, Article]:
    sessions = make_sessionmaker(make_engine(database_url))
    with sessions() as s:
        return {a.url: a for a in s.scalars(select(Article))}


def settled(database_url: str, n: int) -> dict[str, Article] | None:
    found = rows(database_url)
    done = [a for a in found.values() if a.status in ("processed", "duplicate", "failed")]
    return found if len(done) == n else None


@pytest.fixture
def env(tmp_path: Path, redis_url: str):
    settings = make_settings(tmp_path, redis_url=redis_url)
    from pipeline.store.db import migrate

    migrate(settings.effective_database_url)
    return settings, settings_env(settings)


def test_copies_are_flagged_and_reports_grouped_into_one_story(env, tmp_path: Path) -> None:
    settings, environ = env
    worker = WorkerProcess(environ, tmp_path / "worker.log")
    try:
        worker.wait_ready()
        original = article(
            "https://www.foxnews.com/politics/nk-wagner", "Fox News", SEED.title, PARAS
        )
        ingest(environ, [[original]])
        wait_for(
            lambda: settled(settings.effective_database_url, 1), 120, what="original processed"
        )
        variants = copies()
        ingest(environ, [list(variants.values()), [OTHER_REPORT, UNRELATED]])
        found = wait_for(
            lambda: settled(settings.effective_database_url, 9), 180, what="all processed"
        )
    finally:
        worker.stop()
    first = found[original["url"]]
    assert first.duplicate_of is None
    for name, copy in variants.items():
        row = found[copy["url"]]
        assert row.duplicate_of == first.id, (
            f"{name} copy not flagged: {row.status} {row.similarity}"
        )
        assert row.source == copy["source"]  # each copy keeps its own outlet and URL
    other = found[OTHER_REPORT["url"]]
    assert other.duplicate_of is None, "a different report of the same event is not a copy"
    assert other.story_id == first.story_id, "but it belongs to the same story"
    assert found[UNRELATED["url"]].story_id != first.story_id
    listed = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "articles", "list", "--json"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    story = [r for r in lines if r["story_id"] == first.story_id]
    assert {r["source"] for r in story} >= {"Fox News", "A", "B", "C", "D", "E", "F", "G"}


def test_two_workers_racing_on_copies_make_one_original_each(env, tmp_path: Path) -> None:
    settings, environ = env
    workers = [
        WorkerProcess(environ, tmp_path / f"w{i}.log", queues="io", concurrency=1) for i in range(2)
    ]
    extract = WorkerProcess(environ, tmp_path / "cpu.log", queues="cpu", concurrency=1)
    try:
        for w in [*workers, extract]:
            w.wait_ready()
        pairs = []
        for i in range(8):
            body = distinct_body(i)
            a = article(f"https://x{i}.example/a", "X", f"Copy race {i}", body)
            b = article(f"https://y{i}.example/b", "Y", f"Copy race {i} (syndicated)", body)
            pairs.append((a, b))
        # Each copy in its own task, all sent at once: the two io workers take them concurrently.
        ingest(environ, [[x] for pair in pairs for x in pair])
        found = wait_for(
            lambda: settled(settings.effective_database_url, 16), 240, what="all settled"
        )
    finally:
        for w in [*workers, extract]:
            w.stop()
    for a, b in pairs:
        ra, rb = found[a["url"]], found[b["url"]]
        originals = [r for r in (ra, rb) if r.duplicate_of is None]
        assert len(originals) == 1, (ra.status, rb.status)
        copy = rb if originals[0] is ra else ra
        assert copy.duplicate_of == originals[0].id


def test_index_survives_a_worker_restart(env, tmp_path: Path, redis_url: str) -> None:
    settings, environ = env
    first = WorkerProcess(environ, tmp_path / "w1.log")
    first.wait_ready()
    original = article("https://one.example/a", "One", SEED.title, PARAS)
    ingest(environ, [[original]])
    wait_for(lambda: settled(settings.effective_database_url, 1), 120, what="original")
    first.stop()
    assert redis.Redis.from_url(redis_url).dbsize() > 0
    second = WorkerProcess(environ, tmp_path / "w2.log")
    try:
        second.wait_ready()
        ingest(environ, [[copies()["footer"]]])
        found = wait_for(lambda: settled(settings.effective_database_url, 2), 120, what="copy")
    finally:
        second.stop()
    assert found[copies()["footer"]["url"]].duplicate_of == found[original["url"]].id
