"""tracking: issued promo codes and the referral programme

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("percentage", "fixed_amount")


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace() -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def _kind(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Enum(*KINDS, name="discountkind", native_enum=False, length=20), nullable=False)


def _fk(name: str, target: str, ondelete: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("sales_order") as batch:
        batch.add_column(_when("cancelled_at"))
        batch.add_column(sa.Column("shipping_key", sa.String(64), nullable=True))
        batch.add_column(sa.Column("fingerprints", sa.JSON(), nullable=True))
    with op.batch_alter_table("order_line") as batch:
        batch.add_column(sa.Column("variant_title", sa.String(300), nullable=True))
    with op.batch_alter_table("promo_code") as batch:
        batch.add_column(sa.Column("collaboration_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        statuses = ("pending", "created", "failed", "export")
        batch.add_column(
            sa.Column("store_status", sa.Enum(*statuses, name="storestatus", native_enum=False, length=20))
        )
        batch.add_column(sa.Column("store_error", sa.String(500), nullable=True))
        batch.create_foreign_key(
            "fk_promo_code_collaboration_id_collaboration", "collaboration", ["collaboration_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
        batch.create_foreign_key(
            "fk_promo_code_campaign_id_campaign", "campaign", ["campaign_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_promo_code_collaboration_id", ["collaboration_id"])
        batch.create_index("ix_promo_code_campaign_id", ["campaign_id"])
    op.create_table(
        "referral_program",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("active", sa.Boolean(), nullable=False),
        _kind("referrer_reward_kind"),
        sa.Column("referrer_reward_value", sa.Numeric(12, 2), nullable=False),
        _kind("friend_discount_kind"),
        sa.Column("friend_discount_value", sa.Numeric(12, 2), nullable=False),
        sa.Column("hold_days", sa.Integer(), nullable=False),
        _when("created_at", nullable=False),
        sa.UniqueConstraint("workspace_id", name="uq_referral_program_workspace"),
    )
    op.create_index("ix_referral_program_workspace_id", "referral_program", ["workspace_id"])
    op.create_table(
        "referral_invite",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _fk("customer_id", "customer.id", "CASCADE"),
        sa.Column("promo_code_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        _when("created_at", nullable=False),
        _when("revoked_at"),
        sa.UniqueConstraint("workspace_id", "customer_id", name="uq_referral_invite_customer"),
    )
    for column in ("workspace_id", "customer_id", "promo_code_id"):
        op.create_index(f"ix_referral_invite_{column}", "referral_invite", [column])
    statuses = ("pending", "payable", "paid", "cancelled")
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _fk("invite_id", "referral_invite.id", "CASCADE"),
        _fk("order_id", "sales_order.id", "CASCADE"),
        sa.Column("reward", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.Enum(*statuses, name="rewardstatus", native_enum=False, length=20), nullable=False),
        sa.Column("status_reason", sa.String(200), nullable=True),
        _when("hold_until", nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        _when("created_at", nullable=False),
        _when("paid_at"),
        sa.UniqueConstraint("workspace_id", "order_id", name="uq_referral_order"),
    )
    for column in ("workspace_id", "invite_id", "order_id"):
        op.create_index(f"ix_referral_{column}", "referral", [column])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("referral")
    op.drop_table("referral_invite")
    op.drop_table("referral_program")
    with op.batch_alter_table("promo_code") as batch:
        batch.drop_index("ix_promo_code_campaign_id")
        batch.drop_index("ix_promo_code_collaboration_id")
        batch.drop_constraint("fk_promo_code_campaign_id_campaign", type_="foreignkey")
        batch.drop_constraint("fk_promo_code_collaboration_id_collaboration", type_="foreignkey")
        for column in ("store_error", "store_status", "campaign_id", "collaboration_id"):
            batch.drop_column(column)
    with op.batch_alter_table("order_line") as batch:
        batch.drop_column("variant_title")
    with op.batch_alter_table("sales_order") as batch:
        for column in ("fingerprints", "shipping_key", "cancelled_at"):
            batch.drop_column(column)
