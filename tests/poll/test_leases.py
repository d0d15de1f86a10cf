"""Feed leases against a real Redis: one holder per feed, freed only by that holder."""

from __future__ import annotations

import redis

from workers.poll.leases import LEASE_KEY, Leases


def test_many_leases_one_holder_each_and_only_the_holder_frees(redis13: str) -> None:
    client = redis.Redis.from_url(redis13)
    first, second = Leases(client, 30.0), Leases(client, 30.0)
    feeds = list(range(1, 1201))  # more than one script call's chunk
    tokens = first.acquire_many(feeds)
    assert all(tokens) and client.pttl(LEASE_KEY.format(1200)) > 25_000
    again = second.acquire_many([5, 1199, 6000])
    assert again[:2] == [None, None] and again[2] is not None
    second.release_many([(5, str(again[2])), (6000, str(again[2]))])  # a token not its own for 5
    assert client.exists(LEASE_KEY.format(5)) and not client.exists(LEASE_KEY.format(6000))
    first.release_many([(f, str(t)) for f, t in zip(feeds, tokens, strict=True)])
    assert not any(client.exists(LEASE_KEY.format(f)) for f in (1, 600, 1200, 5))
    assert second.acquire_many([5]) != [None]
