"""The `newsmon` command line: run, reprocess, extract, worker, and the listings."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline.errors import ConfigError, NewsmonError
from pipeline.settings import Settings, load_settings
from workers import cli_alerts, cli_extract, cli_poll, cli_service, listings, logs
from workers.reprocess import reprocess_paths

cli = typer.Typer(
    name="newsmon",
    help="Watch news feeds, drop copies, extract claims about actors, alert subscribers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
cli.add_typer(listings.feeds, name="feeds")
cli.add_typer(listings.articles, name="articles")
cli.add_typer(listings.claims, name="claims")
cli.add_typer(listings.alerts, name="alerts")
cli.add_typer(listings.subscriptions, name="subscriptions")
cli.add_typer(listings.stories, name="stories")
cli_service.register(cli)
cli_alerts.register(cli)
cli_poll.register(cli)

err = Console(stderr=True)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


@cli.command()
def reprocess(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (e.g. seeds/).")],
    no_alerts: Annotated[
        bool, typer.Option("--no-alerts", help="Backfill without alerting.")
    ] = False,
    timeout: Annotated[
        float, typer.Option(help="Give up after this many seconds without progress.")
    ] = 600,
) -> None:
    """Send article files through the Celery pipeline; print a summary when workers are done."""
    settings = settings_or_exit()
    try:
        code = reprocess_paths(settings, paths, alerts=not no_alerts, stall_timeout=timeout)
    except NewsmonError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    raise typer.Exit(code)


@cli.command()
def extract(
    files: Annotated[list[str], typer.Argument(help="Files to read; '-' reads standard input.")],
    entities: Annotated[
        Path | None, typer.Option(help="Actor registry (default: the setting).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article.")] = False,
) -> None:
    """Extract actors and claims from article files, without storing anything."""
    from pipeline.catalog import load_actors
    from pipeline.extract import Extractor
    from pipeline.seeds import read_article

    settings = settings_or_exit()
    try:
        actors = load_actors(entities or settings.entities_file)
        articles = [(f, read_article(f, origin="cli")) for f in files]
    except NewsmonError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    extractor = Extractor(
        actors, model=settings.spacy_model, batch_size=settings.extract_batch_size
    )
    pairs = ((a.title, a.text) for _, a in articles)
    for (name, _), result in zip(articles, extractor.extract_articles(pairs), strict=True):
        data = {
            "file": name,
            "entities": [e.to_json() for e in result.entities],
            "claims": [c.to_json() for c in result.claims],
        }
        if as_json:
            print(json.dumps(data, ensure_ascii=False))
        else:
            listings.print_extraction(name, result)


@cli.command()
def worker(
    queues: Annotated[
        str, typer.Option(help="Comma-separated queues: cpu (extraction), io.")
    ] = "cpu,io",
    concurrency: Annotated[
        int | None, typer.Option(help="Processes (default: one per core).")
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Node name (default: newsmon-<queues>@host).")
    ] = None,
    loglevel: Annotated[str, typer.Option()] = "INFO",
) -> None:
    """Run a Celery worker on the given queues (needs NEWSMON_REDIS_URL or `newsmon run`)."""
    from workers.app import app
    from workers.runtime import attach

    settings = attach(settings_or_exit())
    logs.configure(settings, f"worker-{queues}")
    os.environ["NEWSMON_WORKER_QUEUES"] = queues
    n = concurrency or settings.worker_concurrency or os.cpu_count() or 1
    node = name or f"newsmon-{queues.replace(',', '-')}-{os.getpid()}@%h"
    app.worker_main(
        [
            "worker",
            "-Q",
            queues,
            "-c",
            str(n),
            "-n",
            node,
            "--loglevel",
            loglevel,
            "--without-mingle",
            "--without-gossip",
        ]
    )


cli_extract.register(cli)  # after `reprocess` is defined: adds its --diff mode


def main() -> None:
    """Console-script entry point."""
    try:
        cli()
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
