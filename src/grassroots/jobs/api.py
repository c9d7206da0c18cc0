"""/api/v1 for background jobs: list them, retry one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from grassroots.jobs import service
from grassroots.web.deps import DB, ApiUser, ApiWriter
from grassroots.web.paths import Id
from grassroots.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES, tags=["jobs"])


@router.get("/jobs")
def list_jobs(user: ApiUser, db: DB, status: str | None = None) -> list[dict[str, Any]]:
    """The workspace's jobs, newest first (``status``: queued, running, done or failed)."""
    return [job.as_dict() for job in service.list_jobs(db, user.workspace_id, status)]


@router.post("/jobs/{job_id}/retry")
def retry_job(job_id: Id, user: ApiWriter, db: DB) -> dict[str, Any]:
    """Queue a failed job again now, with a fresh count of attempts."""
    return service.retry_job(db, user.workspace_id, job_id).as_dict()
