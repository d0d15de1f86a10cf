"""NearDuplicateIndex on a real Redis (NEWSMON_TEST_REDIS, else 127.0.0.1:6379): labelled
copies, idempotency, restart, expiry, and two processes racing with copies of the same texts."""

from __future__ import annotations

import multiprocessing
import os
import random
import uuid
from collections.abc import Iterator

import pytest
import redis

from pipeline.dedup import Encoded, MinHashLayout, NearDuplicateIndex
from pipeline.errors import ConfigError
from pipeline.eval.dedup import DEFAULTS, LabelledText, load_labelled, score

REDIS_URL = os.environ.get("NEWSMON_TEST_REDIS", "redis://127.0.0.1:6379") + "/0"
LABELLED = load_labelled()


@pytest.fixture
def namespace() -> Iterator[str]:
    ns = f"test:dedup:{uuid.uuid4().hex}"
    yield ns
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{ns}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def client() -> Iterator[redis.Redis]:
    conn = redis.Redis.from_url(REDIS_URL)
    yield conn
    conn.close()


def make_index(client: redis.Redis, namespace: str, **kwargs: object) -> NearDuplicateIndex:
    params: dict[str, object] = {**DEFAULTS, "window_seconds": 3600.0, "capacity": 10_000}
    params.update(kwargs)
    return NearDuplicateIndex(client, namespace=namespace, **params)  # type: ignore[arg-type]


def test_defaults_flag_every_labelled_copy_and_no_other_pair() -> None:
    result = score(MinHashLayout(**DEFAULTS), LABELLED)  # type: ignore[arg-type]
    assert result.missed == ()
    assert result.false_alarms == ()
    assert result.tp > 60 and result.tn > 900


def test_labelled_set_through_redis_finds_each_root(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace)
    for now, item in enumerate(LABELLED):
        expected = None if item.root == item.id else item.root
        assert index.check_and_insert(item.id, item.text, now=1000.0 + now) == expected, item.id


def test_same_event_articles_are_not_copies(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace)
    wagner = [t for t in LABELLED if t.event == "nk-wagner-arms" and t.root == t.id]
    assert len(wagner) >= 3
    assert [index.check_and_insert(t.id, t.text) for t in wagner] == [None] * len(wagner)


def test_reprocessing_is_idempotent(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace)
    original, copy = _pair("wagner_fox", "wagner_fox.headline")
    assert index.check_and_insert("a1", original.text) is None
    assert index.check_and_insert("a2", copy.text) == "a1"
    # The original must not become a copy of itself, nor the copy change its answer.
    assert index.check_and_insert("a1", original.text) is None
    assert index.check_and_insert("a2", copy.text) == "a1"
    assert index.check_and_insert("a1", copy.text) is None


def test_a_duplicate_leaves_the_buckets_as_they_were(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace)
    original, copy = _pair("wagner_fox", "wagner_fox.headline")
    assert index.check_and_insert("a1", original.text) is None
    before = _buckets(client, namespace)
    assert index.check_and_insert("a2", copy.text) == "a1"
    assert _buckets(client, namespace) == before  # only originals are listed in buckets


def _buckets(client: redis.Redis, namespace: str) -> dict[bytes, dict[bytes, bytes]]:
    return {k: client.hgetall(k) for k in client.scan_iter(match=f"{namespace}:b:*")}


def test_index_survives_a_worker_restart(namespace: str) -> None:
    original, copy = _pair("quake_wire", "quake_wire.copy")
    first = redis.Redis.from_url(REDIS_URL)
    assert make_index(first, namespace).check_and_insert("q1", original.text) is None
    first.close()
    second = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    assert make_index(second, namespace).check_and_insert("q2", copy.text) == "q1"
    second.close()


def test_expire_drops_old_entries_only(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace, window_seconds=100.0)
    originals = [t for t in LABELLED if t.root == t.id][:6]
    for i, item in enumerate(originals):
        assert index.check_and_insert(item.id, item.text, now=1000.0 + 10 * i) is None
    assert index.expire(now=1125.0) == 3  # entries at 1000, 1010, 1020 are older than 1025
    assert index.expire(now=1125.0) == 0
    copy_of_old = next(t for t in LABELLED if t.root == originals[0].id and t.id != t.root)
    copy_of_new = next(t for t in LABELLED if t.root == originals[5].id and t.id != t.root)
    assert index.check_and_insert("late-old", copy_of_old.text, now=1126.0) is None
    assert index.check_and_insert("late-new", copy_of_new.text, now=1126.0) == originals[5].id


