"""The `newsmon` command line: run, reprocess, extract, worker, and the listings.

Command groups are imported when they are used, not at start: `newsmon --help` and a
listing answer in a fraction of a second instead of importing spaCy, Celery and the rest.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from pipeline.errors import ConfigError, NewsmonError
from workers.cli import service as cli_service
from workers.cli.common import attached_or_exit, err, fail, settings_or_exit

if TYPE_CHECKING:
    from pipeline.settings import Settings


def _group(attr: str) -> Any:
    """One of the listing groups, with the commands other modules add to it."""
    from workers.cli import listings

    if attr in ("alerts", "subscriptions"):
        from workers.cli import alerts as cli_alerts

        cli_alerts.register_groups()
    if attr == "feeds":
        from workers.cli import manage as cli_manage
        from workers.cli import poll as cli_poll

        cli_poll.register_groups()
        cli_manage.register_feed_commands()
    return typer.main.get_group(getattr(listings, attr))


def _keys() -> Any:
    from workers.cli import alerts as cli_alerts
    from workers.cli import manage as cli_manage

    cli_manage.register_key_commands()
    return typer.main.get_group(cli_alerts.keys)


def _manage(name: str) -> Any:
    from workers.cli import manage as cli_manage

    return cli_manage.command(name)


def _poll() -> Any:
    from workers.cli import poll as cli_poll

    app = typer.Typer()
    app.command(name="poll")(cli_poll.poll)
    return typer.main.get_command(app)


# name -> (short help shown by --help, loader of the real command)
LAZY: dict[str, tuple[str, Callable[[], Any]]] = {
    "actors": ("Tracked actors and their aliases.", lambda: _manage("actors")),
    "alerts": ("Alerts and their deliveries.", lambda: _group("alerts")),
    "dashboard": ("Print the dashboard URL that logs in as you.", lambda: _manage("dashboard")),
    "articles": ("Stored articles.", lambda: _group("articles")),
    "claims": ("Extracted claims.", lambda: _group("claims")),
    "feeds": ("Feeds and their polling state.", lambda: _group("feeds")),
    "keys": ("API keys (stored hashed; shown once).", _keys),
    "poll": ("Poll the feeds (--once: one cycle, then exit).", _poll),
    "stories": ("Stories: an original report with its copies.", lambda: _group("stories")),
    "subscriptions": ("Alert subscriptions.", lambda: _group("subscriptions")),
}


class LazyGroup(TyperGroup):
    """A group whose LAZY commands are imported on first use; help lists them from LAZY."""

    _formatting_help = False

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in LAZY and cmd_name not in self.commands:
            short, load = LAZY[cmd_name]
            if self._formatting_help:
                return TyperCommand(cmd_name, help=short, short_help=short)
            self.commands[cmd_name] = load()
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._formatting_help = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._formatting_help = False


cli = typer.Typer(
    name="newsmon",
    help="Watch news feeds, drop copies, extract claims about actors, alert subscribers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=LazyGroup,
)
cli_service.register(cli)


DIFF_HELP = (
    "Re-run extraction in this process (no workers needed) over the stored articles, or over "
    "PATHS, and print the claims added, removed and changed against the stored ones. Stored "
    "data is not changed unless --apply is given."
)


@cli.command()
def reprocess(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Article files or folders (e.g. seeds/); with --diff optional."),
    ] = None,
    no_alerts: Annotated[
        bool, typer.Option("--no-alerts", help="Backfill without alerting.")
    ] = False,
    timeout: Annotated[
        float, typer.Option(help="Give up after this many seconds without progress.")
    ] = 600,
    diff: Annotated[bool, typer.Option("--diff", help=DIFF_HELP)] = False,
    apply: Annotated[
        bool, typer.Option("--apply", help="With --diff: store the new extraction.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --diff: one JSON object.")] = False,
    entities: Annotated[
        Path | None, typer.Option(help="With --diff: actor registry to try.")
    ] = None,
) -> None:
    """Send article files through the Celery pipeline; print a summary when workers are done.

    With --diff: re-extract in-process and print the claim differences (see --diff).
    """
    missing = [p for p in paths or [] if not p.exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(map(str, missing))}")
    if not diff and not paths:
        raise fail("give article files or folders (or use --diff)")
    settings = settings_or_exit()
    if diff:
        from workers.cli.extract import run_diff

        code = run_diff(settings, paths or [], entities=entities, apply=apply, as_json=as_json)
        raise typer.Exit(code)
    from workers.cli.reprocess import reprocess_paths

    try:
        code = reprocess_paths(settings, paths or [], alerts=not no_alerts, stall_timeout=timeout)
    except NewsmonError as exc:
        raise fail(str(exc)) from None
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
    from pipeline.seeds import read_article

    settings = settings_or_exit()
    missing = [f for f in files if f != "-" and not Path(f).is_file()]
    if missing:
        raise fail(f"no such file: {', '.join(missing)}")
    try:
        actors = load_actors(entities or settings.entities_file)
        articles = [(f, read_article(f, origin="cli")) for f in files]
    except NewsmonError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot read {exc.filename}: {exc.strerror}") from None
    _print_extractions(settings, actors, articles, as_json)


def _print_extractions(settings: Settings, actors: Any, articles: list[Any], as_json: bool) -> None:
    from workers.cli import listings
    from workers.cli.extract import build_extractor

    extractor = build_extractor(settings, actors)
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
    from workers import logs
    from workers.queue.app import app

    settings = attached_or_exit()
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


def main() -> None:
    """Console-script entry point."""
    try:
        cli()
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
