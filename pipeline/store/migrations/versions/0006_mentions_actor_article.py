"""mentions index on (actor_id, article_id) in place of (actor_id)

Story grouping asks, per tracked actor, for the newest articles that mention it; with the
article id in the index that is a walk down the index that stops after the first few,
instead of a visit to every mention of the actor and a sort.

Revision ID: 0006_mentions_actor_article
Revises: 0005_full_text_search
"""

from alembic import op

revision = "0006_mentions_actor_article"
down_revision = "0005_full_text_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_mentions_actor_article", "mentions", ["actor_id", "article_id"])
    op.drop_index("ix_mentions_actor_id", table_name="mentions")


def downgrade() -> None:
    op.create_index("ix_mentions_actor_id", "mentions", ["actor_id"])
    op.drop_index("ix_mentions_actor_article", table_name="mentions")
