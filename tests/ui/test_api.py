"""The dashboard's data in the JSON API: filters, cursor pagination, run-time edits of actors
and feeds, and API keys listed and revoked (on SQLite and PostgreSQL)."""

from __future__ import annotations

import httpx

from tests.ui.conftest import Stack


def walk(client: httpx.Client, path: str, **params: object) -> list[dict]:
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        items += response.json()
        cursor = response.headers.get("x-next-cursor")
        if not cursor:
            return items
        assert 'rel="next"' in response.headers["link"]


def test_claims_and_articles_page_with_cursors_and_filters(stack: Stack) -> None:
    with stack.api("analyst") as client:
        every = walk(client, "/claims", limit=3)
        ids = [c["id"] for c in every]
        assert len(ids) > 6 and ids == sorted(set(ids), reverse=True)
        assert ids == [c["id"] for c in client.get("/claims", params={"limit": 500}).json()]
        denied = walk(client, "/claims", actor="north-korea", negated=True, limit=2)
        assert denied and all(c["negated"] for c in denied)
        supply = walk(client, "/claims", predicate="supply", source="foxnews.com")
        assert supply and {c["predicate"] for c in supply} == {"supply"}
        articles = walk(client, "/articles", actor="wagner-group", with_claims=True, limit=2)
        assert {a["source"] for a in articles} >= {"foxnews.com", "hostile.example"}
        assert walk(client, "/articles", since="2100-01-01T00:00:00Z") == []
        stories = walk(client, "/stories/page", actor="north-korea", limit=1)
        assert stories and all("north-korea" in s["actors"] for s in stories)
        graph = client.get("/actors/wagner-group/graph").json()
        assert any(e["subject"] == "north-korea" for e in graph["edges"])
        article = client.get(f"/articles/{articles[-1]['id']}").json()
        assert article["mentions"] and "text" in article
        assert client.get("/claims").status_code == 200
    assert httpx.get(f"{stack.url}/claims").status_code == 401


def test_actors_and_feeds_edited_at_run_time(stack: Stack) -> None:
    with stack.api("analyst") as client:
        body = {"id": "azov-brigade", "name": "Azov Brigade", "type": "ORG", "aliases": ["Azov"]}
        assert client.post("/actors", json=body).status_code == 201
        assert client.post("/actors", json=body).status_code == 409
        changed = client.patch("/actors/azov-brigade", json={"aliases": ["Azov", "Азов"]})
        assert changed.json()["aliases"] == ["Azov", "Азов"]
        assert any(a["id"] == "azov-brigade" for a in client.get("/actors").json())
        assert client.delete("/actors/azov-brigade").status_code == 204
        assert client.delete("/actors/azov-brigade").status_code == 404
        assert client.post("/actors", json={**body, "type": "CAT"}).status_code == 422

        feed = client.post("/feeds", json={"url": "https://api-feed.example/rss", "name": "API"})
        assert feed.status_code == 201
        feed_id = feed.json()["id"]
        paused = client.patch(f"/feeds/{feed_id}", json={"enabled": False, "language": "uk"})
        assert paused.json()["state"] == "paused" and paused.json()["language"] == "uk"
        assert [f["id"] for f in walk(client, "/feeds", state="paused")].count(feed_id) == 1
        assert client.post("/feeds", json={"url": "javascript:alert(1)"}).status_code == 422
        assert client.delete(f"/feeds/{feed_id}").status_code == 204


def test_keys_listed_and_revoked_by_their_owner_only(stack: Stack) -> None:
    raw = stack.key("carol")
    carol = httpx.Client(base_url=stack.url, headers={"X-API-Key": raw}, timeout=10)
    with carol, stack.api("dave") as dave:
        keys = carol.get("/keys").json()
        assert {k["owner"] for k in keys} == {"carol"} and all("hash" not in k for k in keys)
        mine = next(k for k in keys if raw.startswith(k["prefix"]))
        assert dave.delete(f"/keys/{mine['id']}").status_code == 404
        revoked = carol.delete(f"/keys/{mine['id']}")
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        assert carol.get("/keys").status_code == 401
