"""jobs and mail: the durable job queue, outgoing messages (idempotency records) and opt-outs

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOB_STATUS = ("queued", "running", "done", "failed")
MESSAGE_STATUS = ("queued", "sending", "sent", "failed", "bounced", "blocked_opt_out")


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace(nullable: bool = False) -> sa.Column[int]:
    return sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                     nullable=nullable)  # fmt: skip


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(nullable=True),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("key", sa.String(200), nullable=True),
        sa.Column("status", sa.Enum(*JOB_STATUS, name="jobstatus", native_enum=False, length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        _when("run_at", nullable=False),
        _when("lease_until"),
        sa.Column("claim_token", sa.String(64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _when("created_at", nullable=False),
        _when("started_at"),
        _when("finished_at"),
        sa.UniqueConstraint("key", name="uq_job_key"),
    )
    op.create_index("ix_job_workspace_id", "job", ["workspace_id"])
    op.create_index("ix_job_status_run_at", "job", ["status", "run_at"])
    op.create_table(
        "outbound_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("creator_id", sa.Integer(), sa.ForeignKey("creator.id", ondelete="SET NULL"), nullable=True),
        sa.Column("to_email", sa.String(320), nullable=False),
        sa.Column("from_email", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("message_id", sa.String(300), nullable=False),
        sa.Column(
            "status", sa.Enum(*MESSAGE_STATUS, name="messagestatus", native_enum=False, length=20), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        _when("created_at", nullable=False),
        _when("sending_at"),
        _when("sent_at"),
        sa.UniqueConstraint("workspace_id", "idempotency_key", name="uq_outbound_message_key"),
    )
    op.create_index("ix_outbound_message_workspace_id", "outbound_message", ["workspace_id"])
    op.create_index("ix_outbound_message_creator_id", "outbound_message", ["creator_id"])
    op.create_index("ix_outbound_message_status_sent", "outbound_message", ["workspace_id", "status", "sent_at"])
    op.create_table(
        "opt_out",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("email", sa.String(320), nullable=False),
        _when("created_at", nullable=False),
        sa.Column("how", sa.String(40), nullable=False),
        sa.UniqueConstraint("workspace_id", "email", name="uq_opt_out_email"),
    )
    op.create_index("ix_opt_out_workspace_id", "opt_out", ["workspace_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("opt_out")
    op.drop_table("outbound_message")
    op.drop_table("job")
