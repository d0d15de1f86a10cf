"""An actor added at run time is recognised by the next extraction, without a restart."""

from __future__ import annotations

from pipeline.store import manage
from pipeline.store.db import transaction
from tests.ui.conftest import Stack

TEXT = "Fighters of the Kraken Unit shelled the village, officials said."


def mentioned(stack: Stack) -> set[str | None]:
    extraction = next(iter(stack.deps.extractor.extract_many([TEXT])))
    return {e.id for e in extraction.entities}


def test_added_and_removed_actor_changes_extraction_at_run_time(stack: Stack) -> None:
    assert "kraken-unit" not in mentioned(stack)
    with transaction(stack.deps.sessions) as session:
        manage.save_actor(
            session, "kraken-unit", name="Kraken Unit", type="ORG", aliases=["Kraken Unit"]
        )
    try:
        assert "kraken-unit" in mentioned(stack)
    finally:
        with transaction(stack.deps.sessions) as session:
            manage.remove_actor(session, "kraken-unit")
    assert "kraken-unit" not in mentioned(stack)
