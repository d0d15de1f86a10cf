"""Thin Celery tasks: decode JSON, call one pipeline stage, enqueue the next step.

ingest+dedup -> extract (cpu queue, batched) -> match -> deliver (one task per delivery).
Ingest runs dedup on its own result in the same task: that hop only passed ids on, and both
stages wait on the database and Redis, not the CPU. Each stage commits once per batch; a
batch that fails for a reason other than a transient one is redone one article at a time,
so a poisoned article fails alone.
Arguments are ids and JSON values, never live objects. Transient failures (database or
Redis briefly away) are retried with backoff; anything else is recorded on the article.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import redis
import structlog
from celery import Task
from celery.signals import worker_process_init, worker_process_shutdown
from kombu.exceptions import OperationalError as KombuOperationalError

from pipeline import run
from pipeline.alerts.deliver import DeliveryPolicy, deliver
from pipeline.errors import TransientError
from pipeline.models import ArticleIn
from pipeline.settings import Settings, load_settings
from pipeline.store import articles as article_store
from pipeline.store.db import StoreUnavailable, transaction
from workers import metrics
from workers.deps import Deps
from workers.queue import progress
from workers.queue.app import app

log = structlog.get_logger("newsmon.tasks")
T = TypeVar("T")

# kombu's OperationalError: the broker went away while this task enqueued its next step.
RETRYABLE = (
    TransientError,
    StoreUnavailable,
    KombuOperationalError,
    redis.ConnectionError,
    redis.TimeoutError,
)
RETRY = {
    "autoretry_for": RETRYABLE,
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 50,
}

_deps: Deps | None = None


def deps() -> Deps:
    """This process's wiring, built on first use from the environment."""
    global _deps
    if _deps is None:
        _deps = Deps(load_settings(), ride_out_redis_restarts=True)
    return _deps


def _enqueue(task: Task, *args: Any) -> None:
    """Publish the next step. kombu can raise AttributeError from a producer whose broker
    connection is being re-established (seen across a Redis restart); that is transient:
    the task is retried (every task is idempotent) instead of failing with its batch."""
    try:
        task.delay(*args)
    except AttributeError as exc:
        raise TransientError(f"broker connection reset while publishing: {exc}") from exc


@worker_process_init.connect
def _warm_up(**_: Any) -> None:
    # Load spaCy once per process, before the first task, on workers that extract; and the
    # dedup index (its band layout costs a scipy import and a numeric search) on those that
    # ingest, so the first article of a process does not wait for either.
    queues = os.environ.get("NEWSMON_WORKER_QUEUES", "")
    if "cpu" in queues:
        deps().extractor  # noqa: B018
    if "io" in queues:
        try:
            deps().index  # noqa: B018
        except RETRYABLE:  # Redis away at start: the first ingest builds it instead
            log.warning("dedup_index_not_warmed", exc_info=True)


@worker_process_shutdown.connect
def _close(**_: Any) -> None:
    if _deps is not None:
        _deps.close()


@app.task(name="newsmon.ingest", **RETRY)
def ingest(
    articles: list[dict[str, Any]], job: str | None = None, opts: dict | None = None
) -> None:
    """Store incoming articles; send the new or changed ones on to dedup. A poisoned article
    (one that cannot be decoded, identified or stored) fails alone and is recorded as failed."""
    opts = opts or {}
    d = deps()
    force = opts.get("force", False)
    try:
        result = run.ingest(d.sessions, [ArticleIn.from_json(a) for a in articles], force=force)
    except RETRYABLE:
        raise
    except Exception:
        result = _ingest_one_by_one(d, articles, force, job)
    progress.record(d.redis, job, "unchanged", len(result.unchanged))
    metrics.incr(d.redis, "articles_ingested", len(result.to_process))
    if result.to_process:
        _deduplicate(d, result.to_process, job, opts)


