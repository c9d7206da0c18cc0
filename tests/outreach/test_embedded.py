"""The runner inside the server: a message queued while the app runs is delivered without a worker process."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.outreach import mail
from grassroots.web.app import create_app
from tests.jobs.crash_worker import wait_for
from tests.outreach.conftest import Sink
from tests.support import make_user, workspace_id


def test_serve_runs_the_jobs(engine: Engine, settings: Settings, sink: Sink) -> None:
    embedded = settings.model_copy(update={"jobs_in_server": True, "jobs_poll_seconds": 0.1})
    make_user(engine)
    with TestClient(create_app(engine, embedded)) as client:
        assert client.app.state.job_runner.running  # type: ignore[attr-defined]
        with session_scope(engine) as session:
            mail.queue_message(session, embedded, workspace_id(engine), to="maya@creator.test", subject="Hi",
                               body="Hello", key="embedded")  # fmt: skip
        wait_for(lambda: len(sink.received) == 1, timeout=10)
    assert not client.app.state.job_runner.running  # type: ignore[attr-defined]
