"""`grassroots vet`: credibility for one creator or the whole workspace, with a progress bar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
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
    input_dir: Annotated[
        Path | None, typer.Option("--input", help="Folder of Parquet files to vet instead of the store.")
    ] = None,
    output_dir: Annotated[Path | None, typer.Option("--output", help="Where --input writes reports.parquet.")] = None,
    engine: Annotated[
        str, typer.Option(help="For --input runs: local (process pool) or spark (needs pyspark; see --master).")
    ] = "local",
    master: Annotated[str, typer.Option(help="Spark master for --engine spark.")] = "local[2]",
    workspace: Annotated[str, typer.Option(help="Workspace name.", envvar="GRASSROOTS_WORKSPACE")] = "Demo (synthetic)",
    day: Annotated[str | None, typer.Option(help="Date to file the reports under (default today).")] = None,
    worst: Annotated[int, typer.Option(help="How many of the least credible to list afterwards.")] = 15,
) -> None:
    """Score credibility 0–100 with reasons and store a dated report per account.

    With --input/--output it reads a folder of Parquet files (see `grassroots frames export`) and
    writes reports.parquet, without touching the database.
    """
    if input_dir is not None:
        _vet_files(input_dir, output_dir, engine, master)
        return
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


def _vet_files(input_dir: Path, output_dir: Path | None, engine: str, master: str) -> None:
    from grassroots.engine.local import run_local

    with fail_on_errors():
        if output_dir is None:
            raise InvalidInput("--input needs --output")
        if engine not in {"local", "spark"}:
            raise InvalidInput(f"unknown engine {engine!r}; use local or spark")
        columns = (TextColumn("vetting partitions"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("vet", total=None)
            try:
                report = lambda done, total: bar.update(task, completed=done, total=total)  # noqa: E731
                if engine == "spark":
                    from grassroots.engine.spark import run_spark

                    run = run_spark(input_dir, output_dir, bounds=service.tier_bounds(), master=master, progress=report)
                else:
                    run = run_local(input_dir, output_dir, bounds=service.tier_bounds(), progress=report)
            except FileNotFoundError as exc:
                raise InvalidInput(str(exc)) from exc
    console.print(f"[green]Vetted[/] {run.accounts:,} accounts in {run.partitions} partitions, "
                  f"{run.seconds:.1f} s -> {run.output}")  # fmt: skip


frames_app = typer.Typer(help="Move data between the store and Parquet folders.", no_args_is_help=True)


@frames_app.command("export")
def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the four Parquet files into.")],
    workspace: Annotated[str, typer.Option(help="Workspace name.", envvar="GRASSROOTS_WORKSPACE")] = "Demo (synthetic)",
) -> None:
    """Export accounts, posts, snapshots and comments (with model scores) for batch engines."""
    from grassroots.engine.store import export_frames

    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        counts = export_frames(session, ws.id, folder)
    console.print("[green]Exported[/] " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" to {folder}")