def _ingest_one_by_one(
    d: Deps, articles: Sequence[dict[str, Any]], force: bool, job: str | None
) -> run.Ingested:
    merged = run.Ingested()
    for raw in articles:
        try:
            one = run.ingest(d.sessions, [ArticleIn.from_json(raw)], force=force)
        except RETRYABLE:
            raise
        except Exception as exc:
            log.exception("ingest_failed", url=str(raw.get("url")))
            _record_failed_ingest(d, raw, exc)
            progress.record(d.redis, job, "failed", 1)
            metrics.incr(d.redis, "articles_failed")
            continue
        merged.to_process.extend(one.to_process)
        merged.unchanged.extend(one.unchanged)
    return merged


def _record_failed_ingest(d: Deps, raw: dict[str, Any], exc: Exception) -> None:
    """Store what can be stored of an article that failed ingest, as status=failed with its
    error, so `newsmon articles list --failed` shows it. Its text is left out (it may be what
    the database refused) and its key is a hash of the whole input, so a retry finds it."""
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
    url = str(raw.get("url") or "")
    error = f"{type(exc).__name__}: {exc} (url {url[:300]!r})"[:2000]
    stub = ArticleIn(
        title=_storable(raw.get("title"))[:1000] or "(untitled)",
        text="",
        source=_storable(raw.get("source"))[:256] or None,
        origin="feed",
    )
    try:
        with transaction(d.sessions) as session:
            done = article_store.upsert_article(
                session, stub, key=f"failed:{digest}", canonical_url=None, content_hash=digest
            )
            article_store.set_status(session, done.article_id, "failed", error)
    except Exception:  # the record is a courtesy; the failure is logged above either way
        log.exception("ingest_failure_not_recorded", url=url[:300])


def _storable(value: Any) -> str:
    # PostgreSQL text cannot hold NUL, the most common way a stray string is refused.
    return str(value or "").replace("\x00", "")


@app.task(name="newsmon.dedup", **RETRY)
def dedup(article_ids: list[int], job: str | None = None, opts: dict | None = None) -> None:
    """Mark copies (they stop here); send originals on to extraction. Ingest does this itself
    now; the task stays for messages queued by an earlier version."""
    _deduplicate(deps(), article_ids, job, opts)


def _deduplicate(d: Deps, article_ids: list[int], job: str | None, opts: dict | None) -> None:
    try:
        result = run.deduplicate(d.sessions, d.redis, d.index, article_ids)
    except RETRYABLE:
        raise
    except Exception:
        result = _dedup_one_by_one(d, article_ids, job)
    progress.record(d.redis, job, "duplicate", len(result.duplicates))
    metrics.incr(d.redis, "duplicates", len(result.duplicates))
    if result.originals:
        _enqueue(extract, result.originals, job, opts)


def _dedup_one_by_one(d: Deps, article_ids: Sequence[int], job: str | None) -> run.Deduplicated:
    merged = run.Deduplicated()
    for one in _one_by_one(
        d, "dedup", article_ids, job, lambda ids: run.deduplicate(d.sessions, d.redis, d.index, ids)
    ):
        merged.originals.extend(one.originals)
        merged.duplicates.extend(one.duplicates)
    return merged


def _one_by_one(
    d: Deps,
    stage: str,
    article_ids: Sequence[int],
    job: str | None,
    run_stage: Callable[[list[int]], T],
) -> Iterator[T]:
    """`run_stage` over one article at a time, after its batch failed: a transient failure
    is raised (the whole batch is retried), any other is recorded on its article alone."""
    for article_id in article_ids:
        try:
            yield run_stage([article_id])
        except RETRYABLE:
            raise
        except Exception as exc:
            log.exception(f"{stage}_failed", article_id=article_id)
            _record_failed(d, article_id, exc, job)


def _record_failed(d: Deps, article_id: int, exc: Exception, job: str | None) -> None:
    with transaction(d.sessions) as session:
        article_store.set_status(session, article_id, "failed", f"{type(exc).__name__}: {exc}")
    progress.record(d.redis, job, "failed", 1)
    metrics.incr(d.redis, "articles_failed")


