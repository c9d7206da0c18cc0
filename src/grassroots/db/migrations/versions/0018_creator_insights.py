"""creator-authorised insights: grants and shared figures

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRANT_STATUS = ("active", "needs_reconnect", "revoked")


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace() -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def _creator() -> sa.Column[int]:
    return sa.Column("creator_id", sa.Integer(), sa.ForeignKey("creator.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "creator_oauth_app",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("redirect_base", sa.String(500), nullable=True),
        _when("updated_at", nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("workspace_id", "platform", name="uq_creator_oauth_app_platform"),
    )
    op.create_index("ix_creator_oauth_app_workspace_id", "creator_oauth_app", ["workspace_id"])
    op.create_table(
        "creator_grant",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _creator(),
        sa.Column(
            "collaboration_id", sa.Integer(), sa.ForeignKey("collaboration.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("portal_link_id", sa.Integer(), sa.ForeignKey("portal_link.id", ondelete="SET NULL"), nullable=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("account_id", sa.String(100), nullable=True),
        sa.Column("account_name", sa.String(200), nullable=True),
        sa.Column("secret", sa.LargeBinary(), nullable=True),
        sa.Column("scopes", sa.String(500), nullable=False),
        _when("token_expires_at"),
        _when("refresh_expires_at"),
        sa.Column("status", sa.Enum(*GRANT_STATUS, name="grantstatus", native_enum=False, length=20), nullable=False),
        sa.Column("status_reason", sa.String(500), nullable=True),
        _when("connected_at", nullable=False),
        _when("refreshed_at"),
        _when("revoked_at"),
        sa.UniqueConstraint("collaboration_id", "platform", name="uq_creator_grant_platform"),
    )
    op.create_index("ix_creator_grant_workspace_id", "creator_grant", ["workspace_id"])
    op.create_index("ix_creator_grant_creator_id", "creator_grant", ["creator_id"])
    op.create_table(
        "shared_insight",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column(
            "grant_id",
            sa.Integer(),
            sa.ForeignKey("creator_grant.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        _creator(),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("followers", sa.Integer(), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("audience_unit", sa.String(20), nullable=False),
        sa.Column("posts", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        _when("fetched_at", nullable=False),
    )
    op.create_index("ix_shared_insight_workspace_id", "shared_insight", ["workspace_id"])
    op.create_index("ix_shared_insight_creator_id", "shared_insight", ["creator_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("shared_insight")
    op.drop_table("creator_grant")
    op.drop_table("creator_oauth_app")
