"""Runs jobs: one thread inside ``grassroots serve`` (embedded) or the loop of ``grassroots worker`` processes."""

from __future__ import annotations

import importlib
import logging
import threading
import traceback
from datetime import datetime

from sqlalchemy import Engine

from grassroots.config import Settings, get_settings
from grassroots.db.base import utcnow
from grassroots.jobs import queue
from grassroots.jobs.queue import Claim, Defer, JobContext, PermanentFailure, RetryLater

log = logging.getLogger("grassroots.jobs")
# Modules whose import registers job handlers (``@queue.handler``); named, so jobs imports no domain.
HANDLER_MODULES = (
    "grassroots.outreach.mail",
    "grassroots.outreach.jobs",
    "grassroots.gifting.jobs",
    "grassroots.insights.jobs",
    "grassroots.mentions.jobs",
    "grassroots.tracking.jobs",
    "grassroots.tracking.link_jobs",
)


def load_handlers(modules: tuple[str, ...] = HANDLER_MODULES) -> None:
    """Import the modules that register handlers."""
    for name in modules:
        importlib.import_module(name)


class Runner:
    """Claims due jobs one at a time and runs their handlers; ``start``/``stop`` run it on a thread."""

    def __init__(self, engine: Engine, settings: Settings | None = None, *, lease_seconds: float = 300.0,
                 poll_seconds: float = 1.0) -> None:  # fmt: skip
        self.engine = engine
        self.settings = settings or get_settings()
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, now: datetime | None = None) -> bool:
        """Run one due job if there is one; True when a job was run (whatever its outcome)."""
        claim = queue.claim(self.engine, self.lease_seconds, now)
        if claim is None:
            return False
        self._run(claim, now)
        return True

    def run_due(self, now: datetime | None = None, limit: int = 10_000) -> int:
        """Run due jobs until none is left (or ``limit``); how many ran."""
        count = 0
        while count < limit and self.run_once(now):
            count += 1
        return count

    def _run(self, claim: Claim, now: datetime | None) -> None:
        func = queue.HANDLERS.get(claim.kind)
        if func is None:
            queue.fail(self.engine, claim, f"no handler for job kind {claim.kind!r}", permanent=True, now=now)
            return
        ctx = JobContext(self.engine, self.settings, claim.job_id, claim.workspace_id, claim.attempt,
                         claim.max_attempts, now or utcnow())  # fmt: skip
        try:
            func(ctx, claim.payload)
        except Defer as exc:
            queue.defer(self.engine, claim, str(exc), exc.until)
        except RetryLater as exc:
            log.info("job %d (%s) will retry: %s", claim.job_id, claim.kind, exc)
            queue.fail(self.engine, claim, str(exc), delay=exc.delay, now=now)
        except PermanentFailure as exc:
            queue.fail(self.engine, claim, str(exc), permanent=True, now=now)
        except Exception as exc:  # a bug in a handler: recorded on the job (shown on the Jobs page), retried
            log.exception("job %d (%s) failed", claim.job_id, claim.kind)
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            queue.fail(self.engine, claim, detail, now=now)
        else:
            queue.finish(self.engine, claim, now=now)

    def run_forever(self) -> None:
        """Poll for due jobs until ``stop`` is called."""
        load_handlers()
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except Exception:  # the database went away for a moment: wait and poll again
                log.exception("job runner: claiming failed")
                ran = False
            if not ran:
                self._stop.wait(self.poll_seconds)

    @property
    def running(self) -> bool:
        """Whether the runner thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Run on a daemon thread (idempotent)."""
        if not self.running:
            self._stop.clear()
            self._thread = threading.Thread(target=self.run_forever, name="job-runner", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the job in hand, then stop."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