@app.task(name="newsmon.extract", **RETRY)
def extract(article_ids: list[int], job: str | None = None, opts: dict | None = None) -> None:
    """Extract actors and claims in one nlp.pipe batch; a poisoned article fails alone."""
    d = deps()
    try:
        extracted = run.extract(d.sessions, d.extractor, article_ids, limits=_limits(d))
        done = list(extracted)
        metrics.incr(d.redis, "claims", sum(len(e.claims) for e in extracted.values()))
    except RETRYABLE:
        raise
    except Exception:
        done = _extract_one_by_one(d, article_ids, job)
    if done:
        _enqueue(match, done, job, opts)


def _limits(d: Deps) -> run.TextLimits:
    s = d.settings
    return run.TextLimits(max_chars=s.extract_max_chars, chunk_chars=s.extract_chunk_chars)


def _extract_one_by_one(d: Deps, article_ids: Sequence[int], job: str | None) -> list[int]:
    limits = _limits(d)
    extract_one = lambda ids: run.extract(d.sessions, d.extractor, ids, limits=limits)  # noqa: E731
    return [i for one in _one_by_one(d, "extract", article_ids, job, extract_one) for i in one]


@app.task(name="newsmon.match", **RETRY)
def match(article_ids: list[int], job: str | None = None, opts: dict | None = None) -> None:
    """Group into stories, match subscriptions, create alerts; one deliver task per delivery."""
    opts = opts or {}
    d = deps()
    alerts, url = opts.get("alerts", d.settings.alerts_enabled), base_url(d.settings)
    try:
        result = run.match(d.sessions, article_ids, alerts_enabled=alerts, base_url=url)
        processed = len(article_ids)
    except RETRYABLE:
        raise
    except Exception:
        result, processed = run.Matched(), 0
        for article_id in article_ids:
            try:
                one = run.match(d.sessions, [article_id], alerts_enabled=alerts, base_url=url)
            except RETRYABLE:
                raise
            except Exception as exc:
                log.exception("match_failed", article_id=article_id)
                _record_failed(d, article_id, exc, job)
                continue
            processed += 1
            result.alerts.extend(one.alerts)
            result.deliveries.extend(one.deliveries)
    progress.record(d.redis, job, "processed", processed)
    progress.record(d.redis, job, "alerts", len(result.alerts))
    metrics.incr(d.redis, "alerts", len(result.alerts))
    for delivery_id in result.deliveries:
        _enqueue(deliver_alert, delivery_id)


def base_url(settings: Settings) -> str:
    """Where alert links point: the public URL, else the API's own address."""
    return settings.api_public_url or f"http://{settings.api_host}:{settings.api_port}"


def delivery_policy(settings: Settings) -> DeliveryPolicy:
    """Every delivery setting as the deliver stage takes it."""
    return DeliveryPolicy(
        timeout=settings.alerts_delivery_timeout,
        max_response_bytes=settings.alerts_max_response_bytes,
        allow_loopback=settings.alerts_allow_loopback,
        schedule=settings.alerts_retry_schedule,
        lease=settings.alerts_delivery_lease,
        requeue_grace=max(60.0, 4 * settings.alerts_sweep_interval),
    )


@app.task(name="newsmon.deliver", bind=True, **RETRY)
def deliver_alert(self: Task, delivery_id: int) -> str:
    """One attempt. Retries wait in the database, not in the broker: a countdown longer than
    the broker's visibility timeout would be redelivered early, so the sweeper re-enqueues."""
    d = deps()
    outcome = deliver(d.sessions, delivery_id, delivery_policy(d.settings), d.channels)
    if outcome.state == "sent":
        metrics.incr(d.redis, "deliveries_sent")
        if outcome.latency is not None:
            metrics.observe(d.redis, "delivery_latency_seconds", outcome.latency)
    elif outcome.state in ("retrying", "dead"):
        metrics.incr(d.redis, "deliveries_failed")
    log.info("delivery", delivery_id=delivery_id, state=outcome.state, detail=outcome.detail)
    return outcome.state


@app.task(name="newsmon.housekeeping", **RETRY)
def housekeeping() -> int:
    """Expire old entries of the near-duplicate index."""
    return int(deps().index.expire())
