"""articles.note: what processing left out of an article (a long text cut for extraction)

Revision ID: 0004_article_note
Revises: 0002_feed_added_url
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_article_note"
down_revision = "0002_feed_added_url"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("note")
