"""campaigns: the currency of the budget (ISO 4217)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("currency")
