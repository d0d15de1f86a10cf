"""Full-text search over articles (title, text) and claims (sentence)

SQLite: FTS5 external-content tables kept in step by triggers, filled from existing rows.
PostgreSQL: GIN indexes on the `simple` text-search vectors that `store/search.py` queries.

Revision ID: 0005_full_text_search
Revises: 0004_article_note_feed_counts
"""

from alembic import op

revision = "0005_full_text_search"
down_revision = "0004_article_note_feed_counts"
branch_labels = None
depends_on = None

# (fts table, content table, indexed columns)
SQLITE_TABLES = (
    ("articles_fts", "articles", ("title", "text")),
    ("claims_fts", "claims", ("sentence",)),
)
PG_INDEXES = {
    "ix_articles_fts": "articles USING gin (to_tsvector('simple', "
    "coalesce(title, '') || ' ' || coalesce(text, '')))",
    "ix_claims_fts": "claims USING gin (to_tsvector('simple', coalesce(sentence, '')))",
}


def _sqlite_upgrade() -> None:
    for fts, table, columns in SQLITE_TABLES:
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id')"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
        return
    for name, target in PG_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for fts, _, _ in SQLITE_TABLES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        return
    for name in PG_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
