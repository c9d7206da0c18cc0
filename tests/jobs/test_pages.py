"""The Jobs page and API: queued, running, failed with the error; Retry; viewers; another workspace's jobs."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.jobs import queue
from grassroots.jobs.models import Job, JobStatus
from grassroots.workspaces.models import Role
from tests.support import api_headers, csrf_from, login, make_user, workspace_id


def _jobs(engine: Engine, ws: str = "Brand") -> dict[str, int]:
    """One job in each state in workspace ``ws``."""
    wid = workspace_id(engine, ws)
    ids = {}
    with session_scope(engine) as session:
        for status in ("queued", "running", "failed"):
            job = queue.enqueue(session, f"outreach.{status}-example", {}, workspace_id=wid)
            job.status = JobStatus(status)
            if status == "running":
                job.attempts, job.lease_until = 1, utcnow() + timedelta(minutes=5)
            if status == "failed":
                job.attempts, job.last_error = 8, "550 5.1.1 mailbox unavailable"
            ids[status] = job.id
    return ids


def _status(engine: Engine, job_id: int) -> JobStatus:
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job.status


def test_the_page_shows_each_state_and_the_error(owner_client: TestClient, engine: Engine) -> None:
    ids = _jobs(engine)
    page = owner_client.get("/jobs")
    assert page.status_code == 200
    for status, job_id in ids.items():
        assert f'<tr class="job-{status}"><td>{job_id}</td>' in page.text
    assert "550 5.1.1 mailbox unavailable" in page.text
    assert page.text.count(">Retry</button>") == 2  # failed and queued; not the running one
    failed_only = owner_client.get("/jobs?status=failed").text
    assert f"<td>{ids['failed']}</td>" in failed_only and f"<td>{ids['queued']}</td>" not in failed_only


def test_retry_queues_a_failed_job_again(owner_client: TestClient, engine: Engine) -> None:
    ids = _jobs(engine)
    token = csrf_from(owner_client.get("/jobs").text)
    response = owner_client.post(f"/jobs/{ids['failed']}/retry", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == f"/jobs?retried={ids['failed']}"
    assert _status(engine, ids["failed"]) == JobStatus.queued
    assert owner_client.post(f"/jobs/{ids['running']}/retry", data={"csrf_token": token}).status_code == 409


def test_retry_needs_the_csrf_token(owner_client: TestClient, engine: Engine) -> None:
    ids = _jobs(engine)
    assert owner_client.post(f"/jobs/{ids['failed']}/retry", data={"csrf_token": "forged"}).status_code == 403
    assert _status(engine, ids["failed"]) == JobStatus.failed


def test_viewers_see_jobs_but_cannot_retry(client: TestClient, engine: Engine) -> None:
    make_user(engine, "viewer@brand.test", Role.viewer)
    ids = _jobs(engine)
    login(client, "viewer@brand.test")
    page = client.get("/jobs")
    assert "550 5.1.1" in page.text and ">Retry</button>" not in page.text
    token = csrf_from(page.text)
    assert client.post(f"/jobs/{ids['failed']}/retry", data={"csrf_token": token}).status_code == 403
    assert _status(engine, ids["failed"]) == JobStatus.failed


def test_another_workspace_cannot_see_or_retry_the_jobs(client: TestClient, engine: Engine) -> None:
    make_user(engine)
    make_user(engine, "owner@other.test", ws="Other")
    ids = _jobs(engine, "Brand")
    login(client, "owner@other.test")
    page = client.get("/jobs")
    assert "550 5.1.1" not in page.text and "No jobs" in page.text
    token = csrf_from(page.text)
    assert client.post(f"/jobs/{ids['failed']}/retry", data={"csrf_token": token}).status_code == 404
    assert client.get("/api/v1/jobs").json() == []
    assert client.post(f"/api/v1/jobs/{ids['failed']}/retry", headers=api_headers(client)).status_code == 404
    assert _status(engine, ids["failed"]) == JobStatus.failed


def test_the_api_lists_and_retries(owner_client: TestClient, engine: Engine) -> None:
    ids = _jobs(engine)
    listed = owner_client.get("/api/v1/jobs").json()
    assert {j["id"]: j["status"] for j in listed} == {v: k for k, v in ids.items()}
    failed = owner_client.get("/api/v1/jobs", params={"status": "failed"}).json()
    assert [j["last_error"] for j in failed] == ["550 5.1.1 mailbox unavailable"]
    assert owner_client.get("/api/v1/jobs", params={"status": "nonsense"}).status_code == 422
    assert owner_client.post(f"/api/v1/jobs/{ids['failed']}/retry").status_code == 403  # no CSRF header
    retried = owner_client.post(f"/api/v1/jobs/{ids['failed']}/retry", headers=api_headers(owner_client))
    assert retried.status_code == 200 and retried.json()["status"] == "queued"
