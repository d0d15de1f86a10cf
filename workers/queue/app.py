"""The Celery app: queues (cpu for extraction, io for everything else), routes and reliability."""

from __future__ import annotations

import os

from celery import Celery
from kombu import Queue

from pipeline.settings import Settings, load_settings

CPU_QUEUE = "cpu"
IO_QUEUE = "io"

app = Celery(
    "newsmon", include=["workers.queue.tasks", "workers.queue.alerts", "workers.queue.fetch"]
)


def celery_url(redis_url: str) -> str:
    """Kombu spells a Unix socket `redis+socket:///path`; accept `unix:///path` too."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


def configure(settings: Settings) -> Celery:
    """Point the app at the configured Redis; every process calls this once at start."""
    if not settings.redis_url:
        raise RuntimeError("configure() needs a Redis URL; start the embedded Redis first")
    url = celery_url(settings.redis_url)
    if app.conf.broker_url and app.conf.broker_url != url:
        _drop_connections()
    app.conf.update(
        broker_url=url,
        result_backend=url,
        broker_connection_retry_on_startup=True,
        # A task is acknowledged after it ran, and put back if its worker dies mid-task:
        # every task is idempotent, so a redelivery changes nothing twice.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # Publishing the next step rides out a broker restart of up to about a minute
        # instead of failing the task that is handing its articles on.
        task_publish_retry=True,
        task_publish_retry_policy={
            "max_retries": 40,
            "interval_start": 0.2,
            "interval_step": 0.5,
            "interval_max": 2.0,
        },
        broker_transport_options={"visibility_timeout": 3600},
        result_expires=3600,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=IO_QUEUE,
        task_queues=[Queue(CPU_QUEUE), Queue(IO_QUEUE)],
        task_routes={"newsmon.extract": {"queue": CPU_QUEUE}},
        worker_hijack_root_logger=False,
        worker_send_task_events=True,
        task_send_sent_event=True,
        beat_schedule={
            "sweep-alerts": {
                "task": "newsmon.sweep_alerts",
                "schedule": settings.alerts_sweep_interval,
            },
            "housekeeping": {"task": "newsmon.housekeeping", "schedule": 3600.0},
        },
    )
    return app


def _drop_connections() -> None:
    """Forget pooled broker connections made for another URL (a process that configures the
    app twice, such as a test session, would otherwise keep sending to the first broker)."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


# `celery -A workers.queue.app` (compose, Flower) imports this module with NEWSMON_* in the env.
if os.environ.get("NEWSMON_REDIS_URL"):
    configure(load_settings())
