"""Alert commands: `keys create`, `subscriptions add|remove`, `alerts replay`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from pipeline.models import Rule, SubscriptionSpec
from pipeline.store.db import migrate, transaction
from workers.cli import listings

if TYPE_CHECKING:
    from workers.deps import Deps

keys = typer.Typer(help="API keys (stored hashed; shown once).", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

Many = list[str] | None


def _deps() -> Deps:
    from workers.cli.common import settings_or_exit
    from workers.deps import Deps

    settings = settings_or_exit()
    migrate(settings.effective_database_url)
    return Deps(settings)


@keys.command("create")
def create_key(owner: Annotated[str, typer.Argument(help="Who the key acts for.")]) -> None:
    """Issue an API key for OWNER and print it once (only its hash is stored)."""
    from pipeline.store import alerts as alert_store

    deps = _deps()
    with transaction(deps.sessions) as session:
        raw = alert_store.create_api_key(session, owner.strip())
    print(raw)
    err.print(f"[dim]API key for {owner}: store it now, it is not shown again[/dim]")


def add(
    name: Annotated[str, typer.Option(help="Unique per owner.")],
    owner: Annotated[str, typer.Option()],
    channel: Annotated[str, typer.Option(help="file, webhook, email, apprise or stream.")],
    target: Annotated[str, typer.Option(help="URL, smtp:// URL, Apprise URL or path.")] = "",
    any_actor: Annotated[Many, typer.Option("--any-actor", help="Repeatable.")] = None,
    all_actor: Annotated[Many, typer.Option("--all-actor", help="Repeatable.")] = None,
    claim_subject: Annotated[str | None, typer.Option()] = None,
    claim_predicate: Annotated[Many, typer.Option("--claim-predicate")] = None,
    claim_object: Annotated[str | None, typer.Option()] = None,
    claim_negated: Annotated[bool | None, typer.Option("--claim-negated/--claim-affirmed")] = None,
    source: Annotated[Many, typer.Option("--source")] = None,
    language: Annotated[Many, typer.Option("--language")] = None,
    digest_minutes: Annotated[int | None, typer.Option(help="Digest mode every N min.")] = None,
    updates: Annotated[bool, typer.Option(help="One message per growth of a story.")] = False,
    secret: Annotated[str | None, typer.Option(help="Webhook secret (default: new).")] = None,
) -> None:
    """Add a subscription, checked like the API does; prints it as JSON (with its secret)."""
    from pipeline.alerts.subscriptions import InvalidSubscription, save
    from pipeline.store import alerts as alert_store
    from workers.api.subscriptions import checked

    rule = Rule(
        any_actors=tuple(any_actor or ()),
        all_actors=tuple(all_actor or ()),
        claim_subject=claim_subject,
        claim_predicates=tuple(claim_predicate or ()),
        claim_object=claim_object,
        claim_negated=claim_negated,
        sources=tuple(source or ()),
        languages=tuple(language or ()),
    )
    spec = SubscriptionSpec(
        name=name,
        owner=owner,
        rule=rule,
        channel=channel,
        target=target,
        mode="digest" if digest_minutes else "instant",
        digest_minutes=digest_minutes,
        updates=updates,
        secret=secret,
    )
    deps = _deps()
    try:
        spec = checked(deps, spec)
    except InvalidSubscription as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    with transaction(deps.sessions) as session:
        if alert_store.find_subscription(session, owner, name) is not None:
            err.print(f"[red]error:[/red] {owner} already has a subscription named {name!r}")
            raise typer.Exit(1)
        row = alert_store.subscription(session, save(session, spec))
        shown = {"id": row.id, "owner": row.owner, "name": row.name, "secret": row.secret}
    print(json.dumps(shown))


def remove(
    subscription: Annotated[str, typer.Argument(help="Subscription id, or name with --owner.")],
    owner: Annotated[str | None, typer.Option(help="Owner, when giving a name.")] = None,
) -> None:
    """Delete a subscription with its alerts and deliveries."""
    from pipeline.store import alerts as alert_store

    deps = _deps()
    with transaction(deps.sessions) as session:
        if subscription.isdigit():
            row = alert_store.find_subscription_by_id(session, int(subscription))
        else:
            row = alert_store.find_subscription(session, owner or "", subscription)
        if row is None:
            err.print(f"[red]error:[/red] no subscription {subscription}")
            raise typer.Exit(1)
        if row.origin == "config":
            err.print("[yellow]note:[/yellow] it is in subscriptions.yaml and returns on start")
        alert_store.delete_subscription(session, row)
    out.print(f"removed subscription {subscription}")


def replay(
    alert_id: Annotated[int, typer.Argument(help="Alert id (see `newsmon alerts list`).")],
) -> None:
    """Send an alert's dead deliveries again, with the same webhook-id."""
    from pipeline.store import alerts as alert_store
    from pipeline.store import deliveries as delivery_store
    from workers.api.alerts import replay_and_enqueue
    from workers.process.runtime import attach

    deps = _deps()
    with deps.sessions() as session:
        if alert_store.alert(session, alert_id) is None:
            err.print(f"[red]error:[/red] no alert {alert_id}")
            raise typer.Exit(1)
        ids = delivery_store.replayable_of_alert(session, alert_id)
    if not ids:
        err.print(f"[yellow]alert {alert_id} has no dead or waiting delivery[/yellow]")
        raise typer.Exit(1)
    deps = type(deps)(attach(deps.settings))
    for delivery_id in ids:
        replay_and_enqueue(deps, delivery_id, None)
        out.print(f"delivery {delivery_id} queued for another attempt")


_registered = False


def register_groups() -> None:
    """Add the alert commands to the `subscriptions` and `alerts` groups (once)."""
    global _registered
    if _registered:
        return
    _registered = True
    listings.subscriptions.command("add")(add)
    listings.subscriptions.command("remove")(remove)
    listings.alerts.command("replay")(replay)