def test_expire_leaves_no_buckets_behind(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace, window_seconds=10.0)
    for i, item in enumerate(LABELLED):
        index.check_and_insert(item.id, item.text, now=float(i))
    assert index.expire(now=1e9) == len(LABELLED)
    left = {k.decode().split(":")[-1] for k in client.scan_iter(match=f"{namespace}:*")}
    assert left == {"meta", "seq", "low"}


def test_remove_forgets_an_original(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace)
    original, copy = _pair("layoffs", "layoffs.copy")
    index.check_and_insert("l1", original.text)
    index.remove("l1")
    assert index.check_and_insert("l2", copy.text) is None


def test_batch_sees_earlier_items_of_the_same_batch(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace)
    original, copy = _pair("sudan_wire", "sudan_wire.copy")
    items = [("s1", index.signature(original.text)), ("s2", index.signature(copy.text))]
    assert index.check_and_insert_many(items) == [None, "s1"]


def test_incompatible_layout_is_refused(client: redis.Redis, namespace: str) -> None:
    make_index(client, namespace)
    with pytest.raises(ConfigError, match="shingle_size"):
        make_index(client, namespace, shingle_size=5)
    moved = make_index(client, namespace, threshold=0.6)  # keeps the stored bands
    assert (moved.layout.bands, moved.threshold) == (
        make_index(client, namespace).layout.bands,
        0.6,
    )


def test_threshold_out_of_range_is_a_config_error(client: redis.Redis, namespace: str) -> None:
    with pytest.raises(ConfigError):
        make_index(client, namespace, threshold=1.5)


# -- bulk loads ------------------------------------------------------------------------------


def _bulk_entries(index: NearDuplicateIndex) -> list[tuple[str, Encoded, float]]:
    """Distinct originals that exercise every bucket case: labelled originals, random
    signatures (2000, more than one load round and several signature blocks), pairs sharing
    a band below the threshold (one bucket field lists both) and a text with two bands in the
    same bucket field."""
    layout, rng = index.layout, random.Random(7)
    siglen, width = 2 * layout.num_perm, 2 * layout.rows
    entries = [
        (t.id, layout.encode(index.signature(t.text)), 500.0 + i)
        for i, t in enumerate(LABELLED)
        if t.root == t.id
    ]
    for i in range(2000):
        entries.append((f"rand-{i}", Encoded(rng.randbytes(siglen)), 600.0 + i / 7))
        if i % 100 == 0:  # the same first band as the previous signature, nothing else
            first = entries[-1][1].sig[:width]
            entries.append((f"band-{i}", Encoded(first + rng.randbytes(siglen - width)), 600.5))
    # Band 1 lands in band 0's bucket field: same field bytes, shard offset by the band salt.
    band0 = bytearray(rng.randbytes(width))
    shard0 = int.from_bytes(band0[:3], "big") % (1 << index.shard_bits)
    band1 = bytearray(band0)
    band1[:3] = ((shard0 - 40503) % (1 << index.shard_bits)).to_bytes(3, "big")
    twice = bytes(band0 + band1) + rng.randbytes(siglen - 2 * width)
    entries.append(("twice", Encoded(twice), 700.0))
    return entries


def _dump(client: redis.Redis, namespace: str) -> dict[bytes, object]:
    """Every key of the namespace (without it) with its type, encoding and value."""
    keys = list(client.scan_iter(match=f"{namespace}:*", count=1000))
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.type(key)
        pipe.object("encoding", key)
    kinds = pipe.execute()
    for key, kind in zip(keys, kinds[::2], strict=True):
        pipe.hgetall(key) if kind == b"hash" else pipe.get(key)
    values = pipe.execute()
    return {
        key[len(namespace) :]: (kind, encoding, value)
        for key, kind, encoding, value in zip(keys, kinds[::2], kinds[1::2], values, strict=True)
    }


def test_bulk_load_stores_what_one_by_one_inserts_store(
    client: redis.Redis, namespace: str
) -> None:
    one_by_one = make_index(client, namespace + ":one")
    bulk = make_index(client, namespace + ":bulk")
    entries = _bulk_entries(bulk)
    for key, enc, ts in entries:
        assert one_by_one.check_and_insert_encoded([(key, enc)], now=ts) == [None], key
    assert bulk.bulk_load(entries) == len(entries)
    stored = _dump(client, namespace + ":bulk")
    assert stored == _dump(client, namespace + ":one")
    shared = [v for kind, _e, fields in stored.values() if kind == b"hash" for v in fields.values()]
    assert any(b"," in value for value in shared)  # the shared-band pairs are both listed
    for key in client.scan_iter(match=f"{namespace}:*"):
        client.delete(key)


