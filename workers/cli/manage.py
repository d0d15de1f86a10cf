"""Run-time edit commands: `actors list|add|edit|remove`, `feeds edit|pause|resume|remove`,
`keys list|revoke`, and `dashboard` (print the login URL). They change the database, which
the running service reads, so no restart is needed."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console

from pipeline.store import browse, manage
from pipeline.store.db import Sessions, transaction
from workers.cli import listings
from workers.cli.alerts import keys
from workers.cli.common import fail, migrated_sessions, settings_or_exit
from workers.ui import dashboard_url

actors = typer.Typer(help="Tracked actors and their aliases.", no_args_is_help=True)
out = Console()
Aliases = Annotated[
    list[str] | None, typer.Option("--alias", help="An alias (repeat); replaces the old ones.")
]


def _sessions() -> Sessions:
    return migrated_sessions(settings_or_exit())


def _fail(message: str) -> None:
    raise fail(message, 1)


@actors.command("list")
def list_actors(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every actor with its aliases and mention count."""
    with _sessions()() as session:
        rows = browse.list_actors(session)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for a in rows:
        print(f"{a['id']}\t{a['type']}\t{a['name']}\t{', '.join(a['aliases'])}")


@actors.command("add")
def add_actor(
    actor_id: Annotated[str, typer.Argument(help="e.g. azov-brigade")],
    name: Annotated[str, typer.Option(help="The name to show.")],
    type: Annotated[str, typer.Option(help="PERSON, ORG, GPE or NORP.")] = "ORG",
    alias: Aliases = None,
) -> None:
    """Add an actor (or replace one) with its aliases."""
    if type not in ("PERSON", "ORG", "GPE", "NORP"):
        _fail(f"type must be PERSON, ORG, GPE or NORP, not {type}")
    with transaction(_sessions()) as session:
        manage.save_actor(session, actor_id, name=name, type=type, aliases=list(alias or []))
    out.print(f"saved actor {actor_id}", markup=False)


@actors.command("edit")
def edit_actor(
    actor_id: str,
    name: Annotated[str | None, typer.Option()] = None,
    type: Annotated[str | None, typer.Option()] = None,
    alias: Aliases = None,
) -> None:
    """Change an actor's name, type or aliases."""
    with transaction(_sessions()) as session:
        row = manage.get_actor(session, actor_id)
        if row is None:
            _fail(f"no actor {actor_id}")
            return
        aliases = list(alias) if alias else list(row.aliases or [])
        manage.save_actor(
            session, actor_id, name=name or row.name, type=type or row.type, aliases=aliases
        )
    out.print(f"saved actor {actor_id}", markup=False)


@actors.command("remove")
def remove_actor(actor_id: str) -> None:
    with transaction(_sessions()) as session:
        if not manage.remove_actor(session, actor_id):
            _fail(f"no actor {actor_id}")
    out.print(f"removed actor {actor_id}", markup=False)


def feeds_pause(feed_id: int) -> None:
    """Stop polling a feed until it is resumed."""
    _set_enabled(feed_id, False)


def feeds_resume(feed_id: int) -> None:
    """Poll a paused feed again (it is due at once)."""
    _set_enabled(feed_id, True)


def _set_enabled(feed_id: int, enabled: bool) -> None:
    with transaction(_sessions()) as session:
        if manage.set_feed_enabled(session, feed_id, enabled) is None:
            _fail(f"no feed {feed_id}")
    out.print(f"feed {feed_id} {'resumed' if enabled else 'paused'}", markup=False)


def feeds_edit(
    feed_id: int,
    name: Annotated[str | None, typer.Option()] = None,
    source: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option()] = None,
    min_interval: Annotated[int | None, typer.Option(help="Seconds.")] = None,
    max_interval: Annotated[int | None, typer.Option(help="Seconds.")] = None,
) -> None:
    """Change a feed's name, source, language or polling intervals."""
    given = {
        "name": name, "source": source, "language": language,
        "min_interval": min_interval, "max_interval": max_interval,
    }  # fmt: skip
    changes = {k: v for k, v in given.items() if v is not None}
    with transaction(_sessions()) as session:
        if manage.edit_feed(session, feed_id, changes) is None:
            _fail(f"no feed {feed_id}")
    out.print(f"feed {feed_id} changed: {', '.join(changes) or 'nothing'}", markup=False)


def feeds_remove(feed_id: int) -> None:
    """Delete a feed and its tombstones (its articles stay)."""
    with transaction(_sessions()) as session:
        if not manage.remove_feed(session, feed_id):
            _fail(f"no feed {feed_id}")
    out.print(f"removed feed {feed_id}", markup=False)


def keys_list(
    owner: Annotated[str | None, typer.Argument(help="Only this owner's.")] = None,
) -> None:
    """API keys: id, owner, prefix, created, revoked (the keys themselves are not stored)."""
    with _sessions()() as session:
        rows = [manage.key_json(k) for k in manage.list_keys(session, owner)]
    for k in rows:
        state = f"revoked {k['revoked_at']}" if k["revoked_at"] else "live"
        # Tab-separated for scripts (rich would expand the tabs).
        print(f"{k['id']}\t{k['owner']}\t{k['prefix']}…\t{k['created_at']}\t{state}")


def keys_revoke(key_id: int) -> None:
    """Revoke an API key: it stops working at once."""
    with transaction(_sessions()) as session:
        if manage.revoke_key(session, key_id) is None:
            _fail(f"no key {key_id}")
    out.print(f"revoked key {key_id}", markup=False)


def dashboard() -> None:
    """Print the dashboard URL that logs in as the local user."""
    print(dashboard_url(settings_or_exit()))


_registered: set[str] = set()


def register_feed_commands() -> None:
    """Add `feeds pause|resume|edit|remove` to the `feeds` group (once)."""
    if "feeds" not in _registered:
        _registered.add("feeds")
        listings.feeds.command("pause")(feeds_pause)
        listings.feeds.command("resume")(feeds_resume)
        listings.feeds.command("edit")(feeds_edit)
        listings.feeds.command("remove")(feeds_remove)


def register_key_commands() -> None:
    """Add `keys list|revoke` to the `keys` group (once)."""
    if "keys" not in _registered:
        _registered.add("keys")
        keys.command("list")(keys_list)
        keys.command("revoke")(keys_revoke)


def command(name: str) -> Any:
    """The click command `actors` (a group) or `dashboard`, for the CLI's lazy loader."""
    if name == "actors":
        return typer.main.get_group(actors)
    app = typer.Typer()
    app.command(name="dashboard")(dashboard)
    return typer.main.get_command(app)
