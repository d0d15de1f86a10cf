"""Alerts end to end through a real Celery worker and beat: signed webhooks, retries, dead
deliveries and replay, Retry-After, one alert per story across syndicated copies, e-mail."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from pipeline.alerts.signing import verify_signature
from pipeline.models import Rule
from pipeline.store.db import transaction
from pipeline.store.tables import Subscription
from tests.alerts.conftest import Inbox, Receiver, Stack, article, copy_of
from tests.conftest import ROOT, settings_env, wait_for

pytestmark = pytest.mark.slow

WAGNER = "The Wagner Group sent fighters to Mali, officials said."


@pytest.fixture(autouse=True)
def one_test_at_a_time(stack: Stack) -> Iterator[None]:
    """Each test's subscriptions stop matching when it ends, so later articles stay its own."""
    yield
    with transaction(stack.deps.sessions) as session:
        session.execute(update(Subscription).values(enabled=False))


def test_signed_webhook_carries_the_story_once(stack: Stack, receiver: Receiver) -> None:
    sub_id, secret = stack.subscribe("signed", receiver.url("/signed"))
    stack.submit(article(WAGNER, "signed"))
    [delivery] = stack.wait_delivery(sub_id, "sent")
    [hit] = receiver.at("/signed")
    assert secret and verify_signature(secret, hit.headers, hit.body)
    assert not verify_signature(secret, hit.headers, hit.body + b" ")
    assert hit.headers["webhook-id"] == delivery.delivery_key
    payload = json.loads(hit.body)
    assert payload["kind"] == "alert" and payload["subscription"]["id"] == sub_id
    assert payload["alert_id"] == delivery.alert_id
    assert [a["id"] for a in payload["actors"]] == ["wagner-group"]
    assert payload["story"]["first_article"]["source"] == "example.org"
    assert payload["links"]["article"].startswith("https://example.org/news/")
    assert delivery.attempts == 1 and delivery.last_error is None


def test_two_500s_then_accepted_is_one_alert_three_attempts_same_id(
    stack: Stack, receiver: Receiver
) -> None:
    receiver.scripts["/flaky"] = [(500, {}), (500, {})]
    sub_id, _ = stack.subscribe("flaky", receiver.url("/flaky"))
    stack.submit(article(WAGNER, "flaky"))
    [delivery] = stack.wait_delivery(sub_id, "sent")
    hits = receiver.at("/flaky")
    assert len(hits) == 3 and delivery.attempts == 3
    assert {h.headers["webhook-id"] for h in hits} == {delivery.delivery_key}
    assert len(stack.alerts(sub_id)) == 1


def test_400_is_dead_at_once_with_its_reason_then_replayed(
    stack: Stack, receiver: Receiver
) -> None:
    receiver.scripts["/bad"] = [(400, {})]
    sub_id, _ = stack.subscribe("bad", receiver.url("/bad"))
    stack.submit(article(WAGNER, "bad"))
    [dead] = stack.wait_delivery(sub_id, "dead")
    assert dead.attempts == 1 and dead.last_status == 400
    assert "HTTP 400" in (dead.last_error or "") and "answer 400" in (dead.last_error or "")
    listed = _newsmon(stack, "alerts", "list", "--json", "--dead")
    assert listed.returncode == 0, listed.stderr[-2000:]
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert any(r["delivery_id"] == dead.id and "HTTP 400" in r["last_error"] for r in rows), rows

    replayed = _newsmon(stack, "alerts", "replay", str(dead.alert_id))
    assert replayed.returncode == 0, replayed.stderr
    [sent] = stack.wait_delivery(sub_id, "sent")
    hits = receiver.at("/bad")
    assert len(hits) == 2 and {h.headers["webhook-id"] for h in hits} == {sent.delivery_key}


def test_retry_after_is_a_floor(stack: Stack, receiver: Receiver) -> None:
    receiver.scripts["/busy"] = [(429, {"Retry-After": "2"})]
    sub_id, _ = stack.subscribe("busy", receiver.url("/busy"))
    stack.submit(article(WAGNER, "busy"))
    stack.wait_delivery(sub_id, "sent")
    first, second = receiver.at("/busy")
    # The schedule says 0.3 s; the receiver asked for 2 s, so the retry waits at least that.
    assert second.at - first.at >= 1.9


