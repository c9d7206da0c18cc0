"""touchpoints (the creator's timeline), portal links (signed, expiring, revocable), shipping addresses, short links
and clicks

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace() -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "touchpoint",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("creator_id", sa.Integer(), sa.ForeignKey("creator.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "collaboration_id", sa.Integer(), sa.ForeignKey("collaboration.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("url", sa.String(1000), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("ref_type", sa.String(40), nullable=True),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        _when("at", nullable=False),
    )
    op.create_index("ix_touchpoint_workspace_id", "touchpoint", ["workspace_id"])
    op.create_index("ix_touchpoint_creator_at", "touchpoint", ["workspace_id", "creator_id", "at"])
    op.create_table(
        "portal_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column(
            "collaboration_id", sa.Integer(), sa.ForeignKey("collaboration.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("nonce", sa.String(64), nullable=False),
        _when("created_at", nullable=False),
        _when("expires_at", nullable=False),
        _when("revoked_at"),
        _when("last_used_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_portal_link_workspace_id", "portal_link", ["workspace_id"])
    op.create_index("ix_portal_link_collaboration_id", "portal_link", ["collaboration_id"])
    op.create_table(
        "shipping_address",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column(
            "collaboration_id",
            sa.Integer(),
            sa.ForeignKey("collaboration.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("line1", sa.String(300), nullable=False),
        sa.Column("line2", sa.String(300), nullable=True),
        sa.Column("city", sa.String(200), nullable=False),
        sa.Column("region", sa.String(200), nullable=True),
        sa.Column("postal_code", sa.String(40), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("phone", sa.String(50), nullable=True),
        _when("updated_at", nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_shipping_address_workspace_id", "shipping_address", ["workspace_id"])
    op.create_table(
        "short_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("creator_id", sa.Integer(), sa.ForeignKey("creator.id", ondelete="SET NULL"), nullable=True),
        sa.Column(
            "collaboration_id", sa.Integer(), sa.ForeignKey("collaboration.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaign.id", ondelete="SET NULL"), nullable=True),
        sa.Column("utm_source", sa.String(200), nullable=True),
        sa.Column("utm_medium", sa.String(200), nullable=True),
        sa.Column("utm_campaign", sa.String(200), nullable=True),
        sa.Column("utm_content", sa.String(200), nullable=True),
        _when("created_at", nullable=False),
        _when("archived_at"),
    )
    for column in ("workspace_id", "creator_id", "collaboration_id", "campaign_id"):
        op.create_index(f"ix_short_link_{column}", "short_link", [column])
    op.create_table(
        "click",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("click_id", sa.String(40), nullable=False, unique=True),
        sa.Column("link_id", sa.Integer(), sa.ForeignKey("short_link.id", ondelete="CASCADE"), nullable=False),
        _when("at", nullable=False),
        sa.Column("visitor", sa.String(64), nullable=False),
        sa.Column("ip_hash", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(500), nullable=True),
        sa.Column("referer", sa.String(1000), nullable=True),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("bot_reason", sa.String(100), nullable=True),
    )
    op.create_index("ix_click_workspace_id", "click", ["workspace_id"])
    op.create_index("ix_click_link_at", "click", ["link_id", "at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("click")
    op.drop_table("short_link")
    op.drop_table("shipping_address")
    op.drop_table("portal_link")
    op.drop_table("touchpoint")
