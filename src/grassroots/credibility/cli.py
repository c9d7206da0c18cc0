"""`grassroots vet`: credibility for one creator or the whole workspace, with a progress bar."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from grassroots.cli_support import fail_on_errors
from grassroots.creators.models import SocialAccount
from grassroots.credibility import service
from grassroots.db.session import session_scope
from grassroots.errors import InvalidInput, NotFound
from grassroots.workspaces.service import get_or_create_workspace

console = Console()


def vet(
    handle: Annotated[str | None, typer.Argument(help="Handle of one account to vet (without @).")] = None,
    all_accounts: Annotated[bool, typer.Option("--all", help="Vet every account of the workspace.")] = False,
    workspace: Annotated[str, typer.Option(help="Workspace name.", envvar="GRASSROOTS_WORKSPACE")] = "Demo (synthetic)",
    day: Annotated[str | None, typer.Option(help="Date to file the reports under (default today).")] = None,
    worst: Annotated[int, typer.Option(help="How many of the least credible to list afterwards.")] = 15,
) -> None:
    """Score credibility 0–100 with reasons and store a dated report per account."""
    with fail_on_errors(), session_scope() as session:
        if bool(handle) == all_accounts:
            raise InvalidInput("give one HANDLE or --all")
        ws = get_or_create_workspace(session, workspace)
        ids = None
        if handle:
            stmt = select(SocialAccount.id).where(
                SocialAccount.workspace_id == ws.id, SocialAccount.handle == handle.lstrip("@").lower()
            )
            ids = list(session.scalars(stmt))
            if not ids:
                raise NotFound(f"no account @{handle} in {ws.name}")
        try:
            when = date.fromisoformat(day) if day else None
        except ValueError as exc:
            raise InvalidInput(f"--day must be a date like 2026-11-25, not {day!r}") from exc
        columns = (TextColumn("vetting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("vet", total=None)
            run = service.vet_accounts(
                session,
                ws.id,
                ids,
                day=when,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        worst_reports = sorted(run.reports, key=lambda r: r["credibility"])[:worst]
        wanted = [r["account_id"] for r in worst_reports]
        rows = session.execute(select(SocialAccount.id, SocialAccount.handle).where(SocialAccount.id.in_(wanted)))
        handles: dict[int, str] = {account_id: h for account_id, h in rows}
    console.print(f"[green]Vetted[/] {run.accounts:,} accounts in {run.seconds:.1f} s.")
    table = Table(title="Least credible")
    for column in ("account", "tier", "credibility", "top reason"):
        table.add_column(column)
    for report in worst_reports:
        top = report["reasons"][0]["text"] if report["reasons"] else "no warning signs"
        table.add_row("@" + handles.get(report["account_id"], "?"), report["tier"], str(report["credibility"]), top)
    console.print(table)