def test_bulk_loaded_originals_are_found_as_if_inserted_one_by_one(
    client: redis.Redis, namespace: str
) -> None:
    one_by_one = make_index(client, namespace + ":one")
    bulk = make_index(client, namespace + ":bulk")
    originals = [t for t in LABELLED if t.root == t.id]
    copies = [t for t in LABELLED if t.root != t.id]
    for t in originals:
        assert one_by_one.check_and_insert(t.id, t.text, now=1000.0) is None
    entries = [(t.id, bulk.signature(t.text), 1000.0) for t in originals]
    assert bulk.bulk_load(entries) == len(originals)
    for t in copies:
        expected = one_by_one.check_and_insert(t.id, t.text, now=1001.0)
        assert expected == t.root, t.id
        assert bulk.check_and_insert(t.id, t.text, now=1001.0) == expected, t.id
    # Loaded originals stay originals, and answers are kept.
    assert bulk.check_and_insert(originals[0].id, originals[0].text) is None
    assert bulk.check_and_insert(copies[0].id, copies[0].text) == copies[0].root
    for key in client.scan_iter(match=f"{namespace}:*"):
        client.delete(key)


def test_bulk_load_skips_known_and_repeated_keys(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace)
    original, copy = _pair("wagner_fox", "wagner_fox.headline")
    assert index.check_and_insert("a1", original.text) is None
    assert index.check_and_insert("a2", copy.text) == "a1"
    other = next(t for t in LABELLED if t.root == t.id and t.event != original.event)
    entries = [
        ("a2", index.signature(copy.text), 1.0),
        ("b1", index.signature(other.text), 1.0),
        ("b1", index.signature(original.text), 1.0),
    ]
    assert index.bulk_load(entries) == 1
    assert index.check_and_insert("a2", copy.text) == "a1"  # a copy stays a copy
    assert index.check_and_insert("b2", other.text) == "b1"
    assert index.bulk_load(entries) == 0


def test_bulk_loaded_entries_expire_like_inserted_ones(client: redis.Redis, namespace: str) -> None:
    index = make_index(client, namespace, window_seconds=100.0)
    entries = _bulk_entries(index)
    assert index.check_and_insert("first", LABELLED[0].text, now=400.0) is None
    index.bulk_load([(key, enc, 1000.0 + i) for i, (key, enc, _ts) in enumerate(entries)])
    assert index.expire(now=1100.0 + len(entries) // 2) == 1 + len(entries) // 2
    assert index.expire(now=1e9) == len(entries) - len(entries) // 2
    left = {k.decode().split(":")[-1] for k in client.scan_iter(match=f"{namespace}:*")}
    assert left == {"meta", "seq", "low"}


def _pair(original_id: str, copy_id: str) -> tuple[LabelledText, LabelledText]:
    by_id = {t.id: t for t in LABELLED}
    return by_id[original_id], by_id[copy_id]


# -- two processes racing -----------------------------------------------------------------

RACE_PAIRS = 150


def _story(i: int) -> str:
    rng = random.Random(i)
    words = [f"w{rng.randrange(5000)}" for _ in range(180)]
    return " ".join(words)


def _variant(text: str, who: int) -> str:
    """A copy with another headline and footer: each process sees a different copy."""
    return f"headline number {who}\n\n{text}\n\nThis post appeared first on Outlet {who}"


def _race(
    namespace: str, who: int, barrier: multiprocessing.synchronize.Barrier, out: object
) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    index = make_index(client, namespace)
    signatures = [
        (f"p{who}-{i}", index.signature(_variant(_story(i), who))) for i in range(RACE_PAIRS)
    ]
    barrier.wait(timeout=30)
    # Each process walks the pairs in its own order, so the two collide at random moments.
    order = list(range(RACE_PAIRS))
    random.Random(who).shuffle(order)
    results = {i: index.check_and_insert_signature(*signatures[i]) for i in order}
    out.put((who, [results[i] for i in range(RACE_PAIRS)]))  # type: ignore[attr-defined]
    client.close()


@pytest.mark.slow
def test_two_processes_racing_end_with_one_original_per_pair(namespace: str) -> None:
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(namespace, who, barrier, out)) for who in (1, 2)]
    for proc in procs:
        proc.start()
    results = dict(out.get(timeout=60) for _ in procs)
    for proc in procs:
        proc.join(timeout=30)
        assert proc.exitcode == 0
    for i in range(RACE_PAIRS):
        first, second = results[1][i], results[2][i]
        assert (first, second) in ((None, f"p1-{i}"), (f"p2-{i}", None)), (i, first, second)
    # Both processes really interleaved: each won some of the races.
    wins = sum(results[1][i] is None for i in range(RACE_PAIRS))
    assert 0 < wins < RACE_PAIRS
