"""Use cases of the Jobs page, the API and the CLI: list a workspace's jobs, count them, retry one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.db.base import utcnow
from grassroots.errors import Conflict, InvalidInput, NotFound
from grassroots.jobs.models import Job, JobStatus


@dataclass(frozen=True)
class JobView:
    """What the page, the API and the CLI show of a job."""

    id: int
    kind: str
    status: str
    attempts: int
    max_attempts: int
    run_at: datetime
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None
    lease_until: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobView:
        """Snapshot a row."""
        return cls(job.id, job.kind, job.status.value, job.attempts, job.max_attempts, job.run_at, job.last_error,
                   job.created_at, job.finished_at, job.lease_until)  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        stamp = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"id": self.id, "kind": self.kind, "status": self.status, "attempts": self.attempts,
                "max_attempts": self.max_attempts, "run_at": stamp(self.run_at), "last_error": self.last_error,
                "created_at": stamp(self.created_at), "finished_at": stamp(self.finished_at)}  # fmt: skip


def _status(value: str | None) -> JobStatus | None:
    if not value:
        return None
    try:
        return JobStatus(value)
    except ValueError:
        choices = ", ".join(s.value for s in JobStatus)
        raise InvalidInput(f"unknown status {value!r}", {"status": f"one of {choices}"}) from None


def list_jobs(session: Session, workspace_id: int | None, status: str | None = None, limit: int = 200) -> list[JobView]:
    """The workspace's jobs, newest first (``workspace_id=None``: every job, for the CLI)."""
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if workspace_id is not None:
        query = query.where(Job.workspace_id == workspace_id)
    wanted = _status(status)
    if wanted is not None:
        query = query.where(Job.status == wanted)
    return [JobView.of(job) for job in session.scalars(query)]


def counts(session: Session, workspace_id: int) -> dict[str, int]:
    """How many of the workspace's jobs are in each status."""
    rows = session.execute(
        select(Job.status, func.count()).where(Job.workspace_id == workspace_id).group_by(Job.status)
    )
    found = {status.value: n for status, n in rows}
    return {s.value: found.get(s.value, 0) for s in JobStatus}


def _job(session: Session, workspace_id: int | None, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or (workspace_id is not None and job.workspace_id != workspace_id):
        raise NotFound(f"no job {job_id} in this workspace")
    return job


def get_job(session: Session, workspace_id: int | None, job_id: int) -> JobView:
    """One job of the workspace (404 for another workspace's)."""
    return JobView.of(_job(session, workspace_id, job_id))


def retry_job(session: Session, workspace_id: int | None, job_id: int) -> JobView:
    """Run a failed (or waiting) job again now, with a fresh count of attempts."""
    job = _job(session, workspace_id, job_id)
    if job.status in (JobStatus.running, JobStatus.done):
        raise Conflict(f"job {job_id} is {job.status.value}; only failed or queued jobs can be retried")
    job.status, job.run_at, job.attempts, job.finished_at = JobStatus.queued, utcnow(), 0, None
    session.flush()
    return JobView.of(job)
