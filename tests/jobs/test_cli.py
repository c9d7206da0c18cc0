"""`grassroots worker --once` and `grassroots jobs list|retry` on the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from grassroots.cli import app
from grassroots.config import get_settings
from grassroots.db.session import get_engine, session_scope
from grassroots.jobs.models import Job, JobStatus
from grassroots.outreach import mail
from grassroots.outreach.models import OutboundMessage
from grassroots.workspaces.service import get_or_create_workspace


def test_worker_runs_due_jobs_and_jobs_retry_requeues(cli_home: Path) -> None:
    with session_scope() as session:
        ws = get_or_create_workspace(session, "Brand").id
        mail.queue_message(session, get_settings(), ws, to="maya@creator.test", subject="Hi", body="Hello", key="k")
    runner = CliRunner()
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 0 and "Ran 1 job(s)" in result.output, result.output
    with session_scope(get_engine()) as session:
        message = session.scalar(select(OutboundMessage))
        assert message is not None and "not configured" in (message.last_error or "")
        job = session.scalar(select(Job))
        assert job is not None and job.status == JobStatus.queued  # retried later, with backoff
        job.status = JobStatus.failed
        job_id = job.id
    listed = runner.invoke(app, ["jobs", "list", "--status", "failed", "--json"])
    [row] = [json.loads(line) for line in listed.output.splitlines()]
    assert (row["id"], row["kind"], row["status"]) == (job_id, "outreach.send", "failed")
    assert "not configured" in row["last_error"]
    assert runner.invoke(app, ["jobs", "list"]).exit_code == 0
    retried = runner.invoke(app, ["jobs", "retry", str(job_id)])
    assert retried.exit_code == 0 and "Queued" in retried.output
    missing = runner.invoke(app, ["jobs", "retry", "99999"])
    assert missing.exit_code == 1 and "no job" in missing.output
