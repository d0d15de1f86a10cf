"""indexes for story candidates and claim deletion

`mentions (actor_id, article_id)` in place of `(actor_id)`: story grouping asks, per
tracked actor, for the newest articles that mention it; with the article id in the index
that is a walk down the index that stops after the first few, instead of a visit to every
mention of the actor and a sort.

`claim_links (other_id)`: deleting a claim (every re-extraction deletes the article's
claims) cascades to the links naming it on either side; without it each deleted claim was
a scan of all links.

Revision ID: 0006_lookup_indexes
Revises: 0005_full_text_search
"""

from alembic import op

revision = "0006_lookup_indexes"
down_revision = "0005_full_text_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_mentions_actor_article", "mentions", ["actor_id", "article_id"])
    op.drop_index("ix_mentions_actor_id", table_name="mentions")
    op.create_index("ix_claim_links_other_id", "claim_links", ["other_id"])


def downgrade() -> None:
    op.drop_index("ix_claim_links_other_id", table_name="claim_links")
    op.create_index("ix_mentions_actor_id", "mentions", ["actor_id"])
    op.drop_index("ix_mentions_actor_article", table_name="mentions")
