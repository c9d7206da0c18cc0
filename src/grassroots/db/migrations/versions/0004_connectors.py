"""connectors: connected accounts, sync state, webhook deliveries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 01:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace_fk(table: str, nullable: bool = False) -> list[Any]:
    return [
        sa.Column("workspace_id", sa.Integer(), nullable=nullable),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f(f"fk_{table}_workspace_id_workspace"), ondelete="CASCADE"
        ),
    ]


def _connection_fk(table: str) -> list[Any]:
    return [
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["connection.id"], name=op.f(f"fk_{table}_connection_id_connection"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_workspace_fk("connection"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection")),
        sa.UniqueConstraint("workspace_id", "provider", "label", name="uq_connection_label"),
    )
    op.create_index(op.f("ix_connection_workspace_id"), "connection", ["workspace_id"], unique=False)
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("delivery_id", sa.String(length=200), nullable=False),
        *_workspace_fk("webhook_delivery", nullable=True),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint("provider", "delivery_id", name="uq_webhook_delivery"),
    )
    op.create_index(op.f("ix_webhook_delivery_workspace_id"), "webhook_delivery", ["workspace_id"], unique=False)
    op.create_table(
        "sync_run",
        sa.Column("id", sa.Integer(), nullable=False),
        *_connection_fk("sync_run"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        *_workspace_fk("sync_run"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_run")),
    )
    op.create_index(op.f("ix_sync_run_connection_id"), "sync_run", ["connection_id"], unique=False)
    op.create_index(op.f("ix_sync_run_workspace_id"), "sync_run", ["workspace_id"], unique=False)
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        *_connection_fk("sync_state"),
        sa.Column("stream", sa.String(length=200), nullable=False),
        sa.Column("cursor", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_workspace_fk("sync_state"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
        sa.UniqueConstraint("connection_id", "stream", name="uq_sync_state_stream"),
    )
    op.create_index(op.f("ix_sync_state_workspace_id"), "sync_state", ["workspace_id"], unique=False)
    # Synced comments are keyed on the platform's id under their post (re-syncs update, never duplicate).
    with op.batch_alter_table("comment") as batch:
        batch.create_unique_constraint("uq_comment_external", ["post_id", "external_id"])


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("comment") as batch:
        batch.drop_constraint("uq_comment_external", type_="unique")
    op.drop_index(op.f("ix_sync_state_workspace_id"), table_name="sync_state")
    op.drop_table("sync_state")
    op.drop_index(op.f("ix_sync_run_workspace_id"), table_name="sync_run")
    op.drop_index(op.f("ix_sync_run_connection_id"), table_name="sync_run")
    op.drop_table("sync_run")
    op.drop_index(op.f("ix_webhook_delivery_workspace_id"), table_name="webhook_delivery")
    op.drop_table("webhook_delivery")
    op.drop_index(op.f("ix_connection_workspace_id"), table_name="connection")
    op.drop_table("connection")
