"""The dashboard's pages in Chromium: login, stories, a story, an actor's claim graph."""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import Stack, shot

TIMEOUT = 10_000


def login(page: Any, stack: Stack) -> None:
    page.goto(stack.login_url)
    page.wait_for_url(f"{stack.url}/ui/", timeout=TIMEOUT)


def test_printed_url_logs_in_and_home_lists_the_seed_story(page: Any, stack: Stack) -> None:
    page.goto(f"{stack.url}/ui/")
    page.wait_for_url("**/ui/login", timeout=TIMEOUT)
    login(page, stack)
    story = page.locator("li.story", has_text="North Korea supplying arms")
    story.wait_for(timeout=TIMEOUT)
    assert "claim" in story.locator(".claim-count").inner_text()
    assert int(story.locator(".claim-count").inner_text().split()[0]) > 0
    shot(stack, page, "home")
    cookie = next(c for c in page.context.cookies() if c["name"] == "newsmon_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"


def test_story_page_shows_outlets_copies_claims_and_marked_text(page: Any, stack: Stack) -> None:
    login(page, stack)
    page.locator("li.story a.title", has_text="North Korea supplying arms").click()
    page.locator("h1.story-title").wait_for(timeout=TIMEOUT)
    outlets = page.locator("table.outlets")
    assert "independent" in outlets.inner_text() and "copy of" in outlets.inner_text()
    claims = page.locator("table.claims tr.claim")
    assert claims.count() > 0
    assert "North Korea" in page.locator("table.claims").inner_text()
    assert page.locator("article.text mark.mention").count() > 3
    assert page.locator("article.text .claim-sentence").count() > 0
    shot(stack, page, "story")


def test_wagner_actor_page_draws_the_north_korea_edge(page: Any, stack: Stack) -> None:
    login(page, stack)
    page.goto(f"{stack.url}/ui/actors/wagner-group")
    graph = page.locator("#claim-graph")
    graph.wait_for(timeout=TIMEOUT)
    assert page.locator("svg.chart rect").count() > 0
    edge = page.locator(
        '#claim-graph a.edge[data-subject="north-korea"][data-object="wagner-group"]'
    ).first
    edge.wait_for(timeout=TIMEOUT)
    assert page.locator('#claim-graph a.node[data-node="north-korea"]').count() == 1
    shot(stack, page, "actor")
    edge.click()
    section = page.locator("#edge-claims")
    section.wait_for(timeout=TIMEOUT)
    assert section.locator("tr.claim").count() > 0
    assert "North Korea" in section.inner_text()
    shot(stack, page, "actor-edge")
