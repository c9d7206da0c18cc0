"""The table queue: enqueue, claim with a lease, finish, retry with backoff; handlers register by kind.

A claim is a compare-and-set UPDATE (``WHERE id = ? AND <still claimable>``), so two workers never run one
job at once on either database; PostgreSQL also skips rows another worker is claiming (``FOR UPDATE SKIP
LOCKED``). A job whose lease expired (its worker was killed) is claimable again: that is what makes ``kill -9``
safe. Handlers must therefore be idempotent (the mail handler is: see ``outreach/mail.py``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, or_, select, update
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import write_unit
from grassroots.jobs.models import Job, JobStatus

BACKOFF_BASE_SECONDS = 30.0
BACKOFF_CAP_SECONDS = 6 * 3600.0


@dataclass(frozen=True)
class JobContext:
    """What a handler knows about the run it is in."""

    engine: Engine
    settings: Settings
    job_id: int
    workspace_id: int | None
    attempt: int
    max_attempts: int
    now: datetime  # the runner's clock (tests move it forward)

    @property
    def last_attempt(self) -> bool:
        """Whether a failure now gives the job up."""
        return self.attempt >= self.max_attempts


Handler = Callable[[JobContext, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}


class RetryLater(Exception):
    """A handler's temporary failure (SMTP 4xx, server down): retried after a backoff, counted as an attempt."""

    def __init__(self, reason: str, delay: float | None = None) -> None:
        super().__init__(reason)
        self.delay = delay


class Defer(Exception):
    """Not now, and not a failure (a daily cap reached): run again at ``until``, the attempt not counted."""

    def __init__(self, reason: str, until: datetime) -> None:
        super().__init__(reason)
        self.until = until


class PermanentFailure(Exception):
    """A failure that retrying cannot fix (a 5xx bounce): the job is failed at once with the reason."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register a function as the handler of jobs of ``kind``."""

    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def backoff(attempt: int) -> float:
    """Seconds before retry number ``attempt``: 30 s, 1 min, 2 min … capped at 6 h."""
    return float(min(BACKOFF_BASE_SECONDS * 2 ** max(attempt - 1, 0), BACKOFF_CAP_SECONDS))


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    workspace_id: int | None = None,
    key: str | None = None,
    run_at: datetime | None = None,
    max_attempts: int = 8,
) -> Job:
    """Add a job in the caller's transaction (it exists only if the caller commits); a known ``key`` returns
    the existing job instead."""
    if key is not None:
        existing = session.scalar(select(Job).where(Job.key == key))
        if existing is not None:
            return existing
    job = Job(kind=kind, payload=payload or {}, workspace_id=workspace_id, key=key, run_at=run_at or utcnow(),
              max_attempts=max_attempts, status=JobStatus.queued, attempts=0)  # fmt: skip
    session.add(job)
    session.flush()
    return job


def _claimable(now: datetime) -> Any:
    due = and_(Job.status == JobStatus.queued, Job.run_at <= now)
    abandoned = and_(Job.status == JobStatus.running, Job.lease_until < now)
    return or_(due, abandoned)


@dataclass(frozen=True)
class Claim:
    """A leased job: its id, kind, payload and the token that proves the lease."""

    job_id: int
    kind: str
    payload: dict[str, Any]
    workspace_id: int | None
    attempt: int
    max_attempts: int
    token: str


def claim(engine: Engine, lease_seconds: float, now: datetime | None = None) -> Claim | None:
    """Lease the next due job (or one whose worker died), or None when nothing is due."""
    at = now or utcnow()
    for _ in range(5):  # another worker may win the race for a candidate: try the next one
        outcome = write_unit(engine, lambda session: _claim_one(session, lease_seconds, at))
        if outcome != "again":
            return outcome if isinstance(outcome, Claim) else None
    return None


def _claim_one(session: Session, lease_seconds: float, now: datetime) -> Claim | str | None:
    query = select(Job).where(_claimable(now)).order_by(Job.run_at, Job.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = session.scalar(query)
    if job is None:
        return None
    if job.status == JobStatus.running and job.attempts >= job.max_attempts:
        job.status, job.finished_at, job.lease_until = JobStatus.failed, now, None
        job.last_error = f"the worker stopped mid-run on its last attempt ({job.attempts}); {job.last_error or ''}"
        return "again"
    token = secrets.token_hex(16)
    won = session.execute(
        update(Job)
        .where(Job.id == job.id, _claimable(now))
        .values(
            status=JobStatus.running,
            lease_until=now + timedelta(seconds=lease_seconds),
            claim_token=token,
            attempts=Job.attempts + 1,
            started_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        return "again"
    return Claim(job.id, job.kind, dict(job.payload or {}), job.workspace_id, job.attempts + 1,
                 job.max_attempts, token)  # fmt: skip


def _settle(engine: Engine, claim_: Claim, **values: Any) -> bool:
    """Write the outcome, only while this claim still holds the job (a re-claimed job is not ours to settle)."""

    def work(session: Session) -> bool:
        result = session.execute(
            update(Job)
            .where(Job.id == claim_.job_id, Job.claim_token == claim_.token, Job.status == JobStatus.running)
            .values(lease_until=None, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    return write_unit(engine, work)


def finish(engine: Engine, claim_: Claim, now: datetime | None = None) -> bool:
    """Mark the job done."""
    return _settle(engine, claim_, status=JobStatus.done, finished_at=now or utcnow(), last_error=None)


def fail(engine: Engine, claim_: Claim, error: str, *, permanent: bool = False, delay: float | None = None,
         now: datetime | None = None) -> bool:  # fmt: skip
    """Record a failure: queued again after a backoff, or failed when out of attempts (or ``permanent``)."""
    now = now or utcnow()
    if permanent or claim_.attempt >= claim_.max_attempts:
        return _settle(engine, claim_, status=JobStatus.failed, finished_at=now, last_error=error[:4000])
    wait = delay if delay is not None else backoff(claim_.attempt)
    return _settle(engine, claim_, status=JobStatus.queued, run_at=now + timedelta(seconds=wait),
                   last_error=error[:4000])  # fmt: skip


def defer(engine: Engine, claim_: Claim, reason: str, until: datetime) -> bool:
    """Put the job back until ``until`` without counting this attempt."""
    return _settle(engine, claim_, status=JobStatus.queued, run_at=until, attempts=claim_.attempt - 1,
                   last_error=reason)  # fmt: skip
