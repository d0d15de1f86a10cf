"""The Apprise channel: a json:// URL against a real aiohttp receiver on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from aiohttp import web
from notify_servers import ThreadedServer, serve_routes

from pipeline.alerts.channels import Delivery, get_channel
from pipeline.errors import PermanentError

PAYLOAD = {
    "summary": "[newsmon] North Korea: rockets for Wagner (2 outlets)",
    "story": {"title": "Rockets for Wagner", "outlets": []},
    "actors": [],
    "claims": [],
    "subscription": {"name": "nk", "owner": "analyst"},
}

ROUTES = {
    "/ok": lambda r, b: web.json_response({"ok": True}),
    "/400": lambda r, b: web.Response(status=400, text="bad"),
    "/503": lambda r, b: web.Response(status=503, text="later"),
}


@pytest.fixture(scope="module")
def receiver() -> Iterator[ThreadedServer]:
    yield from serve_routes(ROUTES)


def send(target: str, *, allow_loopback: bool = True):
    delivery = Delivery("msg_a", 1, target, PAYLOAD, timeout=3.0, allow_loopback=allow_loopback)
    return get_channel("apprise").send(delivery)


def test_json_url_delivers_title_and_text_body(receiver: ThreadedServer) -> None:
    result = send(f"json://127.0.0.1:{receiver.port}/ok")
    assert result.ok, result
    [got] = [r for r in receiver.received if r.path == "/ok"]
    body = json.loads(got.body)
    assert body["title"] == PAYLOAD["summary"]
    assert "Rockets for Wagner" in body["message"]


@pytest.mark.parametrize(
    ("path", "retryable", "status"), [("/400", False, 400), ("/503", True, 503)]
)
def test_failures_are_classified(
    receiver: ThreadedServer, path: str, retryable: bool, status: int
) -> None:
    result = send(f"json://127.0.0.1:{receiver.port}{path}")
    assert (result.ok, result.retryable, result.status) == (False, retryable, status)
    assert result.detail


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("json://10.0.0.1/hook", "private"),
        ("ntfy://169.254.169.254/topic", "metadata"),
        ("json://localhost:9/", "loopback"),
        ("nonsense://whatever", "not a valid Apprise URL"),
    ],
)
def test_unsafe_or_invalid_targets_are_refused(url: str, reason: str) -> None:
    with pytest.raises(PermanentError, match=reason):
        get_channel("apprise").validate_target(url, allow_loopback=False)
    result = send(url, allow_loopback=False)
    assert not result.ok and not result.retryable and reason in result.detail


def test_fixed_endpoint_services_are_not_resolved() -> None:
    # Slack's URL carries tokens where a host would be; nothing to check, nothing to refuse.
    get_channel("apprise").validate_target(
        "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", allow_loopback=False
    )