def test_syndicated_copies_and_reprocessing_yield_one_alert_per_story(
    stack: Stack, receiver: Receiver
) -> None:
    rule = Rule(any_actors=("wagner-group", "vladimir-putin", "joe-biden"))
    sub_id, _ = stack.subscribe("corpus", receiver.url("/corpus"), rule=rule)
    leads = [
        "The Wagner Group sent fighters to Mali, officials said.",
        "Vladimir Putin visited the border with Ukraine, the Kremlin said.",
        "Joe Biden met leaders of South Korea in Seoul, the White House said.",
    ]
    originals = [article(lead, f"corpus-{i}") for i, lead in enumerate(leads)]
    copies = [
        copy_of(o, outlet, f"{o.title} ({outlet})")
        for o in originals
        for outlet in ("wire-one.example", "wire-two.example")
    ]
    stack.submit(*originals)
    stack.wait_delivery(sub_id, "sent", 3)
    stack.wait_job(stack.submit(*copies), len(copies))
    again = stack.submit(*originals, *copies)  # reprocessing the whole corpus
    stack.wait_job(again, len(originals) + len(copies))
    alerts = stack.alerts(sub_id)
    assert len(alerts) == 3 and len({a.story_id for a in alerts}) == 3
    assert len({h.headers["webhook-id"] for h in receiver.at("/corpus")}) == 3


def test_email_reaches_a_real_smtp_server(stack: Stack) -> None:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        target = f"smtp://127.0.0.1:{controller.port}/?to=analyst@example.org"
        sub_id, _ = stack.subscribe("mail", target, channel="email")
        stack.submit(article(WAGNER, "mail"))
        [delivery] = stack.wait_delivery(sub_id, "sent")
        wait_for(lambda: inbox.messages, 10, what="an e-mail")
    finally:
        controller.stop()
    message = inbox.messages[0]
    assert "Wagner Group" in message["Subject"]
    assert delivery.delivery_key in message["Message-ID"]
    assert message.get_body(("html",)) is not None


def test_update_when_the_story_grows_once_per_step(stack: Stack, receiver: Receiver) -> None:
    rule = Rule(any_actors=("north-korea",))
    sub_id, _ = stack.subscribe("grows", receiver.url("/grows"), rule=rule, updates=True)
    first = article(
        "North Korea has delivered rockets and missiles to the Wagner Group, "
        "White House spokesman John Kirby said.",
        "grows-1",
        source="first.example",
    )
    denial = article(
        "North Korea denied that it supplied weapons to the Wagner Group, rejecting claims "
        "by White House spokesman John Kirby.",
        "grows-2",
        source="second.example",
    )
    stack.submit(first)
    stack.wait_delivery(sub_id, "sent")
    stack.submit(denial)
    stack.wait_delivery(sub_id, "sent", 2)
    stack.wait_job(stack.submit(denial), 1)  # the same growth again sends nothing more
    kinds = [a.kind for a in stack.alerts(sub_id)]
    assert kinds == ["alert", "update"]
    update = json.loads(receiver.at("/grows")[1].body)
    assert update["kind"] == "update" and update["story"]["independent_outlets"] == 2
    assert any("denies" in change for change in update["changes"]), update["changes"]


def test_no_alerts_flag_backfills_silently(stack: Stack, receiver: Receiver) -> None:
    sub_id, _ = stack.subscribe("quiet", receiver.url("/quiet"))
    quiet = article(WAGNER, "quiet", source="quiet.example")
    stack.wait_job(stack.submit(quiet, alerts=False), 1)
    assert _status_of(stack, quiet.url) == "processed"
    assert stack.alerts(sub_id) == [] and receiver.at("/quiet") == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status_of(stack: Stack, url: str | None) -> str | None:
    from sqlalchemy import select

    from pipeline.store.tables import Article

    with stack.deps.sessions() as session:
        return session.scalar(select(Article.status).where(Article.url == url))


def _newsmon(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workers.cli.main", *args],
        env=settings_env(stack.settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
