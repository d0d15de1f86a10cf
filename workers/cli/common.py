"""What every command shares: settings loaded (or exit 2 with the reason), errors on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

from pipeline.errors import NewsmonError

if TYPE_CHECKING:
    from pipeline.settings import Settings
    from pipeline.store.db import Sessions

err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print `error: message` on stderr; raise the returned Exit."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def settings_or_exit() -> Settings:
    """The settings, or exit 2 saying what is wrong with them (a bad value, an unreadable file)."""
    from pipeline.settings import load_settings

    try:
        return load_settings()
    except NewsmonError as exc:
        raise fail(str(exc)) from None


def attached_or_exit(settings: Settings | None = None) -> Settings:
    """The settings attached to the running deployment's Redis, or exit 2 saying why not."""
    from workers.process.runtime import attach

    try:
        return attach(settings or settings_or_exit())
    except NewsmonError as exc:
        raise fail(str(exc)) from None


def migrated_sessions(settings: Settings) -> Sessions:
    """Sessions on the configured database, brought to the latest schema first."""
    from pipeline.store.db import make_engine, make_sessionmaker, migrate

    migrate(settings.effective_database_url)
    return make_sessionmaker(make_engine(settings.effective_database_url))
