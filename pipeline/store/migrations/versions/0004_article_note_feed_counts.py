"""articles.note, feeds.items_merged and feeds.items_skipped

`note`: what processing left out of an article (a long text chunked or cut for extraction).
`items_merged`/`items_skipped`: what the last read document of a feed repeated exactly or
held with nothing to keep, shown by `newsmon feeds list`.

Revision ID: 0004_article_note_feed_counts
Revises: 0003_claim_from_title
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_article_note_feed_counts"
down_revision = "0003_claim_from_title"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("items_merged", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("items_skipped", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_column("items_skipped")
        batch_op.drop_column("items_merged")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("note")
