"""campaigns: kinds, KPIs, compensation, content scope, settings; the stage audit trail and the payments ledger

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = ("prospect", "contacted", "replied", "agreed", "shipped", "drafting", "in_review", "approved", "live",
          "paid", "done", "declined", "paused")  # fmt: skip
COMPENSATION = ("gift", "commission", "flat_fee", "hybrid")


def _enum(name: str, values: Sequence[str]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def _money(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Numeric(precision=12, scale=2), nullable=True)


def _workspace() -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def _collaboration() -> sa.Column[int]:
    return sa.Column(
        "collaboration_id", sa.Integer(), sa.ForeignKey("collaboration.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    """Apply this revision."""
    kinds = ("seeding", "paid", "affiliate", "ambassador")
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("kind", _enum("campaignkind", kinds), server_default="seeding", nullable=False))
        for name in ("products", "kpis", "handles", "hashtags", "promo_codes", "assumptions"):
            batch.add_column(sa.Column(name, sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("compensation", _enum("compensation", COMPENSATION), server_default="gift", nullable=False)
        )
        batch.add_column(_money("fee"))
        batch.add_column(sa.Column("commission_pct", sa.Numeric(precision=5, scale=2), nullable=True))
        batch.add_column(_money("gift_value"))
        for name, default in (("commission_hold_days", "30"), ("follow_up_days", "7"), ("ask_cap", "2")):
            batch.add_column(sa.Column(name, sa.Integer(), server_default=default, nullable=False))
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("collaboration") as batch:
        batch.add_column(sa.Column("stage_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("compensation", _enum("compensation", COMPENSATION), nullable=True))
        batch.add_column(_money("fee"))
        batch.add_column(sa.Column("commission_pct", sa.Numeric(precision=5, scale=2), nullable=True))
        batch.add_column(_money("gift_value"))
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
    op.execute("UPDATE collaboration SET stage_changed_at = created_at")
    with op.batch_alter_table("collaboration") as batch:
        batch.alter_column("stage_changed_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.create_index("ix_collaboration_campaign_stage", ["campaign_id", "stage"])
    _create_stage_change()
    _create_ledger_entry()


def _create_stage_change() -> None:
    op.create_table(
        "stage_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _collaboration(),
        sa.Column("from_stage", _enum("stage", STAGES), nullable=True),
        sa.Column("to_stage", _enum("stage", STAGES), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_stage_change_workspace_id", "stage_change", ["workspace_id"])
    op.create_index("ix_stage_change_changed_at", "stage_change", ["changed_at"])
    op.create_index("ix_stage_change_collab_at", "stage_change", ["collaboration_id", "changed_at"])


def _create_ledger_entry() -> None:
    op.create_table(
        "ledger_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _collaboration(),
        sa.Column("kind", _enum("entrykind", ("fee", "commission", "gift")), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", _enum("entrystatus", ("owed", "paid")), nullable=False),
        sa.Column("earned_on", sa.Date(), nullable=False),
        sa.Column("payable_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_by", sa.String(320), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ledger_entry_workspace_id", "ledger_entry", ["workspace_id"])
    op.create_index("ix_ledger_entry_collaboration_id", "ledger_entry", ["collaboration_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("ledger_entry")
    op.drop_table("stage_change")
    with op.batch_alter_table("collaboration") as batch:
        batch.drop_index("ix_collaboration_campaign_stage")
        for name in ("note", "gift_value", "commission_pct", "fee", "compensation", "stage_changed_at"):
            batch.drop_column(name)
    with op.batch_alter_table("campaign") as batch:
        for name in ("updated_at", "archived_at", "ask_cap", "follow_up_days", "commission_hold_days", "gift_value",
                     "commission_pct", "fee", "compensation", "assumptions", "promo_codes", "hashtags", "handles",
                     "kpis", "products", "kind"):  # fmt: skip
            batch.drop_column(name)
