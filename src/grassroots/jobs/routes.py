"""The Jobs page: what is queued, running and failed (with the error), and a Retry button."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.jobs import service
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, user: PageUser, db: DB, status: str | None = None) -> HTMLResponse:
    """The workspace's background jobs, newest first, filtered by status."""
    ctx = {
        "jobs": service.list_jobs(db, user.workspace_id, status),
        "counts": service.counts(db, user.workspace_id),
        "status": status or "",
        "retried": request.query_params.get("retried"),
        "nav": "jobs",
    }
    return render(request, "jobs/list.html", ctx)


@router.post("/jobs/{job_id}/retry", dependencies=[Depends(verify_csrf)])
def retry_button(job_id: Id, user: PageWriter, db: DB) -> Response:
    """Queue a failed job again now."""
    service.retry_job(db, user.workspace_id, job_id)
    return RedirectResponse(f"/jobs?retried={job_id}", status_code=303)
