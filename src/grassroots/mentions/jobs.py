"""Job handlers: reminders for unanswered mentions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from grassroots.db.session import write_unit
from grassroots.errors import NotFound
from grassroots.jobs import queue
from grassroots.jobs.queue import JobContext
from grassroots.mentions import service


@queue.handler(service.REMIND_JOB)
def remind(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Flag the workspace's mentions unanswered for the configured days, then queue tomorrow's run."""
    workspace_id = ctx.workspace_id or int(payload.get("workspace_id", 0))
    days = service.reminder_days(ctx.settings)

    def work(session: Session) -> None:
        try:
            service.flag_unanswered(session, workspace_id, days, ctx.now)
        except NotFound:  # the workspace was deleted: nothing to remind, and no next run
            return
        service.schedule_reminders(session, workspace_id, ctx.now + timedelta(days=1))

    write_unit(ctx.engine, work)
