"""kill -9 of a worker in the middle of a batch of mail: after a restart every message arrives, none twice."""

from __future__ import annotations

import os
import signal

from sqlalchemy import Engine, func, select

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.outreach import mail
from grassroots.outreach.models import MessageStatus, OutboundMessage
from tests.jobs import crash_worker
from tests.jobs.crash_worker import stop_stray_runners, wait_for
from tests.outreach.conftest import Sink
from tests.support import workspace_id


def _sent(engine: Engine) -> int:
    with session_scope(engine) as session:
        query = select(func.count()).where(OutboundMessage.status == MessageStatus.sent)
        return int(session.scalar(query) or 0)


def _status(engine: Engine, to: str) -> MessageStatus | None:
    with session_scope(engine) as session:
        return session.scalar(select(OutboundMessage.status).where(OutboundMessage.to_email == to))


def test_killing_the_worker_mid_batch_loses_and_doubles_nothing(engine: Engine, settings: Settings, sink: Sink) -> None:
    stop_stray_runners()  # an earlier test's app must not claim these jobs first
    ws = workspace_id(engine)
    with session_scope(engine) as session:
        for i in range(6):
            mail.queue_message(session, settings, ws, to=f"c{i}@creator.test", subject=f"Hi {i}", body="Hello.",
                               key=f"batch-{i}")  # fmt: skip
    # The server stalls on the third recipient: the kill lands after 'sending' was committed, before DATA.
    sink.handler.slow_rcpt["c2@creator.test"] = 5.0
    url = engine.url.render_as_string(hide_password=False)
    first = crash_worker.start(url, "1.0", str(sink.port))
    try:
        wait_for(lambda: _status(engine, "c2@creator.test") == MessageStatus.sending)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    assert [m["To"] for m in sink.received] == ["c0@creator.test", "c1@creator.test"]
    second = crash_worker.start(url, "1.0", str(sink.port))
    try:
        wait_for(lambda: _sent(engine) == 6)
    finally:
        second.terminate()
        second.wait(10)
    assert sorted(m["Subject"] for m in sink.received) == [f"Hi {i}" for i in range(6)]
    assert len({m["Message-ID"] for m in sink.received}) == 6
    assert _status(engine, "c2@creator.test") == MessageStatus.sent
