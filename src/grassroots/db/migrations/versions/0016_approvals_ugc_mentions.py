"""content approvals, the UGC library and the mentions inbox

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace() -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def _key(name: str, table: str, nullable: bool = False, ondelete: str = "CASCADE") -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable)


def _indexes(table: str, *columns: str) -> None:
    for column in ("workspace_id", *columns):
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "content_draft",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _key("collaboration_id", "collaboration"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        _when("created_at", nullable=False),
    )
    _indexes("content_draft", "collaboration_id")
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _key("draft_id", "content_draft"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("media_urls", sa.JSON(), nullable=False),
        sa.Column("post_url", sa.String(1000), nullable=True),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("via", sa.String(20), nullable=False),
        _when("submitted_at", nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("disclosure", sa.String(20), nullable=False),
        sa.Column("disclosure_reason", sa.Text(), nullable=False),
        sa.Column("expected_disclosure", sa.String(200), nullable=False),
        sa.Column("blocked_reason", sa.Text(), nullable=True),
        _when("decided_at"),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.UniqueConstraint("draft_id", "number", name="uq_content_version_number"),
    )
    _indexes("content_version", "draft_id")
    op.create_table(
        "content_comment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _key("draft_id", "content_draft"),
        _key("version_id", "content_version", nullable=True, ondelete="SET NULL"),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("from_creator", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _when("created_at", nullable=False),
    )
    _indexes("content_comment", "draft_id")
    op.create_table(
        "ugc_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _key("version_id", "content_version"),
        _key("collaboration_id", "collaboration"),
        _key("campaign_id", "campaign"),
        _key("creator_id", "creator"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("media_urls", sa.JSON(), nullable=False),
        sa.Column("post_url", sa.String(1000), nullable=True),
        _when("approved_at", nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=False),
        sa.Column("rights", sa.String(20), nullable=False),
        sa.Column("agreement_version_id", sa.Integer(), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("paid_usage", sa.Boolean(), nullable=False),
        sa.Column("rights_expire_on", sa.Date(), nullable=True),
        sa.Column("exclusivity", sa.Text(), nullable=True),
        sa.UniqueConstraint("version_id", name="uq_ugc_item_version_id"),
    )
    _indexes("ugc_item", "collaboration_id", "campaign_id", "creator_id")
    op.create_table(
        "mention",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _key("post_id", "post"),
        _key("creator_id", "creator"),
        sa.Column("status", sa.String(20), nullable=False),
        _when("status_at"),
        sa.Column("status_by", sa.String(200), nullable=True),
        _when("flagged_at"),
        _when("created_at", nullable=False),
        sa.UniqueConstraint("workspace_id", "post_id", name="uq_mention_post"),
    )
    _indexes("mention", "post_id", "creator_id")


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("mention")
    op.drop_table("ugc_item")
    op.drop_table("content_comment")
    op.drop_table("content_version")
    op.drop_table("content_draft")
