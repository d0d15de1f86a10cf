"""Listing commands: feeds, articles, claims, alerts, subscriptions (a table, or JSON lines)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pipeline.models import ActorRef, Extraction
from pipeline.store import alerts as alert_store
from pipeline.store import browse, overview
from pipeline.store import claims as claim_store
from pipeline.store.articles import article_record
from pipeline.store.claims import claim_json
from pipeline.store.db import Session, Sessions
from pipeline.store.rows import ClaimRow, Feed
from workers.cli.common import err, migrated_sessions, settings_or_exit

feeds = typer.Typer(help="Feeds and their polling state.", no_args_is_help=True)
articles = typer.Typer(help="Stored articles.", no_args_is_help=True)
claims = typer.Typer(help="Extracted claims.", no_args_is_help=True)
alerts = typer.Typer(help="Alerts and their deliveries.", no_args_is_help=True)
subscriptions = typer.Typer(help="Alert subscriptions.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]
LimitOpt = Annotated[int, typer.Option(help="At most this many rows (newest first).")]
out = Console(soft_wrap=True)


def _sessions() -> Sessions:
    return migrated_sessions(settings_or_exit())


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _cell(value: Any) -> str:
    """A table cell: times to the minute in UTC, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


# Cells that are one long token (a URL, a path): folded anywhere; other text wraps at words.
FOLDED = {"url", "target", "link", "etag", "last_modified"}


def emit(rows: Iterable[dict[str, Any]], as_json: bool, columns: list[str], title: str) -> None:
    """Print rows as JSON lines or as a table of `columns`."""
    rows = list(rows)
    if as_json:
        for row in rows:
            print(json.dumps({k: _iso(v) for k, v in row.items()}, ensure_ascii=False))
        return
    table = Table(title=f"{title} ({len(rows)})")
    for col in columns:
        table.add_column(col, overflow="fold" if col in FOLDED else "ellipsis")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    out.print(table)


def feed_row(f: Feed) -> dict[str, Any]:
    state = "disabled" if not f.enabled else ("failing" if f.failing else "ok")
    return {
        "id": f.id,
        "url": f.url,
        "name": f.name,
        "source": f.source,
        "state": state,
        "origin": f.origin,
        "last_success_at": f.last_success_at,
        "last_error": f.last_error,
        "consecutive_failures": f.consecutive_failures,
        "next_check_at": f.next_check_at,
        "etag": f.etag,
        "last_modified": f.last_modified,
        "merged": f.items_merged or 0,
        "skipped": f.items_skipped or 0,
    }


@feeds.command("list")
def feeds_list(as_json: JsonOpt = False, failing: bool = False) -> None:
    """Each feed's state, last success, last error and next check."""
    with _sessions()() as s:
        rows = [feed_row(f) for f in browse.feed_rows(s, failing_only=failing)]
    emit(
        rows,
        as_json,
        [
            "id",
            "state",
            "url",
            "last_success_at",
            "next_check_at",
            "merged",
            "skipped",
            "last_error",
        ],
        "feeds",
    )


@articles.command("list")
def articles_list(
    as_json: JsonOpt = False,
    limit: LimitOpt = 100,
    failed: Annotated[bool, typer.Option("--failed", help="Only articles that failed.")] = False,
    duplicates: Annotated[bool, typer.Option("--duplicates", help="Only copies.")] = False,
) -> None:
    """Stored articles, newest first, with their copies' originals and story."""
    with _sessions()() as s:
        found = browse.article_rows(s, limit=limit, failed=failed, duplicates=duplicates)
        rows = [article_record(a) for a in found]
    cols = ["id", "status", "source", "title", "duplicate_of", "story_id", "error"]
    emit(rows, as_json, cols, "articles")


