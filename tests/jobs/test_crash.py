"""kill -9 of a worker mid-job: after a restart the job runs again (its lease expired) and completes once."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from grassroots.db.session import session_scope
from grassroots.jobs import queue
from grassroots.jobs.models import Job, JobStatus
from tests.jobs import crash_worker
from tests.jobs.crash_worker import stop_stray_runners, wait_for

LEASE = "1.0"


@pytest.fixture
def start_worker(engine: Engine) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start worker processes on the test database; any left running are stopped at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*extra: str) -> subprocess.Popen[bytes]:
        process = crash_worker.start(engine.url.render_as_string(hide_password=False), LEASE, *extra)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


def test_a_job_killed_mid_run_runs_again_after_a_restart(
    engine: Engine, tmp_path: Path, start_worker: Callable[..., subprocess.Popen[bytes]]
) -> None:
    stop_stray_runners()  # an earlier test's app must not claim this job first
    log = tmp_path / "runs.log"
    with session_scope(engine) as session:
        job_id = queue.enqueue(session, "test.slow", {"log": str(log), "seconds": 60}).id
    first = start_worker()
    wait_for(lambda: log.exists() and "start 1" in log.read_text())
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == JobStatus.running  # orphaned: nobody will finish it
    start_worker()

    def done() -> bool:
        with session_scope(engine) as session:
            found = session.get(Job, job_id)
            return found is not None and found.status == JobStatus.done

    wait_for(done)
    assert log.read_text().splitlines() == ["start 1", "start 2", "done 2"]
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.attempts == 2
