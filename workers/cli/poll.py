"""Poller commands: `newsmon poll [--once]` and `newsmon feeds add URL`."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline.errors import NewsmonError
from pipeline.feeds.netguard import check_scheme_and_host
from pipeline.models import FeedInfo, FeedSpec
from pipeline.settings import Settings
from workers.cli import listings

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

PAUSE_ENV = "NEWSMON_TEST_PAUSE_BEFORE_COMMIT"
"""Tests only: a file path; the poller writes the feed id there and stops before committing
that feed's state, so a test can kill it at exactly that point."""


def _settings() -> Settings:
    from workers.cli.common import settings_or_exit

    return settings_or_exit()


def poll(
    once: Annotated[
        bool, typer.Option("--once", help="Poll every due feed once, then exit.")
    ] = False,
) -> None:
    """Poll the feeds (from config/feeds.yaml and the database) and enqueue new items."""
    from workers import logs
    from workers.process.runtime import attach

    try:
        settings = attach(_settings())
    except NewsmonError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    logs.configure(settings, "poller")
    try:
        code = asyncio.run(serve(settings, once=once))
    except NewsmonError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    raise typer.Exit(code)


async def serve(settings: Settings, *, once: bool) -> int:
    """Run the poller (one cycle, or until SIGTERM/SIGINT); 0 when all went well."""
    from pipeline.feeds.fetch import FetchPolicy
    from workers import heartbeat
    from workers.deps import Deps
    from workers.poll.poller import CeleryEnqueuer, PollConfig, Poller
    from workers.poll.websub import WebSub
    from workers.process.runtime import prepare

    deps = Deps(settings)
    await asyncio.to_thread(prepare, deps)
    beating = heartbeat.start_thread(deps.redis, "poller")
    poller = Poller(
        deps.sessions,
        deps.redis,
        CeleryEnqueuer(),
        policy=FetchPolicy.from_settings(settings),
        config=PollConfig.from_settings(settings),
        before_commit=_pause_hook(),
    )
    try:
        async with poller, WebSub.for_poller(poller, settings) as websub:
            poller.websub = websub
            if once:
                report = await poller.run_once()
                counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items()))
                out.print(f"polled: {counts or 'nothing due'}; enqueued {report.enqueued} item(s)")
                return 0
            await poller.run(_stop_event())
            return 0
    finally:
        beating.set()
        deps.close()


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


def _pause_hook():  # type: ignore[no-untyped-def]
    path = os.environ.get(PAUSE_ENV)
    if not path:
        return None

    def pause(feed: FeedInfo) -> None:
        Path(path).write_text(str(feed.id))
        while True:  # wait to be killed: this is the point the test kills the poller at
            time.sleep(3600)

    return pause


def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's URL, or a page that links its feed.")],
    name: Annotated[str | None, typer.Option(help="A name to show.")] = None,
    source: Annotated[str | None, typer.Option(help="The outlet's name on articles.")] = None,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. en.")] = None,
    full_text: Annotated[
        bool | None,
        typer.Option(
            "--full-text/--no-full-text", help="Fetch article pages (default: when needed)."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Add it even when it cannot be fetched now.")
    ] = False,
) -> None:
    """Add a feed to poll (or re-enable it); the next poll cycle picks it up.

    The URL is fetched once first: an unreachable one is refused unless --force, and for an
    HTML page the command says which of its linked feeds will be polled.
    """
    from pipeline.store import feeds as feed_store
    from pipeline.store.db import make_engine, make_sessionmaker, migrate, transaction

    settings = _settings()
    try:
        check_scheme_and_host(url)
    except NewsmonError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    problem = asyncio.run(_probe(url, settings))
    if problem and not force:
        err.print(f"[red]error:[/red] {problem}; not added (add it anyway with --force)")
        raise typer.Exit(1)
    if problem:
        err.print(f"[yellow]warning:[/yellow] {problem}; added anyway (--force)")
    migrate(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    spec = FeedSpec(url=url, name=name, source=source, language=language, full_text=full_text)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            feed_id, created = feed_store.add_feed(session, spec, origin="cli")
    finally:
        engine.dispose()
    out.print(f"{'added' if created else 'updated'} feed {feed_id}: {url}", markup=False)


_registered = False


async def _probe(url: str, settings: Settings) -> str | None:
    """Fetch `url` once; None when it answers, else what is wrong, in words."""
    from pipeline.feeds.discover import discover_feeds, looks_like_html
    from pipeline.feeds.fetch import Fetcher, FetchPolicy

    policy = FetchPolicy.from_settings(settings)
    try:
        async with Fetcher(policy) as fetcher:
            page = await fetcher.fetch(url)
    except NewsmonError as exc:
        return f"cannot fetch {url}: {exc}"
    if page.body and looks_like_html(page.body, page.content_type):
        found = discover_feeds(page.body, page.url)
        if not found:
            return f"{url} is an HTML page that links no feed"
        out.print(f"{url} is a page; its feed {found[0]} will be polled", markup=False)
    return None


def register_groups() -> None:
    """Add `feeds add` to the `feeds` group (once)."""
    global _registered
    if not _registered:
        _registered = True
        listings.feeds.command("add")(feeds_add)
