"""The subscriptions API over a real server: keys, owner isolation, validation, limits."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from pipeline.store.tables import ApiKey
from tests.api.conftest import Api

WAGNER = {"any_actors": ["wagner-group"]}


def webhook_body(name: str = "wagner", target: str = "http://127.0.0.1:9/hook", **extra):
    return {"name": name, "rule": WAGNER, "channel": "webhook", "target": target, **extra}


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "nmk_wrong"}, {"Authorization": "Bearer nmk_wrong"}, {"X-API-Key": ""}],
)
def test_every_request_needs_a_valid_key(api: Api, headers: dict[str, str]) -> None:
    with api.client() as client:
        for method, path in [("GET", "/subscriptions"), ("GET", "/alerts"), ("GET", "/deliveries")]:
            response = client.request(method, path, headers=headers)
            assert response.status_code == 401, (path, response.text)


def test_keys_are_stored_hashed_and_bearer_works(api: Api) -> None:
    key = api.key("alice")
    with api.deps.sessions() as session:
        stored = list(session.scalars(select(ApiKey.key_hash)))
    assert key not in stored and hashlib.sha256(key.encode()).hexdigest() in stored
    with api.client() as client:
        response = client.get("/subscriptions", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200 and response.json() == []


def test_owner_sees_and_changes_only_their_own(api: Api) -> None:
    with api.client("alice") as alice, api.client("bob") as bob:
        created = alice.post("/subscriptions", json=webhook_body())
        assert created.status_code == 201, created.text
        sub = created.json()
        assert sub["owner"] == "alice" and sub["secret"].startswith("whsec_")
        sid = sub["id"]
        assert [s["id"] for s in alice.get("/subscriptions").json()] == [sid]
        assert bob.get("/subscriptions").json() == []
        assert bob.get(f"/subscriptions/{sid}").status_code == 404
        assert bob.patch(f"/subscriptions/{sid}", json={"updates": True}).status_code == 404
        assert bob.delete(f"/subscriptions/{sid}").status_code == 404
        assert alice.get(f"/subscriptions/{sid}").json()["updates"] is False
        changed = alice.patch(f"/subscriptions/{sid}", json={"updates": True})
        assert changed.status_code == 200 and changed.json()["updates"] is True
        assert alice.delete(f"/subscriptions/{sid}").status_code == 204
        assert alice.get(f"/subscriptions/{sid}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        (webhook_body(rule={"any_actors": ["wagner-group", "nobody-x"]}), "any_actors", "nobody-x"),
        (webhook_body(rule={"claim_subject": "ghost-actor"}), "claim_subject", "ghost-actor"),
        (webhook_body(target="http://10.0.0.1/hook"), "target", "10.0.0.1"),
        (webhook_body(target="http://169.254.169.254/latest"), "target", "169.254.169.254"),
        (webhook_body(target="ftp://127.0.0.1/x"), "target", "http"),
        (webhook_body(channel="pigeon"), "channel", "unknown channel"),
        (webhook_body(rule={}), "rule", "matches nothing"),
        (webhook_body(mode="digest"), "digest_minutes", "required"),
        (webhook_body(secret="not-base64!"), "secret", "whsec_"),
        (webhook_body(channel="email", target="smtp://127.0.0.1/"), "target", "to="),
        (webhook_body(channel="file", target="/etc/passwd"), "target", "inside"),
        (webhook_body(colour="red"), "colour", "Extra inputs"),
    ],
)
def test_invalid_subscriptions_are_422_naming_the_problem(
    api: Api, body: dict, field: str, says: str
) -> None:
    with api.client("alice") as client:
        response = client.post("/subscriptions", json=body)
        assert response.status_code == 422, response.text
        problems = response.json()["detail"]
        assert any(field in p["loc"] and says in p["msg"] for p in problems), problems
        assert client.get("/subscriptions").json() == []


def test_private_target_refused_even_when_loopback_is_allowed(api: Api) -> None:
    with api.client("alice") as client:
        response = client.post("/subscriptions", json=webhook_body(target="http://10.0.0.1/"))
    assert response.status_code == 422 and "private" in response.text


def test_loopback_refused_unless_the_setting_allows_it(api_factory) -> None:
    strict = api_factory(alerts_allow_loopback=False)
    with strict.client("alice") as client:
        response = client.post("/subscriptions", json=webhook_body())
    assert response.status_code == 422 and "loopback" in response.text


def test_duplicate_name_is_409_and_config_subscriptions_cannot_be_deleted(api: Api) -> None:
    with api.client("alice") as client:
        assert client.post("/subscriptions", json=webhook_body()).status_code == 201
        assert client.post("/subscriptions", json=webhook_body()).status_code == 409
    with api.client("analyst") as analyst:
        config_subs = analyst.get("/subscriptions").json()
        assert {s["origin"] for s in config_subs} == {"config"}
        assert analyst.delete(f"/subscriptions/{config_subs[0]['id']}").status_code == 409


def test_stream_subscription_targets_its_owner(api: Api) -> None:
    body = {"name": "live", "rule": WAGNER, "channel": "stream"}
    with api.client("alice") as client:
        created = client.post("/subscriptions", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["target"] == "alice"


def test_request_bodies_over_the_limit_are_413(api_factory) -> None:
    small = api_factory(api_max_body_bytes=2048)
    body = webhook_body(name="x" * 190, rule={"sources": ["s" * 100] * 40})
    with small.client("alice") as client:
        declared = client.post("/subscriptions", json=body)
        assert declared.status_code == 413

        def chunks():
            yield b'{"name": "' + b"y" * 4000
            yield b'"}'

        streamed = client.post(
            "/subscriptions", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        assert client.get("/subscriptions").json() == []


def test_openapi_documents_the_api_and_its_key(api: Api) -> None:
    with api.client() as client:
        doc = client.get("/openapi.json").json()
    paths = set(doc["paths"])
    expected = {"/subscriptions", "/subscriptions/{subscription_id}", "/alerts", "/alerts/stream"}
    assert expected | {"/deliveries", "/deliveries/{delivery_id}/replay"} <= paths
    schemes = doc["components"]["securitySchemes"]
    assert {s.get("name") for s in schemes.values()} >= {"X-API-Key"}
