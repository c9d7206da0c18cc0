"""The table queue: idempotent enqueue, leases, retries with backoff, give-up, defer, manual retry."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.jobs import queue, service
from grassroots.jobs.models import Job, JobStatus
from grassroots.jobs.queue import Defer, JobContext, PermanentFailure, RetryLater
from grassroots.jobs.runner import Runner

CALLS: list[tuple[str, int]] = []


@queue.handler("test.flaky")
def flaky(ctx: JobContext, payload: dict[str, Any]) -> None:
    CALLS.append(("flaky", ctx.attempt))
    if ctx.attempt < payload["succeed_on"]:
        raise RetryLater(f"not yet (attempt {ctx.attempt})")


@queue.handler("test.broken")
def broken(ctx: JobContext, payload: dict[str, Any]) -> None:
    raise PermanentFailure("550 no such user")


@queue.handler("test.capped")
def capped(ctx: JobContext, payload: dict[str, Any]) -> None:
    if ctx.now < datetime.fromisoformat(payload["until"]):
        raise Defer("cap reached", ctx.now + timedelta(hours=1))
    CALLS.append(("capped", ctx.attempt))


@pytest.fixture(autouse=True)
def _calls() -> None:
    CALLS.clear()


def _enqueue(engine: Engine, kind: str, payload: dict[str, Any], **kw: Any) -> int:
    with session_scope(engine) as session:
        return queue.enqueue(session, kind, payload, **kw).id


def _job(engine: Engine, job_id: int) -> Job:
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def _runner(engine: Engine, tmp_path: Any) -> Runner:
    return Runner(engine, Settings(data_dir=tmp_path, secret_key="k"), lease_seconds=60)


def test_the_same_key_enqueues_one_job(engine: Engine) -> None:
    first = _enqueue(engine, "test.flaky", {"succeed_on": 1}, key="mail:1")
    again = _enqueue(engine, "test.flaky", {"succeed_on": 1}, key="mail:1")
    assert first == again


def test_a_leased_job_is_not_claimed_twice_until_its_lease_expires(engine: Engine) -> None:
    job_id = _enqueue(engine, "test.flaky", {"succeed_on": 1})
    now = utcnow()
    first = queue.claim(engine, 30, now)
    assert first is not None and first.job_id == job_id and first.attempt == 1
    assert queue.claim(engine, 30, now + timedelta(seconds=29)) is None
    second = queue.claim(engine, 30, now + timedelta(seconds=31))  # the first worker died
    assert second is not None and second.job_id == job_id and second.attempt == 2
    assert not queue.finish(engine, first), "a worker whose lease expired must not settle the job"
    assert queue.finish(engine, second)
    assert _job(engine, job_id).status == JobStatus.done


def test_retries_back_off_and_then_succeed(engine: Engine, tmp_path: Any) -> None:
    job_id = _enqueue(engine, "test.flaky", {"succeed_on": 3})
    runner, now = _runner(engine, tmp_path), utcnow()
    assert runner.run_due(now) == 1
    job = _job(engine, job_id)
    assert job.status == JobStatus.queued and job.last_error == "not yet (attempt 1)"
    assert job.run_at == pytest.approx(now + timedelta(seconds=30), abs=timedelta(seconds=1))
    assert runner.run_due(now + timedelta(seconds=29)) == 0
    assert runner.run_due(now + timedelta(seconds=31)) == 1
    assert _job(engine, job_id).run_at >= now + timedelta(seconds=31 + 59)  # 60 s after the second attempt
    assert runner.run_due(now + timedelta(seconds=200)) == 1
    job = _job(engine, job_id)
    assert job.status == JobStatus.done and job.attempts == 3 and job.last_error is None
    assert CALLS == [("flaky", 1), ("flaky", 2), ("flaky", 3)]


def test_a_job_out_of_attempts_fails_with_its_error_and_can_be_retried(engine: Engine, tmp_path: Any) -> None:
    job_id = _enqueue(engine, "test.flaky", {"succeed_on": 3}, max_attempts=2)
    runner, now = _runner(engine, tmp_path), utcnow()
    runner.run_due(now)
    runner.run_due(now + timedelta(hours=1))
    job = _job(engine, job_id)
    assert job.status == JobStatus.failed and job.attempts == 2 and job.last_error == "not yet (attempt 2)"
    with session_scope(engine) as session:
        service.retry_job(session, None, job_id)
    assert _job(engine, job_id).status == JobStatus.queued
    runner.run_due(now + timedelta(hours=2))
    job = _job(engine, job_id)  # a fresh count of attempts: this was attempt 1 again
    assert (job.status, job.attempts, job.last_error) == (JobStatus.queued, 1, "not yet (attempt 1)")


def test_permanent_failures_and_unknown_kinds_fail_at_once(engine: Engine, tmp_path: Any) -> None:
    broken_id = _enqueue(engine, "test.broken", {})
    unknown_id = _enqueue(engine, "test.nobody-handles-this", {})
    _runner(engine, tmp_path).run_due()
    assert (_job(engine, broken_id).status, _job(engine, broken_id).last_error) == (
        JobStatus.failed,
        "550 no such user",
    )
    unknown = _job(engine, unknown_id)
    assert unknown.status == JobStatus.failed and "no handler" in (unknown.last_error or "")


def test_a_deferred_job_waits_without_using_an_attempt(engine: Engine, tmp_path: Any) -> None:
    now = utcnow()
    until = (now + timedelta(minutes=30)).isoformat()
    job_id = _enqueue(engine, "test.capped", {"until": until}, max_attempts=1, run_at=now)
    runner = _runner(engine, tmp_path)
    runner.run_due(now)
    job = _job(engine, job_id)
    assert job.status == JobStatus.queued and job.attempts == 0 and job.last_error == "cap reached"
    assert runner.run_due(now + timedelta(minutes=59)) == 0
    runner.run_due(now + timedelta(hours=1))
    assert _job(engine, job_id).status == JobStatus.done and CALLS == [("capped", 1)]


def test_a_job_whose_worker_died_on_its_last_attempt_is_failed(engine: Engine) -> None:
    job_id = _enqueue(engine, "test.flaky", {"succeed_on": 1}, max_attempts=1)
    now = utcnow()
    assert queue.claim(engine, 10, now) is not None  # ... and the worker is killed
    assert queue.claim(engine, 10, now + timedelta(seconds=11)) is None
    job = _job(engine, job_id)
    assert job.status == JobStatus.failed and "stopped mid-run" in (job.last_error or "")


@queue.handler("test.count")
def count(ctx: JobContext, payload: dict[str, Any]) -> None:
    CALLS.append(("count", payload["n"]))


def test_concurrent_runners_run_each_job_exactly_once(engine: Engine, tmp_path: Any) -> None:
    with session_scope(engine) as session:
        for n in range(40):
            queue.enqueue(session, "test.count", {"n": n})
    later = utcnow() + timedelta(seconds=1)
    runners = [_runner(engine, tmp_path) for _ in range(4)]
    threads = [threading.Thread(target=r.run_due, args=(later,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(n for _, n in CALLS) == list(range(40))
