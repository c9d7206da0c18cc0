"""outreach: drafts, templates, replies, follow-up limits and the IMAP messages already read

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace(nullable: bool = False) -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=nullable)


def _ref(name: str, table: str, ondelete: str, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable)


def _kind(name: str = "kind") -> sa.Column[str]:
    return sa.Column(name, sa.String(20), nullable=False)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "outreach_template",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _kind(),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(320), nullable=False),
        _when("updated_at", nullable=False),
        sa.UniqueConstraint("workspace_id", "kind", "language", name="uq_outreach_template"),
    )
    op.create_index("ix_outreach_template_workspace_id", "outreach_template", ["workspace_id"])
    op.create_table(
        "outreach_draft",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _ref("collaboration_id", "collaboration", "CASCADE", nullable=False),
        _ref("creator_id", "creator", "CASCADE", nullable=False),
        _kind(),
        _kind("status"),
        sa.Column("to_email", sa.String(320), nullable=True),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        _ref("post_id", "post", "SET NULL"),
        sa.Column("post_url", sa.String(1000), nullable=True),
        sa.Column("portal_url", sa.String(1000), nullable=False),
        _ref("follows_up_message_id", "outbound_message", "SET NULL"),
        sa.Column("follow_up_number", sa.Integer(), nullable=False),
        _ref("message_id", "outbound_message", "SET NULL"),
        sa.Column("created_by", sa.String(320), nullable=False),
        _when("created_at", nullable=False),
        sa.Column("decided_by", sa.String(320), nullable=True),
        _when("decided_at"),
        sa.UniqueConstraint("workspace_id", "follows_up_message_id", name="uq_outreach_draft_follow_up"),
    )
    op.create_index("ix_outreach_draft_workspace_id", "outreach_draft", ["workspace_id"])
    op.create_index("ix_outreach_draft_collaboration_id", "outreach_draft", ["collaboration_id"])
    op.create_index("ix_outreach_draft_creator_id", "outreach_draft", ["creator_id"])
    op.create_index("ix_outreach_draft_status", "outreach_draft", ["workspace_id", "status", "id"])
    op.create_table(
        "outreach_reply",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _ref("creator_id", "creator", "CASCADE", nullable=False),
        _ref("collaboration_id", "collaboration", "SET NULL"),
        _ref("outbound_message_id", "outbound_message", "SET NULL"),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("matched_by", sa.String(20), nullable=False),
        sa.Column("from_email", sa.String(320), nullable=True),
        sa.Column("subject", sa.String(500), nullable=True),
        sa.Column("snippet", sa.Text(), nullable=True),
        sa.Column("rfc_message_id", sa.String(300), nullable=True),
        sa.Column("logged_by", sa.String(320), nullable=False),
        _when("received_at", nullable=False),
        sa.UniqueConstraint("workspace_id", "rfc_message_id", name="uq_outreach_reply_message"),
    )
    op.create_index("ix_outreach_reply_workspace_id", "outreach_reply", ["workspace_id"])
    op.create_index("ix_outreach_reply_outbound_message_id", "outreach_reply", ["outbound_message_id"])
    op.create_index("ix_outreach_reply_creator", "outreach_reply", ["workspace_id", "creator_id", "received_at"])
    op.create_table(
        "campaign_outreach",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column(
            "campaign_id", sa.Integer(), sa.ForeignKey("campaign.id", ondelete="CASCADE"), nullable=False, unique=True
        ),
        sa.Column("max_follow_ups", sa.Integer(), nullable=False),
    )
    op.create_index("ix_campaign_outreach_workspace_id", "campaign_outreach", ["workspace_id"])
    op.create_table(
        "imap_seen",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(nullable=True),
        sa.Column("mailbox", sa.String(400), nullable=False),
        sa.Column("uid_validity", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        _when("seen_at", nullable=False),
        sa.UniqueConstraint("mailbox", "uid_validity", "uid", name="uq_imap_seen_uid"),
    )
    op.create_index("ix_imap_seen_workspace_id", "imap_seen", ["workspace_id"])


def downgrade() -> None:
    """Revert this revision."""
    for table in ("imap_seen", "campaign_outreach", "outreach_reply", "outreach_draft", "outreach_template"):
        op.drop_table(table)
