"""Search in Chromium: one store function over SQLite FTS5 and PostgreSQL full-text search,
with filters, and exports as CSV and JSON lines."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from pipeline.store.browse import Filters
from pipeline.store.search import search, terms_of
from tests.ui.conftest import Stack, shot
from tests.ui.test_pages import TIMEOUT, login


def test_store_search_matches_words_phrases_prefixes_and_filters(stack: Stack) -> None:
    with stack.deps.sessions() as session:
        rockets = search(session, "infantry rockets", kind="claims")
        assert rockets.items and all("rockets" in c["sentence"] for c in rockets.items)
        phrase = search(session, '"initial arms delivery"', kind="claims")
        assert phrase.items and "initial arms delivery" in phrase.items[0]["sentence"]
        prefix = search(session, "Soled*", kind="articles")
        assert prefix.items and "Soledar" in prefix.items[0]["title"]
        denied = search(session, "North Korea", kind="claims", filters=Filters(negated=True))
        assert denied.items and all(c["negated"] for c in denied.items)
        assert not search(session, "zzzunknownword", kind="articles").items
        # FTS operators typed by a user are words, never syntax.
        assert search(session, 'Soledar NEAR( " * : ^', kind="articles").items == prefix.items


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("a b", [("a", False), ("b", False)]),
        ('"x y" z*', [("x y", False), ("z", True)]),
        ("( )", []),
    ],
)
def test_terms_of(query: str, terms: list[tuple[str, bool]]) -> None:
    assert terms_of(query) == terms


def test_search_page_and_exports(page: Any, stack: Stack) -> None:
    login(page, stack)
    page.goto(f"{stack.url}/ui/search")
    page.fill('input[name="q"]', "Wagner")
    page.fill('input[name="actor"]', "north-korea")
    page.click("form.search button[type=submit]")
    page.locator("table.claims tr.claim").first.wait_for(timeout=TIMEOUT)
    shot(stack, page, "search")
    csv_url = stack.url + page.locator("a.export-csv").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(page.request.get(csv_url).text())))
    assert rows and all(
        r["subject_id"] == "north-korea" or r["object_id"] == "north-korea" for r in rows
    )
    jsonl_url = stack.url + page.locator("a.export-jsonl").get_attribute("href")
    lines = [json.loads(x) for x in page.request.get(jsonl_url).text().splitlines()]
    assert len(lines) == len(rows) and "sentence" in lines[0]
