"""`grassroots worker` and `grassroots jobs list|retry`."""

from __future__ import annotations

import json
import logging
import signal
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from grassroots.cli_support import fail_on_errors
from grassroots.config import get_settings
from grassroots.db.session import get_engine, session_scope
from grassroots.jobs import service
from grassroots.jobs.runner import Runner, load_handlers

console = Console()
app = typer.Typer(help="Background jobs: list them, retry a failed one.", no_args_is_help=True)


def worker(
    once: Annotated[bool, typer.Option("--once", help="Run the jobs due now, then exit.")] = False,
    poll: Annotated[float | None, typer.Option(help="Seconds between polls when idle.")] = None,
) -> None:
    """Run background jobs (mail, follow-ups, syncs) until stopped; run several on PostgreSQL for a team."""
    settings = get_settings()
    logging.basicConfig(level=logging.INFO)
    runner = Runner(get_engine(), lease_seconds=settings.jobs_lease_seconds,
                    poll_seconds=poll or settings.jobs_poll_seconds)  # fmt: skip
    if once:
        load_handlers()
        console.print(f"Ran {runner.run_due()} job(s).")
        return

    def stop(_signum: int, _frame: FrameType | None) -> None:
        runner.stop(timeout=0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    console.print(f"Worker polling {get_engine().url.render_as_string()} (Ctrl-C to stop).")
    runner.run_forever()


@app.command("list")
def list_jobs(
    status: Annotated[str | None, typer.Option(help="queued, running, done or failed.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """The newest jobs of every workspace, with their errors."""
    with fail_on_errors(), session_scope() as session:
        jobs = service.list_jobs(session, None, status, limit)
    if as_json:
        for job in jobs:
            typer.echo(json.dumps(job.as_dict()))
        return
    table = Table("id", "kind", "status", "attempts", "runs at", "error")
    for job in jobs:
        table.add_row(str(job.id), job.kind, job.status, f"{job.attempts}/{job.max_attempts}",
                      job.run_at.strftime("%Y-%m-%d %H:%M:%S"), (job.last_error or "")[:80])  # fmt: skip
    console.print(table)


@app.command("retry")
def retry(job_id: Annotated[int, typer.Argument(help="The job's id (see `grassroots jobs list`).")]) -> None:
    """Queue a failed job again now."""
    with fail_on_errors(), session_scope() as session:
        job = service.retry_job(session, None, job_id)
    console.print(f"[green]Queued[/] job {job.id} ({job.kind}) again.")
