"""Job handlers: the follow-up check of each sent message, and reading replies from the mailbox (IMAP)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from grassroots.db.session import write_unit
from grassroots.jobs import queue
from grassroots.jobs.queue import Defer, JobContext, RetryLater
from grassroots.outreach import follow_ups, imap
from grassroots.outreach.drafts import FOLLOW_UP_JOB

POLL_JOB = "outreach.imap_poll"


@queue.handler(FOLLOW_UP_JOB)
def follow_up_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Draft (never send) the follow-up of one message when it is due; wait when it is not yet."""
    message_id = int(str(payload["message_id"]))
    workspace_id = ctx.workspace_id or 0
    outcome = write_unit(ctx.engine, lambda s: follow_ups.check(s, ctx.settings, workspace_id, message_id, ctx.now))
    if isinstance(outcome, datetime):
        raise Defer("no reply yet; the follow-up is not due", outcome)


def schedule_poll(session: Session, at: datetime) -> None:
    """Queue the next mailbox poll (one per poll time, however often this is called)."""
    queue.enqueue(session, POLL_JOB, {}, key=f"{POLL_JOB}:{int(at.timestamp())}", run_at=at)


@queue.handler(POLL_JOB)
def poll_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Read new mail, record the replies, and queue the next poll (a failure is retried with backoff instead)."""
    if not ctx.settings.imap_host:
        return
    try:
        imap.poll(ctx.engine, ctx.settings)
    except imap.MailboxError as exc:
        raise RetryLater(str(exc)) from exc
    after = ctx.now + timedelta(seconds=ctx.settings.imap_poll_seconds)
    write_unit(ctx.engine, lambda s: schedule_poll(s, after))
