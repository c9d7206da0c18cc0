"""portal and agreements: briefs, agreement versions, signatures, addresses, payout details

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace() -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def _collaboration(unique: bool = False) -> sa.Column[int]:
    return sa.Column("collaboration_id", sa.Integer(), sa.ForeignKey("collaboration.id", ondelete="CASCADE"),
                     nullable=False, unique=unique)  # fmt: skip


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "document_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _collaboration(),
        sa.Column(
            "kind", sa.Enum("brief", "agreement", name="documentkind", native_enum=False, length=20), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        _when("created_at", nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.UniqueConstraint("collaboration_id", "kind", "number", name="uq_document_version_number"),
    )
    op.create_index("ix_document_version_workspace_id", "document_version", ["workspace_id"])
    op.create_index("ix_document_version_collaboration_id", "document_version", ["collaboration_id"])
    op.create_table(
        "agreement_signature",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _collaboration(),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("document_version.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("signer_name", sa.String(200), nullable=False),
        _when("signed_at", nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(500), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_agreement_signature_workspace_id", "agreement_signature", ["workspace_id"])
    op.create_index("ix_agreement_signature_collaboration_id", "agreement_signature", ["collaboration_id"])
    op.create_table(
        "offer_response",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _collaboration(),
        sa.Column(
            "decision", sa.Enum("accepted", "declined", name="decision", native_enum=False, length=20), nullable=False
        ),
        sa.Column("note", sa.Text(), nullable=True),
        _when("responded_at", nullable=False),
    )
    op.create_index("ix_offer_response_workspace_id", "offer_response", ["workspace_id"])
    op.create_index("ix_offer_response_collaboration_id", "offer_response", ["collaboration_id"])
    op.create_table(
        "payout_details",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _collaboration(unique=True),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("summary", sa.String(200), nullable=False),
        sa.Column("tax_country", sa.String(2), nullable=True),
        _when("updated_at", nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_payout_details_workspace_id", "payout_details", ["workspace_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("payout_details")
    op.drop_table("offer_response")
    op.drop_table("agreement_signature")
    op.drop_table("document_version")
