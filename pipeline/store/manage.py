"""Run-time edits from the dashboard, the API and the CLI: subscription listings, actors,
feeds and API keys. Each function works inside the caller's transaction and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pipeline.models import Actor
from pipeline.store.tables import (
    ActorRow,
    AlertRow,
    ApiKey,
    DeliveryRow,
    Feed,
    utcnow,
)

# -- subscriptions


def subscription_alerts(session: Session, subscription_id: int, limit: int = 50) -> list[AlertRow]:
    stmt = (
        select(AlertRow)
        .where(AlertRow.subscription_id == subscription_id)
        .order_by(AlertRow.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def subscription_deliveries(
    session: Session, subscription_id: int, limit: int = 100
) -> list[DeliveryRow]:
    stmt = (
        select(DeliveryRow)
        .where(DeliveryRow.subscription_id == subscription_id)
        .order_by(DeliveryRow.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


# -- actors


def get_actor(session: Session, actor_id: str) -> ActorRow | None:
    return session.get(ActorRow, actor_id)


def feed(session: Session, feed_id: int) -> Feed:
    """The feed `feed_id` (it must exist)."""
    return session.get_one(Feed, feed_id)


def save_actor(
    session: Session, actor_id: str, *, name: str, type: str, aliases: list[str]
) -> ActorRow:
    """Add or change an actor (aliases replace the old ones)."""
    row = session.get(ActorRow, actor_id)
    if row is None:
        row = ActorRow(id=actor_id, name=name, type=type, aliases=aliases)
        session.add(row)
    else:
        row.name, row.type, row.aliases = name, type, aliases
    session.flush()
    return row


def remove_actor(session: Session, actor_id: str) -> bool:
    """Delete an actor; its stored mentions and claims keep their text."""
    return bool(session.execute(delete(ActorRow).where(ActorRow.id == actor_id)).rowcount)  # type: ignore[attr-defined]


# -- feeds


def set_feed_enabled(session: Session, feed_id: int, enabled: bool) -> Feed | None:
    """Pause or resume a feed; a resumed feed is due at once."""
    row = session.get(Feed, feed_id)
    if row is None:
        return None
    row.enabled = enabled
    if enabled:
        row.next_check_at = utcnow()
    return row


def edit_feed(session: Session, feed_id: int, changes: dict[str, Any]) -> Feed | None:
    """Change a feed's name, source, language or intervals (other keys are refused)."""
    allowed = {"name", "source", "language", "min_interval", "max_interval", "full_text"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    row = session.get(Feed, feed_id)
    if row is None:
        return None
    for key, value in changes.items():
        setattr(row, key, value)
    return row


def remove_feed(session: Session, feed_id: int) -> bool:
    """Delete a feed and its tombstones; its articles stay (their feed id becomes NULL)."""
    return bool(session.execute(delete(Feed).where(Feed.id == feed_id)).rowcount)  # type: ignore[attr-defined]


# -- API keys


def list_keys(session: Session, owner: str | None = None) -> list[ApiKey]:
    stmt = select(ApiKey).order_by(ApiKey.id)
    if owner is not None:
        stmt = stmt.where(ApiKey.owner == owner)
    return list(session.scalars(stmt))


def revoke_key(session: Session, key_id: int, owner: str | None = None) -> ApiKey | None:
    """Revoke a key (idempotent); with `owner`, only one of that owner's keys."""
    row = session.get(ApiKey, key_id)
    if row is None or (owner is not None and row.owner != owner):
        return None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def key_json(row: ApiKey) -> dict[str, Any]:
    return {
        "id": row.id,
        "owner": row.owner,
        "prefix": row.prefix,
        "created_at": row.created_at.isoformat(),
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }


def registry(session: Session, file_actors: Sequence[Actor]) -> list[Actor]:
    """The actors extraction uses: the table, with run-time additions and edits, keeping the
    file's order, hints and exclusions for the actors it defines (run-time additions follow,
    by id); the file alone when the table is empty (a database not prepared yet)."""
    rows = {r.id: r for r in session.scalars(select(ActorRow))}
    if not rows:
        return list(file_actors)
    known = {a.id for a in file_actors}
    actors = [_edited(a, rows[a.id]) for a in file_actors if a.id in rows]
    added = sorted(set(rows) - known)
    actors += [
        Actor(id=i, name=rows[i].name, type=rows[i].type, aliases=tuple(rows[i].aliases or ()))
        for i in added
    ]
    return actors


def _edited(actor: Actor, row: ActorRow) -> Actor:
    return replace(actor, name=row.name, type=row.type, aliases=tuple(row.aliases or ()))
