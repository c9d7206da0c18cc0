"""gifting: products, gift orders, shipments

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRODUCT_SOURCE = ("shopify", "manual", "csv")
GIFT_STATUS = ("planned", "ordered", "shipped", "delivered")
FULFILMENT = ("store", "warehouse")


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace() -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)


def _enum(name: str, values: Sequence[str]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def _text(name: str, length: int | None = None) -> sa.Column[str]:
    return sa.Column(name, sa.String(length) if length else sa.Text(), nullable=True)


def _money(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Numeric(precision=12, scale=2), nullable=True)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "gift_product",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("source", _enum("productsource", PRODUCT_SOURCE), nullable=False),
        _text("product_gid", 200),
        _text("variant_gid", 200),
        sa.Column("title", sa.String(300), nullable=False),
        _text("variant_title", 300),
        _text("sku", 200),
        _money("price"),
        sa.Column("currency", sa.String(3), nullable=False),
        _text("image_url", 1000),
        sa.Column("active", sa.Boolean(), nullable=False),
        _when("refreshed_at", nullable=False),
        sa.UniqueConstraint("workspace_id", "variant_gid", name="uq_gift_product_variant"),
    )
    op.create_index("ix_gift_product_workspace_id", "gift_product", ["workspace_id"])
    op.create_table(
        "gift",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column(
            "collaboration_id",
            sa.Integer(),
            sa.ForeignKey("collaboration.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("creator_id", sa.Integer(), sa.ForeignKey("creator.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", _enum("giftstatus", GIFT_STATUS), nullable=False),
        sa.Column("fulfilment", _enum("fulfilment", FULFILMENT), nullable=True),
        _money("cost"),
        sa.Column("currency", sa.String(3), nullable=False),
        _text("note"),
        _text("ship_name", 200),
        _text("ship_line1", 300),
        _text("ship_line2", 300),
        _text("ship_city", 200),
        _text("ship_region", 200),
        _text("ship_postal_code", 40),
        _text("ship_country", 2),
        _text("ship_phone", 50),
        _text("address_from", 20),
        sa.Column("store_tag", sa.String(80), nullable=False, unique=True),
        _when("order_requested_at"),
        _text("order_requested_by", 320),
        _text("order_error"),
        _text("draft_order_gid", 200),
        _text("store_order_gid", 200),
        _text("store_order_name", 100),
        sa.Column(
            "ledger_entry_id", sa.Integer(), sa.ForeignKey("ledger_entry.id", ondelete="SET NULL"), nullable=True
        ),
        _when("ordered_at"),
        _text("tracking_number", 200),
        _text("carrier", 100),
        _text("tracking_url", 1000),
        _when("shipped_at"),
        _when("delivered_at"),
        _text("delivered_by", 320),
        _text("thanks_subject", 300),
        _text("thanks_body"),
        sa.Column(
            "thanks_message_id",
            sa.Integer(),
            sa.ForeignKey("outbound_message.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_by", sa.String(320), nullable=False),
        _when("created_at", nullable=False),
    )
    op.create_index("ix_gift_workspace_id", "gift", ["workspace_id"])
    op.create_index("ix_gift_creator_id", "gift", ["creator_id"])
    op.create_table(
        "gift_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("gift_id", sa.Integer(), sa.ForeignKey("gift.id", ondelete="CASCADE"), nullable=False),
        sa.Column("product_id", sa.Integer(), sa.ForeignKey("gift_product.id", ondelete="SET NULL"), nullable=True),
        _text("variant_gid", 200),
        sa.Column("title", sa.String(300), nullable=False),
        _text("variant_title", 300),
        _text("sku", 200),
        _money("unit_price"),
        sa.Column("quantity", sa.Integer(), nullable=False),
    )
    op.create_index("ix_gift_line_workspace_id", "gift_line", ["workspace_id"])
    op.create_index("ix_gift_line_gift_id", "gift_line", ["gift_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("gift_line")
    op.drop_table("gift")
    op.drop_table("gift_product")
