"""The file channel, the channel registry and the retry schedule."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest

from pipeline.alerts.channels import Channels, Delivery, builtin_channels, get_channel
from pipeline.alerts.channels.file import FileChannel
from pipeline.alerts.channels.retry import DEFAULT_SCHEDULE, next_delay
from pipeline.errors import PermanentError


def delivery(target: str, n: int = 0) -> Delivery:
    payload = {"alert_id": n, "text": "x" * 5000, "unicode": "Северная Корея"}
    return Delivery(delivery_id=f"msg_{n}", subscription_id=1, target=target, payload=payload)


def test_file_channel_concurrent_appends_stay_whole_lines(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "dir" / "alerts.jsonl"
    channel = get_channel("file")
    barrier = threading.Barrier(8)

    def writer(worker: int) -> None:
        barrier.wait()
        for i in range(50):
            assert channel.send(delivery(str(target), worker * 1000 + i)).ok

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert len(records) == 400
    assert {r["delivery_id"] for r in records} == {
        f"msg_{w * 1000 + i}" for w in range(8) for i in range(50)
    }
    assert all(r["unicode"] == "Северная Корея" for r in records)


def test_file_channel_into_a_directory_is_dead(tmp_path: Path) -> None:
    result = FileChannel().send(delivery(str(tmp_path)))
    assert not result.ok and not result.retryable
    with pytest.raises(PermanentError, match="directory"):
        builtin_channels().validate_target("file", str(tmp_path))


def test_unknown_channel_lists_known_ones() -> None:
    with pytest.raises(PermanentError, match=r"unknown channel 'pigeon'.*file"):
        get_channel("pigeon")


def test_register_adds_a_channel() -> None:
    class Null:
        name = "null-test"

        def validate_target(self, target: str, *, allow_loopback: bool) -> None:
            return None

        def send(self, delivery: Delivery):
            raise AssertionError("not called")

    channels = Channels()
    assert channels.get(channels.register(Null()).name).name == "null-test"


@pytest.mark.parametrize("attempt", range(1, len(DEFAULT_SCHEDULE) + 1))
def test_next_delay_follows_the_schedule_with_jitter(attempt: int) -> None:
    rng = random.Random(attempt)
    base = DEFAULT_SCHEDULE[attempt - 1]
    delays = [next_delay(attempt, DEFAULT_SCHEDULE, retry_after=None, rng=rng) for _ in range(200)]
    assert all(0.9 * base <= d <= 1.1 * base for d in delays)
    assert len(set(delays)) > 100  # jittered, not constant


def test_next_delay_gives_up_after_the_schedule() -> None:
    rng = random.Random(0)
    assert (
        next_delay(len(DEFAULT_SCHEDULE) + 1, DEFAULT_SCHEDULE, retry_after=None, rng=rng) is None
    )
    with pytest.raises(ValueError):
        next_delay(0, DEFAULT_SCHEDULE, retry_after=None, rng=rng)


@pytest.mark.parametrize(("retry_after", "low", "high"), [(120.0, 120.0, 120.0), (1.0, 4.5, 5.5)])
def test_retry_after_is_a_floor(retry_after: float, low: float, high: float) -> None:
    for seed in range(50):
        delay = next_delay(1, DEFAULT_SCHEDULE, retry_after=retry_after, rng=random.Random(seed))
        assert delay is not None and low <= delay <= high
