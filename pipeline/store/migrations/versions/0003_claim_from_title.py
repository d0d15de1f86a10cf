"""claims.from_title: a claim stated only in the headline

Such a claim's `start`/`end` point into the article's title; every other claim's point into
its text (issue 13: title handled apart from the body).

Revision ID: 0003_claim_from_title
Revises: 0002_feed_added_url
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_claim_from_title"
down_revision = "0002_feed_added_url"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("from_title", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("from_title")
