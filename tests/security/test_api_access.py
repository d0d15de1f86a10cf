"""The API against a live server: hashed keys, owners isolated, bodies validated, limits."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from sqlalchemy import select

from pipeline import run
from pipeline.models import ArticleIn
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from pipeline.store.tables import ApiKey
from tests.security.conftest import LiveApi

WEBHOOK = {
    "name": "wagner",
    "rule": {"any_actors": ["wagner-group"]},
    "channel": "webhook",
    "target": "http://127.0.0.1:9/hook",
}


def client(api: LiveApi, key: str | None = None) -> httpx.Client:
    headers = {"X-API-Key": key} if key else {}
    return httpx.Client(base_url=api.url, headers=headers, timeout=10)


def test_keys_are_hashed_and_a_near_miss_is_401(live_api: LiveApi) -> None:
    key = live_api.key("alice")
    with live_api.deps.sessions() as session:
        rows = list(session.execute(select(ApiKey.prefix, ApiKey.key_hash)))
    stored = " ".join(f"{p} {h}" for p, h in rows)
    assert key not in stored and hashlib.sha256(key.encode()).hexdigest() in stored
    near = key[:-1] + ("A" if key[-1] != "A" else "B")  # right prefix, one character off
    with client(live_api) as c:
        for wrong in (near, key[:12], key + "x", key.upper()):
            response = c.get("/subscriptions", headers={"X-API-Key": wrong})
            assert response.status_code == 401, wrong
        assert c.get("/subscriptions", headers={"X-API-Key": key}).status_code == 200


def seed_alert(api: LiveApi, subscription_id: int) -> tuple[int, int]:
    """An alert and a delivery for `subscription_id`, as the match stage would store them."""
    article = ArticleIn(title="Wagner", text="Wagner fighters moved.", url="https://x.test/1")
    [article_id] = run.ingest(api.deps.sessions, [article]).to_process
    with transaction(api.deps.sessions) as session:
        row = alert_store.owned_subscription(session, "alice", subscription_id)
        assert row is not None
        spec = alert_store.spec_from_row(row)
        alert_id = alert_store.create_alert(
            session,
            subscription=spec,
            story_id=None,
            article_id=article_id,
            kind="alert",
            dedupe_key="story:1",
            payload={"summary": "Wagner"},
        )
        assert alert_id is not None
        delivery_id = alert_store.create_delivery(session, alert_id, spec)
    return alert_id, delivery_id


def test_another_owners_things_are_404_and_never_listed(live_api: LiveApi) -> None:
    with client(live_api, live_api.key("alice")) as alice:
        created = alice.post("/subscriptions", json=WEBHOOK)
        assert created.status_code == 201, created.text
        sid = created.json()["id"]
    alert_id, delivery_id = seed_alert(live_api, sid)
    with (
        client(live_api, live_api.key("alice")) as alice,
        client(live_api, live_api.key("mallory")) as mallory,
    ):
        owned = [
            f"/subscriptions/{sid}",
            f"/alerts/{alert_id}",
            f"/deliveries/{delivery_id}",
        ]
        for path in owned:
            assert alice.get(path).status_code == 200, path
            assert mallory.get(path).status_code == 404, path
        assert mallory.post(f"/deliveries/{delivery_id}/replay").status_code == 404
        assert mallory.patch(f"/subscriptions/{sid}", json={"updates": True}).status_code == 404
        assert mallory.delete(f"/subscriptions/{sid}").status_code == 404
        for listing in ("/subscriptions", "/alerts", "/deliveries"):
            assert mallory.get(listing).json() == [], listing
            assert len(alice.get(listing).json()) == 1, listing
        # A missing id and another owner's id look the same: nothing to learn from the answer.
        missing = mallory.get("/subscriptions/999999").json()["detail"]
        assert missing.replace("999999", str(sid)) == mallory.get(owned[0]).json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**WEBHOOK, "channel": "carrier-pigeon"}, "channel"),
        ({**WEBHOOK, "target": "http://10.0.0.1/hook"}, "target"),
        ({**WEBHOOK, "target": "http://169.254.169.254/latest"}, "target"),
        ({**WEBHOOK, "target": "file:///etc/passwd"}, "target"),
        ({**WEBHOOK, "rule": {"any_actors": ["no-such-actor"]}}, "no-such-actor"),
        ({**WEBHOOK, "name": ""}, "name"),
        ({**WEBHOOK, "name": "x" * 10_000}, "name"),
        ({**WEBHOOK, "rule": "not an object"}, "rule"),
        ({key: v for key, v in WEBHOOK.items() if key != "target"}, "target"),
    ],
)
def test_bad_bodies_are_clear_4xx(live_api: LiveApi, body: dict, field: str) -> None:
    with client(live_api, live_api.key("alice")) as alice:
        response = alice.post("/subscriptions", json=body)
    assert response.status_code in (400, 422), response.text
    assert field in response.text


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_10_mb_body_is_413(live_api: LiveApi, declared: bool) -> None:
    blob = b'{"name": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    content = blob if declared else iter([blob[i : i + 65536] for i in range(0, len(blob), 65536)])
    with client(live_api, live_api.key("alice")) as alice:
        response = alice.post(
            "/subscriptions", content=content, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413, response.text[:200]


def test_a_burst_over_the_rate_limit_is_429_with_retry_after(live_api: LiveApi) -> None:
    with client(live_api, live_api.key("alice")) as alice:
        answers = [alice.get("/subscriptions") for _ in range(300)]
    limited = [r for r in answers if r.status_code == 429]
    assert limited and limited[0].headers.get("Retry-After", "").isdigit()
