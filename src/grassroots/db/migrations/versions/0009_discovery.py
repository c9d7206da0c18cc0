"""discovery: search profiles, shortlists, saved searches; the brand's own handles

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace() -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("workspace") as batch:
        batch.add_column(sa.Column("brand_handles", sa.JSON(), nullable=True))
    op.create_table(
        "search_profile",
        sa.Column("creator_id", sa.Integer(), sa.ForeignKey("creator.id", ondelete="CASCADE"), primary_key=True),
        _workspace(),
        sa.Column("country", sa.String(2)),
        sa.Column("city", sa.String(100)),
        sa.Column("niches", sa.JSON(), nullable=False),
        sa.Column("niche_scores", sa.JSON(), nullable=False),
        sa.Column("hashtags", sa.JSON(), nullable=False),
        sa.Column("stems", sa.Text(), nullable=False),
        sa.Column("last_post_at", sa.DateTime(timezone=True)),
        sa.Column("sponsored_share", sa.Float(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("growth_30d", sa.Float()),
        sa.Column("vector", sa.LargeBinary()),
        sa.Column("text_key", sa.String(40)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_search_profile_workspace_id", "search_profile", ["workspace_id"])
    op.create_index("ix_search_profile_ws_updated", "search_profile", ["workspace_id", "updated_at"])
    op.create_table(
        "shortlist",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "name", name="uq_shortlist_name"),
    )
    op.create_index("ix_shortlist_workspace_id", "shortlist", ["workspace_id"])
    op.create_table(
        "shortlist_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("shortlist_id", sa.Integer(), sa.ForeignKey("shortlist.id", ondelete="CASCADE"), nullable=False),
        sa.Column("creator_id", sa.Integer(), sa.ForeignKey("creator.id", ondelete="CASCADE"), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("shortlist_id", "creator_id", name="uq_shortlist_creator"),
    )
    for column in ("workspace_id", "shortlist_id", "creator_id"):
        op.create_index(f"ix_shortlist_entry_{column}", "shortlist_entry", [column])
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "name", name="uq_saved_search_name"),
    )
    op.create_index("ix_saved_search_workspace_id", "saved_search", ["workspace_id"])


def downgrade() -> None:
    """Revert this revision."""
    for table in ("saved_search", "shortlist_entry", "shortlist", "search_profile"):
        op.drop_table(table)
    with op.batch_alter_table("workspace") as batch:
        batch.drop_column("brand_handles")
