"""With a mailbox configured, starting the server queues the first IMAP poll (each poll queues the next)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.jobs.models import Job
from grassroots.outreach.jobs import POLL_JOB
from grassroots.web.app import create_app


def polls(engine: Engine) -> int:
    with session_scope(engine) as s:
        return len(list(s.scalars(select(Job.id).where(Job.kind == POLL_JOB))))


def test_the_first_poll_is_queued_at_start_only_with_a_mailbox(sqlite_engine: Engine, tmp_path: Path) -> None:
    quiet = Settings(data_dir=tmp_path, secret_key="x", jobs_in_server=False)
    with TestClient(create_app(sqlite_engine, quiet)):
        pass
    assert polls(sqlite_engine) == 0
    mailbox = Settings(data_dir=tmp_path, secret_key="x", jobs_in_server=False, imap_host="127.0.0.1")
    for _ in range(2):  # a restart does not queue a second one
        with TestClient(create_app(sqlite_engine, mailbox)):
            pass
    assert polls(sqlite_engine) == 1