@claims.command("list")
def claims_list(
    as_json: JsonOpt = False,
    limit: LimitOpt = 200,
    actor: Annotated[
        str | None, typer.Option(help="Claims with this actor id as subject, object or speaker.")
    ] = None,
) -> None:
    """Stored claims (subject, predicate, object, speaker, negation, evidence).

    Each claim lists the claims it contradicts (a denial and the accusation it denies); with
    --actor, the contradicting claims are shown too even when they fall outside the limit.
    """
    settings = settings_or_exit()
    with migrated_sessions(settings)() as s:
        if actor and actor not in (known := _known_actors(s, settings.entities_file)):
            close = difflib.get_close_matches(actor, known, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            err.print(
                f"[red]error:[/red] unknown actor id {actor!r}{hint} "
                f"(the ids are in {settings.entities_file})",
                highlight=False,
            )
            raise typer.Exit(2)
        if actor:
            found = claim_store.claims_about(s, actor, limit)
        else:
            found = claim_store.latest_claims(s, limit)
        links = claim_store.linked_claims(s, [c.id for c in found])
        if actor:
            extra = {o.id: o for others in links.values() for o in others}
            for c in found:
                extra.pop(c.id, None)
            found += sorted(extra.values(), key=lambda c: -c.id)
            links.update(claim_store.linked_claims(s, list(extra)))
        names = claim_store.actor_names(s)
        rows = [_claim_with_links(c, links.get(c.id, []), names) for c in found]
    if as_json:
        emit(rows, True, [], "claims")
        return
    flat = [_claim_cells(r) for r in rows]
    cols = ["id", "article", "subject", "predicate", "object", "theme", "speaker", "quantity"]
    emit(flat, False, [*cols, "contradicts"], "claims")


def _known_actors(session: Session, entities_file: Path) -> list[str]:
    """Actor ids stored, or those of the registry file before the first start."""
    from pipeline.catalog import load_actors

    return overview.actor_ids(session) or sorted(a.id for a in load_actors(entities_file))


def _claim_with_links(
    row: ClaimRow, others: list[ClaimRow], names: dict[str, str]
) -> dict[str, Any]:
    data = claim_json(row, names)
    data["contradicts"] = [
        {"id": o.id, "summary": claim_store.claim_summary(o, names)} for o in others
    ]
    return data


def _claim_cells(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "article": r["article_id"],
        "subject": _shown(r["subject"]),
        "predicate": ("not " if r["negated"] else "") + r["predicate"],
        "object": _shown(r["object"]),
        "theme": r["theme"],
        "speaker": _shown(r["speaker"]),
        "quantity": r["quantity"],
        "contradicts": "; ".join(f"#{o['id']} {o['summary']}" for o in r["contradicts"]) or None,
    }


def _shown(ref: dict[str, Any] | None) -> str | None:
    """A role as the analyst reads it: the resolved actor's name, the text used beside it."""
    if ref is None:
        return None
    return claim_store.shown(ActorRef(ref.get("id"), ref.get("text") or "", ref.get("name")))


@alerts.command("list")
def alerts_list(as_json: JsonOpt = False, limit: LimitOpt = 100, dead: bool = False) -> None:
    """Alerts with their delivery state, attempts and last error."""
    with _sessions()() as s:
        rows = [
            {
                "id": a.id,
                "subscription": sub.name,
                "owner": a.owner,
                "kind": a.kind,
                "story_id": a.story_id,
                "article_id": a.article_id,
                "created_at": a.created_at,
                "summary": (a.payload or {}).get("summary"),
                "delivery_id": d.id if d else None,
                "delivery_state": d.state if d else None,
                "attempts": d.attempts if d else 0,
                "last_error": d.last_error if d else None,
            }
            for a, d, sub in browse.alert_rows(s, limit=limit, dead=dead)
        ]
    cols = [
        "id",
        "subscription",
        "kind",
        "story_id",
        "delivery_id",
        "delivery_state",
        "attempts",
        "summary",
        "last_error",
    ]
    emit(rows, as_json, cols, "alerts")


@subscriptions.command("list")
def subscriptions_list(as_json: JsonOpt = False, owner: str | None = None) -> None:
    """Subscriptions from subscriptions.yaml and the API."""
    with _sessions()() as s:
        found = alert_store.list_subscriptions(s, owner or None)
        rows = [browse.subscription_json(r) for r in found]
    emit(
        rows,
        as_json,
        ["id", "owner", "name", "channel", "target", "mode", "enabled", "origin"],
        "subscriptions",
    )


def print_extraction(name: str, result: Extraction) -> None:
    """Human-readable output of `newsmon extract` without --json."""
    out.rule(name)
    for e in result.entities:
        tag = e.id or "-"
        out.print(f"[bold]{e.name}[/bold] ({e.type}, {tag}): {len(e.mentions)} mention(s)")
    for c in result.claims:
        neg = "NOT " if c.negated else ""
        obj = f" -> {claim_store.shown(c.object)}" if c.object else ""
        said = f"  [dim](according to {claim_store.shown(c.speaker)})[/dim]" if c.speaker else ""
        title = " [dim](headline)[/dim]" if c.from_title else ""
        subject = claim_store.shown(c.subject) or "(untracked)"
        out.print(f"  • {subject} {neg}{c.predicate}{obj}{said}{title}")


stories = typer.Typer(
    help="Stories: one event, every outlet that carried it.", no_args_is_help=True
)


@stories.command("list")
def stories_list(as_json: JsonOpt = False, limit: LimitOpt = 50, min_articles: int = 1) -> None:
    """Stories with their article count, independent outlets and syndicated copies."""
    from pipeline.store.stories import list_stories

    with _sessions()() as s:
        rows = list_stories(s, limit=limit, min_articles=min_articles)
    if as_json:
        emit(rows, True, [], "stories")
        return
    cols = ["id", "title", "first_seen_at", "articles", "independent_outlets", "copies"]
    emit(rows, False, cols, "stories")


@stories.command("show")
def stories_show(story_id: int, as_json: JsonOpt = False) -> None:
    """Every outlet that carried the story, oldest first, with copies marked."""
    from pipeline.store.stories import get_story

    with _sessions()() as s:
        story = get_story(s, story_id)
    if story is None:
        err.print(f"no story {story_id}")
        raise typer.Exit(1)
    if as_json:
        emit([story], True, [], "story")
        return
    out.print(
        f"[bold]{story['title']}[/bold]: first seen {story['first_seen_at']}, "
        f"{story['independent_outlets']} independent outlet(s), {story['copies']} copy/copies"
    )
    outlets = [{**o, "copy_of": o["duplicate_of"]} for o in story["outlets"]]
    emit(
        outlets,
        False,
        ["article_id", "source", "first_seen_at", "copy_of", "title", "url"],
        "outlets",
    )
