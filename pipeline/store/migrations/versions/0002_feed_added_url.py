"""feeds.added_url: the URL a feed was configured or added with

The poller moves `feeds.url` on a permanent redirect and to the feed an HTML page links;
the config mirror and `feeds add` keep recognising the feed by the URL they know.

Revision ID: 0002_feed_added_url
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_feed_added_url"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("added_url", sa.String(length=2048), nullable=True))
        batch_op.create_index(batch_op.f("ix_feeds_added_url"), ["added_url"], unique=False)
    op.execute("UPDATE feeds SET added_url = url WHERE added_url IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feeds_added_url"))
        batch_op.drop_column("added_url")
