"""The dashboard's pages in Chromium: login, stories, a story, an actor's claim graph."""

from __future__ import annotations

from typing import Any

import httpx

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
    edge.locator("text").click()  # the predicate label of the edge
    section = page.locator("#edge-claims")
    section.wait_for(timeout=TIMEOUT)
    assert section.locator("tr.claim").count() > 0
    assert "North Korea" in section.inner_text()
    shot(stack, page, "actor-edge")


def test_actor_added_edited_and_removed_from_the_dashboard(page: Any, stack: Stack) -> None:
    login(page, stack)
    page.goto(f"{stack.url}/ui/actors")
    form = page.locator("form.actor-form")
    form.locator('input[name="id"]').fill("azov-brigade")
    form.locator('input[name="name"]').fill("Azov Brigade")
    form.locator('textarea[name="aliases"]').fill("Azov\nАзов")
    form.locator("button").click()
    page.locator("h1", has_text="Azov Brigade").wait_for(timeout=TIMEOUT)
    assert "Азов" in page.locator("p.aliases").inner_text()
    page.click("details.edit-actor summary")
    page.fill('details.edit-actor textarea[name="aliases"]', "Azov Regiment")
    page.click("details.edit-actor form.actor-form button")
    page.locator("p.aliases", has_text="Azov Regiment").wait_for(timeout=TIMEOUT)
    page.click("details.edit-actor summary")
    page.click("text=Remove this actor")
    page.wait_for_url(f"{stack.url}/ui/actors", timeout=TIMEOUT)
    assert "Azov" not in page.locator("main table").inner_text()


def test_login_refusals_cookie_flags_and_json_twins(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        assert client.get("/ui/login", params={"token": "forged"}).status_code == 401
        assert client.post("/ui/login", data={"api_key": "nmk_nope"}).status_code == 401
        token = stack.login_url.split("token=")[1]
        https = client.get(
            "/ui/login", params={"token": token}, headers={"X-Forwarded-Proto": "https"}
        )
        cookie = https.headers["set-cookie"].lower()
        assert https.status_code == 303 and "secure" in cookie and "httponly" in cookie
        assert "samesite=lax" in cookie
        plain = client.get("/ui/login", params={"token": token})
        assert "secure" not in plain.headers["set-cookie"].lower()
        stories = client.get("/ui/stories.json").json()["stories"]
        story = client.get(f"/ui/stories/{stories[0]['id']}.json").json()["story"]
        assert story["outlets"] and "claim_list" in story
        actor = client.get("/ui/actors/wagner-group.json").json()
        assert any(e["subject"] == "north-korea" for e in actor["edges"])
        client.cookies.clear()
        assert client.get("/ui/stories.json").status_code == 303
        assert client.post("/ui/feeds", data={"url": "https://x.example/"}).status_code == 303
