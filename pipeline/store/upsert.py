"""Race-safe insert-if-absent for SQLite and PostgreSQL (ON CONFLICT DO NOTHING)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_DIALECTS: dict[str, Any] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def insert_ignore(session: Session, table: Any, values: dict[str, Any], keys: list[str]) -> bool:
    """Insert `values` unless a row with the same `keys` exists; True when this call inserted.

    Two processes racing to insert the same key both succeed without an error, and exactly
    one of them sees True: the database's unique index decides, not a read before the write.
    """
    insert = _DIALECTS[session.get_bind().dialect.name]
    stmt = insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    # RETURNING, not rowcount: psycopg reports a rowcount for a conflicting no-op insert.
    stmt = stmt.returning(*[table.c[k] for k in keys])
    return session.execute(stmt).first() is not None
