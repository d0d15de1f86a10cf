"""Service commands: `newsmon run`, `api`, `scheduler`, `migrate` and `status`."""

from __future__ import annotations

import os
import signal
import threading
from typing import Annotated

import typer
from rich.console import Console

from pipeline.errors import NewsmonError
from workers.cli.common import attached_or_exit, err, fail, settings_or_exit

console = Console()


def run(
    no_api: Annotated[bool, typer.Option("--no-api", help="Do not serve the HTTP API.")] = False,
    no_poll: Annotated[bool, typer.Option("--no-poll", help="Do not poll feeds.")] = False,
    no_seeds: Annotated[bool, typer.Option("--no-seeds", help="Skip the seed corpus.")] = False,
    stop_timeout: Annotated[float, typer.Option(help="Seconds a clean stop may take.")] = 30.0,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Stream every child's log lines here.")
    ] = False,
) -> None:
    """Run the whole service on this machine until Ctrl-C or SIGTERM."""
    from workers.process.service import Service

    try:
        service = Service(
            settings_or_exit(),
            api=not no_api,
            poll=not no_poll,
            seeds=not no_seeds,
            verbose=verbose,
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        code = service.run(stop, stop_timeout=stop_timeout)
    except NewsmonError as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(code)


def api(
    host: Annotated[str | None, typer.Option(help="Interface (default: the setting).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: the setting).")] = None,
) -> None:
    """Serve the HTTP API (subscriptions, alerts, health, metrics)."""
    import uvicorn

    from workers import logs
    from workers.web import create_app

    settings = attached_or_exit()
    logs.configure(settings, "api")
    uvicorn.run(
        create_app(settings),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=10,
        log_config=None,
    )


def scheduler() -> None:
    """Run the periodic jobs (delivery retries, digests, housekeeping) with Celery beat."""
    from workers import heartbeat, logs
    from workers.deps import redis_client
    from workers.queue.app import app

    settings = attached_or_exit()
    logs.configure(settings, "scheduler")
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    heartbeat.start_thread(redis_client(settings.redis_url or ""), "scheduler")
    schedule = settings.var_dir / "celerybeat-schedule"
    app.Beat(schedule=str(schedule), loglevel=settings.log_level).run()


def migrate() -> None:
    """Bring the database to the latest schema (the deployment's one-shot step)."""
    from pipeline.store.db import migrate as upgrade

    settings = settings_or_exit()
    upgrade(settings.effective_database_url)
    console.print(f"database at the latest revision: {settings.effective_database_url}")


def status(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Queue depths, workers alive, feeds failing, deliveries dead."""
    import json

    from rich.table import Table

    from workers.cli.status import collect

    report = collect(attached_or_exit())
    if as_json:
        print(json.dumps(report, default=str))
        return
    table = Table(title="newsmon status", show_header=False)
    for key, value in report.items():
        table.add_row(key, ", ".join(value) if isinstance(value, list) else str(value))
    console.print(table)
    if report.get("deliveries_dead") or report.get("feeds_failing"):
        raise typer.Exit(1)


def health(
    role: Annotated[str, typer.Argument(help="api, worker, poller or scheduler.")],
    url: Annotated[str | None, typer.Option(help="API base URL (role api).")] = None,
    queue: Annotated[
        str | None, typer.Option(help="Queue a live worker must consume (role worker).")
    ] = None,
) -> None:
    """Exit 0 when the named part on this host is healthy (for container health checks)."""
    from workers.process.health import check

    ok, detail = check(
        attached_or_exit() if role != "api" else settings_or_exit(), role, url=url, queue=queue
    )
    (console if ok else err).print(detail, markup=False)
    raise typer.Exit(0 if ok else 1)


def register(cli: typer.Typer) -> None:
    for command in (run, api, scheduler, migrate, status, health):
        cli.command()(command)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
