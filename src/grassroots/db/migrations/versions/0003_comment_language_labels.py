"""comment language labels and the brand profile (tone, banned categories)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "comment_label",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("sentiment_score", sa.Float(), nullable=False),
        sa.Column("emotion", sa.String(length=10), nullable=False),
        sa.Column("purchase_intent", sa.String(length=12), nullable=False),
        sa.Column("question_type", sa.String(length=10), nullable=False),
        sa.Column("request", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comment.id"], name=op.f("fk_comment_label_comment_id_comment"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_comment_label_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("comment_id", name=op.f("pk_comment_label")),
    )
    op.create_index(op.f("ix_comment_label_workspace_id"), "comment_label", ["workspace_id"], unique=False)
    op.create_index("ix_comment_label_ws_intent", "comment_label", ["workspace_id", "purchase_intent"], unique=False)
    with op.batch_alter_table("workspace") as batch:
        batch.add_column(sa.Column("tone", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("banned_categories", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("workspace") as batch:
        batch.drop_column("banned_categories")
        batch.drop_column("tone")
    op.drop_index("ix_comment_label_ws_intent", table_name="comment_label")
    op.drop_index(op.f("ix_comment_label_workspace_id"), table_name="comment_label")
    op.drop_table("comment_label")
