"""Job handlers: flushing the click log into the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from grassroots.db.base import utcnow
from grassroots.jobs import queue
from grassroots.tracking.clicklog import flush_folder, folder_of

FLUSH_JOB = "tracking.flush_clicks"


@queue.handler(FLUSH_JOB)
def flush_clicks(ctx: queue.JobContext, payload: dict[str, Any]) -> None:
    """Store every click-log segment no live server holds: sealed ones, and those a killed process left.

    A server flushes its own segments on its flusher thread; this job (in ``grassroots worker`` on the same host,
    sharing the data directory) picks up what a server that is not running any more left behind.
    """
    flush_folder(ctx.engine, folder_of(ctx.settings), ctx.settings.click_flush_batch)


def enqueue_flush(session: Session) -> None:
    """Ask a worker to flush the click log (at most one such job per minute)."""
    queue.enqueue(session, FLUSH_JOB, {}, key=f"{FLUSH_JOB}:{utcnow():%Y-%m-%dT%H:%M}", max_attempts=3)
