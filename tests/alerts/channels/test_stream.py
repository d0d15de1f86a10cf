"""The stream channel: a real Redis subscriber receives what the channel publishes."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from pipeline.alerts.channels import Channels, Delivery, StreamChannel
from tests.conftest import REDIS_BASE


@pytest.fixture
def client() -> Iterator[redis.Redis]:
    conn = redis.Redis.from_url(REDIS_BASE, socket_timeout=5)
    yield conn
    conn.close()


def next_message(pubsub, deadline: float) -> dict:
    while time.monotonic() < deadline:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
        if message is not None:
            return message
    raise AssertionError("no message published")


def test_subscriber_receives_the_payload(client: redis.Redis) -> None:
    prefix = f"test:{uuid.uuid4().hex}:alerts:"
    channel = StreamChannel(client, prefix=prefix)
    pubsub = client.pubsub()
    pubsub.subscribe(prefix + "analyst")
    next_message_deadline = time.monotonic() + 5
    while pubsub.get_message(timeout=0.5) is None:  # wait for the subscribe confirmation
        assert time.monotonic() < next_message_deadline
    payload = {"subscription": {"owner": "analyst"}, "story": {"title": "Северная Корея"}}
    try:
        result = channel.send(Delivery("msg_s", 1, "", payload))
        assert result.ok and "1 listener" in result.detail
        message = next_message(pubsub, time.monotonic() + 5)
        assert json.loads(message["data"]) == {"id": "msg_s", "payload": payload}
        other = channel.send(Delivery("msg_t", 2, "", {"subscription": {"owner": "someone"}}))
        assert other.ok and "0 listener" in other.detail  # another owner's channel
    finally:
        pubsub.close()


def test_registered_under_its_name(client: redis.Redis) -> None:
    channels = Channels()
    channels.register(StreamChannel(client))
    assert channels.get("stream").name == "stream"


def test_redis_down_is_retryable() -> None:
    no_retry = Retry(NoBackoff(), 0)
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1, retry=no_retry)
    result = StreamChannel(dead).send(Delivery("msg_x", 1, "", {"subscription": {"owner": "a"}}))
    assert not result.ok and result.retryable
