"""webhook deliveries: scoped to their connection, kept with their raw body, attempts and error

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("webhook_delivery") as batch:
        batch.add_column(sa.Column("connection_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("body", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint("uq_webhook_delivery", type_="unique")
        batch.create_unique_constraint("uq_webhook_delivery", ["provider", "connection_id", "delivery_id"])
        batch.create_foreign_key(
            batch.f("fk_webhook_delivery_connection_id_connection"),
            "connection",
            ["connection_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(batch.f("ix_webhook_delivery_connection_id"), ["connection_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("webhook_delivery") as batch:
        batch.drop_index(batch.f("ix_webhook_delivery_connection_id"))
        batch.drop_constraint(batch.f("fk_webhook_delivery_connection_id_connection"), type_="foreignkey")
        batch.drop_constraint("uq_webhook_delivery", type_="unique")
        batch.create_unique_constraint("uq_webhook_delivery", ["provider", "delivery_id"])
        for column in ("finished_at", "error", "attempts", "body", "connection_id"):
            batch.drop_column(column)
