"""Long articles: chunked or cut before extraction with a note, memory bounded per process.

The cut keeps a paragraph or sentence whole; a text over spaCy's 1,000,000-character limit is
processed (its head), not failed; the stored text stays whole. A chunked text gives the
claims of every chunk at offsets into the whole text. The extraction stage in a child
process, with the default settings, over 20 KB and 200 KB articles stays under 400 MB RSS.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline import run
from pipeline.dedup.normalize import cut_text
from pipeline.extract import Extractor
from pipeline.extract.chunks import split_text
from pipeline.models import ArticleIn
from pipeline.store.tables import Article
from tests.conftest import ROOT

PARAGRAPH = (
    "North Korea supplied artillery shells to Russia, officials said on Monday. "
    "The talks are expected to resume next month in Geneva.\n\n"
)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short text", 100, "short text"),
        ("no limit " * 50, 0, "no limit " * 50),
        ("Aaaa aaaa aaaa aaaa aaaa.\n\nSecond paragraph here.", 30, "Aaaa aaaa aaaa aaaa aaaa."),
        ("One sentence goes on. Another sentence goes on and on", 25, "One sentence goes on."),
        ("One two three four five six seven", 20, "One two three four"),
        ("x" * 50, 20, "x" * 20),
    ],
)
def test_cut_text_keeps_whole_paragraphs_or_sentences(text: str, limit: int, expected: str) -> None:
    assert cut_text(text, limit) == expected


def test_text_beyond_the_limit_is_cut_with_a_note(sessions, extractor: Extractor) -> None:
    huge = PARAGRAPH * 9_000  # about 1.2 million characters: over spaCy's own limit
    short = ArticleIn(title="Short", text=PARAGRAPH, url="https://news.test/short")
    long = ArticleIn(title="Live: every update", text=huge, url="https://news.test/live")
    ids = run.ingest(sessions, [short, long], force=True).to_process
    done = run.extract(sessions, extractor, ids, limits=run.TextLimits(max_chars=5_000))
    assert set(done) == set(ids)
    with sessions() as s:
        short_row, long_row = (s.get_one(Article, i) for i in ids)
        assert short_row.note is None
        assert long_row.note and "text cut for extraction" in long_row.note
        assert "of 1,1" in long_row.note and "extract_max_chars 5,000" in long_row.note
        assert long_row.text.strip() == huge.strip()  # the stored text stays whole
    claims = done[ids[1]].claims
    assert claims and all(c.end <= 5_000 for c in claims)


def test_long_text_is_chunked_with_offsets_into_the_whole_text(
    sessions, extractor: Extractor
) -> None:
    text = PARAGRAPH * 40  # about 5,200 characters
    article = ArticleIn(title="Long", text=text, url="https://news.test/long")
    ids = run.ingest(sessions, [article], force=True).to_process
    whole = run.extract(sessions, extractor, ids)[ids[0]]
    chunked = run.extract(sessions, extractor, ids, limits=run.TextLimits(chunk_chars=1_000))
    with sessions() as s:
        note = s.get_one(Article, ids[0]).note
    assert note and "extracted in 6 chunks" in note
    claims = chunked[ids[0]].claims  # offsets into the article's text, as unchunked
    assert len(claims) == len(whole.claims)
    assert all(text[c.start : c.end] in c.sentence for c in claims)
    assert [c.start for c in claims] == [c.start for c in whole.claims]


def test_split_text_covers_the_text_in_order() -> None:
    text = PARAGRAPH * 30
    pieces = split_text(text, 500)
    assert all(len(chunk) <= 500 for _, chunk in pieces)
    assert all(text[offset : offset + len(chunk)] == chunk for offset, chunk in pieces)
    assert "".join(chunk for _, chunk in pieces).replace(" ", "").replace("\n", "") == (
        text.replace(" ", "").replace("\n", "")
    )


MEASURE = """
import json, sys, tempfile
from pathlib import Path
from pipeline import run
from pipeline.catalog import load_actors
from pipeline.extract import Extractor
from pipeline.models import ArticleIn
from pipeline.settings import Settings
from pipeline.store.db import make_engine, make_sessionmaker, migrate

s = Settings(_env_file=None)
paragraph = sys.argv[1]
url = f"sqlite:///{tempfile.mkdtemp()}/long.db"
migrate(url)
sessions = make_sessionmaker(make_engine(url))
extractor = Extractor(
    load_actors(Path("config/entities.yaml")),
    batch_size=s.extract_batch_size,
    batch_chars=s.extract_batch_chars,
)
sizes = [20_000] * 8 + [200_000] * 2
articles = [
    ArticleIn(title=f"Article {i}", text=paragraph * (n // len(paragraph)), url=f"https://t/{i}")
    for i, n in enumerate(sizes)
]
ids = run.ingest(sessions, articles, force=True).to_process
limits = run.TextLimits(max_chars=s.extract_max_chars, chunk_chars=s.extract_chunk_chars)
done = run.extract(sessions, extractor, ids, limits=limits)
claims = sum(len(e.claims) for e in done.values())
# VmHWM is this process's own peak: ru_maxrss keeps the forking parent's peak across exec,
# so a child of a large pytest process would report the parent's size.
status = Path("/proc/self/status").read_text()
peak = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]) / 1024
print(json.dumps({"articles": len(done), "claims": claims, "peak_mb": peak}))
"""


@pytest.mark.slow
def test_extractor_memory_is_bounded_on_long_articles() -> None:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, PARAGRAPH],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["articles"] == 10 and measured["claims"] > 0
    assert measured["peak_mb"] <= 400, measured
