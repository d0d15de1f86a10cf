"""The webhook channel against a real aiohttp receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from aiohttp import web
from notify_servers import ThreadedServer, serve_routes

from pipeline.alerts.channels import Delivery, SendResult, get_channel
from pipeline.alerts.channels.webhook import parse_retry_after
from pipeline.alerts.signing import generate_secret, verify_signature
from pipeline.errors import PermanentError

SECRET = generate_secret()
PAYLOAD = {"type": "newsmon.alert", "alert_id": 7, "story": {"title": "Северная Корея"}}


def _verified(request: web.Request, body: bytes) -> web.Response:
    if not verify_signature(SECRET, request.headers, body):
        return web.Response(status=401, text="bad signature")
    return web.json_response({"ok": True})


class Flaky:
    """Fails with 500 the first `failures` times, then accepts."""

    def __init__(self, failures: int) -> None:
        self.left = failures

    def __call__(self, request: web.Request, body: bytes) -> web.Response:
        if self.left > 0:
            self.left -= 1
            return web.Response(status=500, text="database is down")
        return _verified(request, body)


async def _slow(request: web.Request, body: bytes) -> web.Response:
    await asyncio.sleep(5)
    return web.Response(status=200)


async def _huge(request: web.Request, body: bytes) -> web.StreamResponse:
    response = web.StreamResponse(status=400)
    await response.prepare(request)
    for _ in range(64):  # 64 MiB if anybody read it all
        await response.write(b"x" * (1 << 20))
    return response


ROUTES = {
    "/ok": _verified,
    "/flaky": Flaky(2),
    "/500": lambda r, b: web.Response(status=500, text="oops"),
    "/429": lambda r, b: web.Response(status=429, headers={"Retry-After": "120"}),
    "/400": lambda r, b: web.Response(status=400, text="unknown field 'story'"),
    "/slow": _slow,
    "/redirect": lambda r, b: web.Response(status=307, headers={"Location": "/ok"}),
    "/huge": _huge,
}


@pytest.fixture(scope="module")
def receiver() -> Iterator[ThreadedServer]:
    yield from serve_routes(ROUTES)


def send(url: str, *, attempt: int = 1, delivery_id: str = "msg_1", **kw) -> SendResult:
    args = dict(
        delivery_id=delivery_id,
        subscription_id=1,
        target=url,
        payload=PAYLOAD,
        secret=SECRET,
        attempt=attempt,
        timeout=2.0,
        max_response_bytes=4096,
        allow_loopback=True,
    )
    args.update(kw)
    return get_channel("webhook").send(Delivery(**args))


def requests_to(server: ThreadedServer, path: str):
    return [r for r in server.received if r.path == path]


def test_signed_delivery_is_verified_by_the_receiver(receiver: ThreadedServer) -> None:
    result = send(receiver.url("/ok"), delivery_id="msg_signed")
    assert result.ok and result.status == 200, result
    [got] = [r for r in requests_to(receiver, "/ok") if r.headers["webhook-id"] == "msg_signed"]
    assert json.loads(got.body) == PAYLOAD
    assert got.headers["webhook-signature"].startswith("v1,")
    tampered = got.body.replace(b"7", b"8")
    assert not verify_signature(SECRET, got.headers, tampered)
    assert not verify_signature(generate_secret(), got.headers, got.body)


def test_retries_carry_the_same_webhook_id(receiver: ThreadedServer) -> None:
    results = [send(receiver.url("/flaky"), attempt=n, delivery_id="msg_flaky") for n in (1, 2, 3)]
    assert [(r.ok, r.retryable, r.status) for r in results] == [
        (False, True, 500),
        (False, True, 500),
        (True, False, 200),
    ]
    seen = requests_to(receiver, "/flaky")
    assert [r.headers["webhook-id"] for r in seen] == ["msg_flaky"] * 3
    assert "database is down" in results[0].detail


@pytest.mark.parametrize(
    ("path", "ok", "retryable", "status", "retry_after", "detail"),
    [
        ("/500", False, True, 500, None, "oops"),
        ("/429", False, True, 429, 120.0, "429"),
        ("/400", False, False, 400, None, "unknown field 'story'"),
        ("/redirect", False, False, 307, None, "not followed"),
        ("/huge", False, False, 400, None, "xxx"),
    ],
)
def test_status_classification(
    receiver: ThreadedServer, path, ok, retryable, status, retry_after, detail
) -> None:
    result = send(receiver.url(path))
    assert (result.ok, result.retryable, result.status) == (ok, retryable, status)
    assert result.retry_after == retry_after
    assert detail in result.detail
    assert result.extra["response_bytes"] <= 4096
    if path == "/huge":
        assert result.extra["response_bytes"] == 4096  # stopped at the limit, not 64 MiB


def test_redirect_target_is_never_requested(receiver: ThreadedServer) -> None:
    before = len(requests_to(receiver, "/ok"))
    send(receiver.url("/redirect"))
    assert len(requests_to(receiver, "/ok")) == before


def test_slow_receiver_times_out_and_is_retryable(receiver: ThreadedServer) -> None:
    result = send(receiver.url("/slow"), timeout=0.3)
    assert not result.ok and result.retryable
    assert "timed out" in result.detail


def test_connection_refused_is_retryable(receiver: ThreadedServer) -> None:
    closed = ThreadedServer(web.Application()).start()
    url = closed.url("/gone")
    closed.close()
    result = send(url)
    assert not result.ok and result.retryable
    assert "connection failed" in result.detail


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/hook", "private"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[::ffff:10.0.0.1]/hook", "private"),
        ("ftp://example.com/hook", "only http and https"),
    ],
)
def test_unsafe_targets_are_refused(url: str, reason: str) -> None:
    result = send(url)
    assert not result.ok and not result.retryable
    assert reason in result.detail
    with pytest.raises(PermanentError, match=reason):
        get_channel("webhook").validate_target(url, allow_loopback=True)


def test_loopback_refused_unless_allowed(receiver: ThreadedServer) -> None:
    result = send(receiver.url("/ok"), allow_loopback=False)
    assert not result.ok and not result.retryable and "loopback" in result.detail
    with pytest.raises(PermanentError, match="loopback"):
        get_channel("webhook").validate_target(receiver.url("/ok"), allow_loopback=False)
    get_channel("webhook").validate_target(receiver.url("/ok"), allow_loopback=True)


def test_name_resolving_to_loopback_is_refused(receiver: ThreadedServer) -> None:
    result = send(f"http://localhost:{receiver.port}/ok", allow_loopback=False)
    assert not result.ok and not result.retryable and "loopback" in result.detail


async def test_validate_target_works_inside_an_event_loop(receiver: ThreadedServer) -> None:
    with pytest.raises(PermanentError, match="private"):
        get_channel("webhook").validate_target("http://10.1.2.3/", allow_loopback=True)


def test_bad_secret_is_dead(receiver: ThreadedServer) -> None:
    result = send(receiver.url("/ok"), secret="hunter2")
    assert not result.ok and not result.retryable and "whsec_" in result.detail


def test_retry_after_as_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon", now=0.0) is None


def test_old_timestamp_fails_verification() -> None:
    from pipeline.alerts.signing import signature_headers

    headers = signature_headers(SECRET, "msg_old", 1_000_000, b"{}")
    assert verify_signature(SECRET, headers, b"{}", now=1_000_100)
    assert not verify_signature(SECRET, headers, b"{}", now=1_000_000 + 3600)
