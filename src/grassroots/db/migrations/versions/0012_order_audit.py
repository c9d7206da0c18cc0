"""order audit: refunds recorded against orders (refunds/create), the refunded amount, tax, shipping, discount
details, the linked promo code, landing_site_ref and note_attributes on each order

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = ("shopify", "woocommerce", "csv")


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("sales_order") as batch:
        batch.add_column(sa.Column("refunded", sa.Numeric(14, 2), nullable=False, server_default="0"))
        batch.add_column(sa.Column("tax", sa.Numeric(14, 2), nullable=True))
        batch.add_column(sa.Column("shipping", sa.Numeric(14, 2), nullable=True))
        batch.add_column(sa.Column("discount_details", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("promo_code_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("landing_site_ref", sa.String(200), nullable=True))
        batch.add_column(sa.Column("note_attributes", sa.JSON(), nullable=True))
        batch.create_index("ix_sales_order_promo_code_id", ["promo_code_id"])
    op.create_table(
        "order_refund",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source", sa.Enum(*SOURCES, name="commercesource", native_enum=False, length=20), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=False),
        sa.Column("order_external_id", sa.String(100), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "source", "external_id", name="uq_order_refund_external"),
    )
    op.create_index("ix_order_refund_order", "order_refund", ["workspace_id", "source", "order_external_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_order_refund_order", table_name="order_refund")
    op.drop_table("order_refund")
    with op.batch_alter_table("sales_order") as batch:
        batch.drop_index("ix_sales_order_promo_code_id")
        for column in ("note_attributes", "landing_site_ref", "promo_code_id", "discount_details", "shipping", "tax"):
            batch.drop_column(column)
        batch.drop_column("refunded")
