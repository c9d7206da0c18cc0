"""Mail through a local aiosmtpd sink: what arrives, once; a failing server; bounces; opt-outs; the daily cap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update

from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.jobs.models import Job, JobStatus
from grassroots.jobs.runner import Runner, load_handlers
from grassroots.outreach import mail
from grassroots.outreach.models import MessageStatus, OptOut, OutboundMessage
from tests.outreach.conftest import Sink
from tests.support import workspace_id

load_handlers()


def _queue(engine: Engine, settings: Settings, n: int = 1, to: str = "maya@creator.test", **kw: object) -> list[int]:
    ws = workspace_id(engine)
    with session_scope(engine) as session:
        return [
            mail.queue_message(session, settings, ws, to=to, subject=f"Hello {i}", body=f"Loved your post {i}.",
                               key=f"intro-{i}", **kw).id  # type: ignore[arg-type]
            for i in range(n)
        ]  # fmt: skip


def _messages(engine: Engine) -> list[OutboundMessage]:
    with session_scope(engine) as session:
        rows = list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))
        session.expunge_all()
        return rows


def _jobs(engine: Engine) -> list[Job]:
    with session_scope(engine) as session:
        rows = list(session.scalars(select(Job).order_by(Job.id)))
        session.expunge_all()
        return rows


def _runner(engine: Engine, settings: Settings) -> Runner:
    return Runner(engine, settings, lease_seconds=60)


def test_a_message_arrives_once_with_unsubscribe_headers(engine: Engine, settings: Settings, sink: Sink) -> None:
    [message_id] = _queue(engine, settings)
    assert _queue(engine, settings) == [message_id], "the same key is the same message"
    assert len(_jobs(engine)) == 1
    _runner(engine, settings).run_due()
    _runner(engine, settings).run_due()
    assert len(sink.received) == 1
    got = sink.received[0]
    row = _messages(engine)[0]
    assert (got["To"], got["From"], got["Subject"]) == ("maya@creator.test", "hello@brand.test", "Hello 0")
    assert got["Message-ID"] == row.message_id and row.message_id.endswith("@brand.test>")
    unsubscribe = got["List-Unsubscribe"]
    assert "<https://grassroots.brand.test/o/unsubscribe/" in unsubscribe and "<mailto:hello@brand.test?" in unsubscribe
    assert got["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = got.get_payload(decode=True).decode()
    assert "Loved your post 0." in body and "https://grassroots.brand.test/o/unsubscribe/" in body
    assert row.status == MessageStatus.sent and row.sent_at is not None and row.attempts == 1
    assert _jobs(engine)[0].status == JobStatus.done


def test_stopping_the_server_mid_batch_loses_and_doubles_nothing(
    engine: Engine, settings: Settings, sink: Sink
) -> None:
    _queue(engine, settings, n=5)
    runner, now = _runner(engine, settings), utcnow() + timedelta(seconds=1)
    assert runner.run_once(now) and runner.run_once(now)
    sink.stop()
    assert runner.run_due(now) == 3
    waiting = [m for m in _messages(engine) if m.status == MessageStatus.queued]
    assert len(waiting) == 3 and all("unreachable" in (m.last_error or "") for m in waiting)
    assert all(j.status == JobStatus.queued for j in _jobs(engine)[2:])
    sink.start()
    assert runner.run_due(now + timedelta(minutes=5)) == 3
    assert sorted(m["Subject"] for m in sink.received) == [f"Hello {i}" for i in range(5)]
    assert len({m["Message-ID"] for m in sink.received}) == 5
    assert all(m.status == MessageStatus.sent for m in _messages(engine))


def test_a_4xx_is_retried_and_a_5xx_is_a_bounce(engine: Engine, settings: Settings, sink: Sink) -> None:
    _queue(engine, settings)
    runner, now = _runner(engine, settings), utcnow() + timedelta(seconds=1)
    sink.handler.reply = "451 4.7.1 Try again later"
    runner.run_due(now)
    message, job = _messages(engine)[0], _jobs(engine)[0]
    assert message.status == MessageStatus.queued and (message.last_error or "").startswith("451")
    assert job.status == JobStatus.queued and job.run_at > now
    sink.handler.reply = "550 5.1.1 No such user"
    runner.run_due(now + timedelta(minutes=5))
    message, job = _messages(engine)[0], _jobs(engine)[0]
    assert message.status == MessageStatus.bounced and (message.last_error or "").startswith("550")
    assert job.status == JobStatus.failed and "550" in (job.last_error or "")
    assert sink.received == []


def test_a_message_out_of_attempts_is_failed(engine: Engine, settings: Settings, sink: Sink) -> None:
    _queue(engine, settings)
    with session_scope(engine) as session:
        session.execute(update(Job).values(max_attempts=1))
    sink.stop()
    _runner(engine, settings).run_due(utcnow() + timedelta(seconds=1))
    assert _messages(engine)[0].status == MessageStatus.failed
    assert _jobs(engine)[0].status == JobStatus.failed


def test_opt_outs_are_honoured_by_every_send(engine: Engine, settings: Settings, sink: Sink) -> None:
    ws = workspace_id(engine)
    [waiting] = _queue(engine, settings, to="Maya@Creator.test")
    with session_scope(engine) as session:
        mail.record_opt_out(session, ws, "maya@creator.test", "by hand")
    later = _queue(engine, settings, to="maya@creator.test", n=2)
    _runner(engine, settings).run_due(utcnow() + timedelta(seconds=1))
    assert sink.received == []
    statuses = {m.id: m.status for m in _messages(engine)}
    assert statuses[waiting] == statuses[later[1]] == MessageStatus.blocked_opt_out


def test_an_opt_out_after_queueing_is_checked_at_send_time(engine: Engine, settings: Settings, sink: Sink) -> None:
    ws = workspace_id(engine)
    _queue(engine, settings)
    with session_scope(engine) as session:  # straight into the table: the send path must check on its own
        session.add(OptOut(workspace_id=ws, email="maya@creator.test", how="mailto"))
    _runner(engine, settings).run_due(utcnow() + timedelta(seconds=1))
    assert sink.received == [] and _messages(engine)[0].status == MessageStatus.blocked_opt_out


def test_the_daily_cap_defers_the_rest_to_the_next_day(engine: Engine, sink: Sink, settings: Settings) -> None:
    capped = settings.model_copy(update={"mail_daily_cap": 2})
    _queue(engine, capped, n=3)
    now = (utcnow() + timedelta(days=1)).replace(hour=10)  # a working morning, after the messages were queued
    runner = _runner(engine, capped)
    runner.run_due(now)
    assert len(sink.received) == 2
    job = _jobs(engine)[2]
    assert job.status == JobStatus.queued and job.attempts == 0 and "daily cap" in (job.last_error or "")
    assert job.run_at == (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    runner.run_due(now + timedelta(hours=13))
    assert len(sink.received) == 2
    runner.run_due(now + timedelta(days=1))
    assert len(sink.received) == 3


def test_a_message_sent_before_a_crash_is_not_sent_again(engine: Engine, settings: Settings, sink: Sink) -> None:
    """The worker died after the 250 and the 'sent' commit but before finishing its job."""
    _queue(engine, settings)
    runner, now = _runner(engine, settings), utcnow() + timedelta(seconds=1)
    runner.run_due(now)
    with session_scope(engine) as session:
        session.execute(update(Job).values(status=JobStatus.running, lease_until=now))
    runner.run_due(now + timedelta(minutes=2))
    assert len(sink.received) == 1 and _jobs(engine)[0].status == JobStatus.done


def test_an_interrupted_send_is_resent_with_the_same_message_id(engine: Engine, settings: Settings, sink: Sink) -> None:
    """The worker died between 'sending' and the server's answer: sent again, same Message-ID, recorded."""
    _queue(engine, settings)
    now = utcnow() + timedelta(seconds=1)
    with session_scope(engine) as session:
        session.execute(update(OutboundMessage).values(status=MessageStatus.sending, attempts=1, sending_at=now))
        session.execute(update(Job).values(status=JobStatus.running, lease_until=now, attempts=1))
    _runner(engine, settings).run_due(now + timedelta(minutes=2))
    [got] = sink.received
    message = _messages(engine)[0]
    assert got["Message-ID"] == message.message_id and message.status == MessageStatus.sent
    assert message.attempts == 2 and "resent" in (message.last_error or "")


def test_without_smtp_settings_mail_stays_queued(engine: Engine, settings: Settings, sink: Sink) -> None:
    unconfigured = settings.model_copy(update={"smtp_host": ""})
    _queue(engine, unconfigured)
    _runner(engine, unconfigured).run_due(utcnow() + timedelta(seconds=1))
    message = _messages(engine)[0]
    assert message.status == MessageStatus.queued and "not configured" in (message.last_error or "")


@pytest.mark.parametrize("address", ["not-an-address", "a@b.test\nBcc: everyone@x.test"])
def test_bad_addresses_are_refused(engine: Engine, settings: Settings, address: str) -> None:
    from grassroots.errors import InvalidInput

    with pytest.raises(InvalidInput):
        _queue(engine, settings, to=address)
