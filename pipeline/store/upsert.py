"""Race-safe insert-if-absent and bulk inserts for SQLite and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import text
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


def insert_rows(
    session: Session, table: Any, rows: list[dict[str, Any]], conflict_keys: list[str] | None = None
) -> None:
    """Insert many rows (all with the same keys); with `conflict_keys`, rows whose keys exist
    are skipped. On PostgreSQL one statement over one array per column: psycopg's executemany
    sends a statement per row, and a batch of articles stores thousands of mentions and links.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        stmt = _DIALECTS[dialect.name](table)
        if conflict_keys:
            stmt = stmt.on_conflict_do_nothing(index_elements=conflict_keys)
        session.execute(stmt, rows)
        return
    session.execute(
        _unnest_insert(table, tuple(rows[0]), tuple(conflict_keys or ())),
        {f"c{n}": [row[name] for row in rows] for n, name in enumerate(rows[0])},
    )


@lru_cache(maxsize=32)
def _unnest_insert(table: Any, names: tuple[str, ...], conflict: tuple[str, ...]) -> Any:
    dialect = postgresql.dialect()
    quote = dialect.identifier_preparer.quote  # "end" is a column name and a keyword
    arrays = ", ".join(
        f"CAST(:c{n} AS {table.c[name].type.compile(dialect)}[])" for n, name in enumerate(names)
    )
    columns = ", ".join(quote(name) for name in names)
    sql = f"INSERT INTO {quote(table.name)} ({columns}) SELECT * FROM unnest({arrays})"
    if conflict:
        sql += f" ON CONFLICT ({', '.join(quote(k) for k in conflict)}) DO NOTHING"
    return text(sql)
