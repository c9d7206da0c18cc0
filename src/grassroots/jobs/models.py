"""The job table: one row per unit of background work (send a message, a follow-up, a sync)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db.base import Base, utcnow


class JobStatus(enum.StrEnum):
    """Where a job is: waiting (maybe until ``run_at``), leased by a worker, finished or given up."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(Base):
    """A durable unit of work; a worker leases it (``lease_until``) so a crashed worker's job runs again."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_run_at", "status", "run_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for system work (a nightly sync of every workspace); workspace users only see their own jobs.
    workspace_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("workspace.id", ondelete="CASCADE"), index=True, nullable=True
    )
    kind: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Enqueueing the same key twice gives the same job (idempotent enqueue).
    key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    status: Mapped[JobStatus] = mapped_column(Enum(JobStatus, native_enum=False, length=12), default=JobStatus.queued)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    run_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    # Which claim holds the lease: a worker whose lease expired cannot finish a job another worker re-claimed.
    claim_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
