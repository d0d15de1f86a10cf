"""Recovery end to end: a worker SIGKILLed mid-delivery, digests, a channel failing for days,
and the live SSE stream, through a real worker, beat and API server."""

from __future__ import annotations

import json
import os
import signal
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from pipeline.models import Rule
from pipeline.store import alerts as alert_store
from pipeline.store.db import transaction
from pipeline.store.tables import AlertRow, Subscription
from tests.alerts.conftest import Receiver, Stack, article
from tests.api.conftest import ThreadedUvicorn
from tests.conftest import wait_for
from workers.web import create_app

pytestmark = pytest.mark.slow

# A send may take up to 3 s, so the lease (2 x timeout + 1) frees a killed one after 7 s.
STACK_SETTINGS = {"alerts_delivery_timeout": 3.0}
WAGNER = "The Wagner Group sent fighters to Mali, officials said."


def test_worker_killed_mid_delivery_gives_one_alert_sent_once_more_same_id(
    stack: Stack, receiver: Receiver
) -> None:
    receiver.blocking.add("/slow")
    sub_id, _ = stack.subscribe("killed", receiver.url("/slow"))
    stack.submit(article(WAGNER, "killed"))
    wait_for(lambda: receiver.at("/slow"), 60, what="the first attempt to arrive")
    assert stack.worker is not None
    os.killpg(stack.worker.process.pid, signal.SIGKILL)  # the whole worker, mid-send
    stack.worker.process.wait(10)
    stack.worker.handle.close()
    receiver.blocking.discard("/slow")
    stack.start_worker()
    [sent] = stack.wait_delivery(sub_id, "sent")
    hits = receiver.at("/slow")
    assert len(hits) == 2 and {h.headers["webhook-id"] for h in hits} == {sent.delivery_key}
    assert len(stack.alerts(sub_id)) == 1


def test_digest_lists_the_stories_in_one_message(stack: Stack, receiver: Receiver) -> None:
    rule = Rule(any_actors=("wagner-group", "vladimir-putin"))
    sub_id, _ = stack.subscribe(
        "daily", receiver.url("/digest"), rule=rule, mode="digest", digest_minutes=60
    )
    job = stack.submit(
        article(WAGNER, "digest-1"),
        article("Vladimir Putin visited the border with Ukraine, the Kremlin said.", "digest-2"),
    )
    stack.wait_job(job, 2)
    assert len(stack.alerts(sub_id)) == 2 and receiver.at("/digest") == []
    with transaction(stack.deps.sessions) as session:  # an hour passes
        hour_ago = datetime.now(UTC) - timedelta(minutes=61)
        session.execute(
            update(Subscription).where(Subscription.id == sub_id).values(created_at=hour_ago)
        )
    [delivery] = stack.wait_delivery(sub_id, "sent")
    [hit] = receiver.at("/digest")
    digest = json.loads(hit.body)
    assert digest["kind"] == "digest" and digest["count"] == 2
    assert sorted(digest["alert_ids"]) == sorted(a.id for a in stack.alerts(sub_id)[:2])
    assert hit.headers["webhook-id"] == delivery.delivery_key


def test_channel_failing_for_days_is_disabled_and_its_owner_told(
    stack: Stack, receiver: Receiver
) -> None:
    receiver.scripts["/down"] = [(503, {})] * 50
    sub_id, _ = stack.subscribe("down", receiver.url("/down"), owner="carol")
    stack.submit(article(WAGNER, "down"))
    wait_for(lambda: receiver.at("/down"), 60, what="a failed attempt")
    with transaction(stack.deps.sessions) as session:  # it has been failing for six days
        six_days_ago = datetime.now(UTC) - timedelta(days=6)
        session.execute(
            update(Subscription).where(Subscription.id == sub_id).values(failing_since=six_days_ago)
        )

    def disabled() -> Subscription | None:
        with stack.deps.sessions() as session:
            row = session.get_one(Subscription, sub_id)
            return row if not row.enabled else None

    row = wait_for(disabled, 30, what="the subscription disabled")
    assert "failing continuously since" in (row.disabled_reason or "")  # type: ignore[union-attr]
    with stack.deps.sessions() as session:
        notices = list(
            session.scalars(
                select(AlertRow).where(AlertRow.owner == "carol", AlertRow.kind == "notice")
            )
        )
    assert len(notices) == 1 and "disabled" in notices[0].payload["summary"]
    assert all(d.state == "dead" for d in stack.deliveries(sub_id))


def test_sse_stream_relays_the_owners_alerts(stack: Stack) -> None:
    app = create_app(stack.settings)
    server = ThreadedUvicorn(app)
    url = server.start()
    try:
        with transaction(stack.deps.sessions) as session:
            alice = alert_store.create_api_key(session, "alice")
            bob = alert_store.create_api_key(session, "bob")
        with httpx.Client(base_url=url, timeout=10) as client:
            body = {"name": "live", "rule": {"any_actors": ["wagner-group"]}, "channel": "stream"}
            created = client.post("/subscriptions", json=body, headers={"X-API-Key": alice})
            assert created.status_code == 201, created.text
        alice_events = _listen(url, alice)
        bob_events = _listen(url, bob)
        wait_for(lambda: alice_events.connected.is_set() and bob_events.connected.is_set(), 10)
        stack.submit(article(WAGNER, "live"))
        wait_for(lambda: alice_events.events, 60, what="an SSE event")
        event = alice_events.events[0]
        payload = json.loads(event["data"])
        [delivery] = stack.deliveries(created.json()["id"])
        assert event["id"] == delivery.delivery_key and event["event"] == "alert"
        assert payload["subscription"]["owner"] == "alice"
        assert bob_events.events == []
    finally:
        server.stop()
        app.state.deps.close()


class _Listener(threading.Thread):
    def __init__(self, url: str, key: str) -> None:
        super().__init__(daemon=True)
        self.url, self.key = url, key
        self.connected = threading.Event()
        self.events: list[dict[str, str]] = []

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        with httpx.stream("GET", f"{self.url}/alerts/stream", headers=headers, timeout=60) as r:
            current: dict[str, str] = {}
            for line in r.iter_lines():
                if line.startswith(": connected"):
                    self.connected.set()
                elif line == "" and current:
                    self.events.append(current)
                    current = {}
                elif ":" in line and not line.startswith(":"):
                    name, _, value = line.partition(":")
                    current[name] = value.strip()


def _listen(url: str, key: str) -> _Listener:
    listener = _Listener(url, key)
    listener.start()
    return listener
