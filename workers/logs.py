"""Structured logs (structlog): console or JSON lines, with task and article ids bound per task."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog
from celery.signals import setup_logging, task_postrun, task_prerun

from pipeline.settings import Settings

# The fixed key vocabulary every line may carry; tasks bind what they know.
KEYS = ("feed_id", "article_id", "actor_id", "subscription_id", "delivery_id", "task_id")


def configure(settings: Settings, role: str) -> None:
    """Route structlog and the standard library (Celery, uvicorn) through one renderer."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_role(role),
    ]
    json_lines = settings.log_format == "json"
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    # JSON lines carry a traceback as a string field, so a line stays one event.
    tail: list[Any] = [structlog.processors.format_exc_info] if json_lines else []
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *tail,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    # Beat logs every periodic send at INFO (a sweep every few seconds): noise, not news.
    if root.level <= logging.INFO:
        logging.getLogger("celery.beat").setLevel(logging.WARNING)


def _add_role(role: str) -> Any:
    def add(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
        event.setdefault("role", role)
        return event

    return add


@setup_logging.connect
def _keep_our_logging(**_: Any) -> None:
    """Stop Celery from replacing the handlers `configure` installed."""


@task_prerun.connect
def _bind_task(sender: Any = None, task_id: str | None = None, args: tuple = (), **_: Any) -> None:
    """Every log line of a task carries its task id and the ids it works on."""
    structlog.contextvars.clear_contextvars()
    ids: dict[str, Any] = {"task_id": task_id}
    first = args[0] if args else None
    name = getattr(sender, "name", "")
    if isinstance(first, list) and first and all(isinstance(i, int) for i in first):
        ids["article_id"] = first[0] if len(first) == 1 else first
    elif isinstance(first, int):
        ids["delivery_id" if name == "newsmon.deliver" else "article_id"] = first
    structlog.contextvars.bind_contextvars(**ids)


@task_postrun.connect
def _unbind_task(**_: Any) -> None:
    structlog.contextvars.clear_contextvars()
