"""`grassroots import FILE`: scraper exports and other tools' creator lists (registered in grassroots.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors
from grassroots.connectors.exports.importer import ExportFormat, ExportImportResult, import_file
from grassroots.creators.models import Platform
from grassroots.db.session import session_scope
from grassroots.workspaces.service import get_or_create_workspace

console = Console()


def import_export(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="JSON or CSV export (see docs/connectors.md).")
    ],
    format: Annotated[ExportFormat, typer.Option("--format", help="What the file is; auto reads its content.")] = (
        ExportFormat.auto
    ),
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    platform: Annotated[
        Platform | None, typer.Option(help="Platform of creator-list rows that name none (no platform column or URL).")
    ] = None,
    strict: Annotated[bool, typer.Option(help="All or nothing: any bad row rejects the whole file.")] = False,
) -> None:
    """Import a scraper export (Apify Instagram/TikTok) or a creator list; bad rows are listed with their lines.

    Exit code 0 when rows were imported (bad ones are skipped and listed), 1 when none could be.
    """
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with fail_on_errors(), Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("reading", total=None)
        with session_scope() as session:
            ws = get_or_create_workspace(session, workspace)
            result = import_file(
                session, ws.id, file, format, platform=platform, strict=strict,
                progress=lambda rows: bar.update(task, description=f"{rows:,} rows read"),
            )  # fmt: skip
    print_result(result)
    if result.bad_row_count and result.bad_row_count >= result.rows:
        raise typer.Exit(1)  # every row was bad: scripts should notice


def print_result(result: ExportImportResult) -> None:
    """The summary of an import: counts, bad rows with their lines, ignored columns."""
    c = result.counts
    console.print(
        f"[green]Imported[/] {result.format.value}: {result.rows:,} rows read, {c.accounts_new:,} new accounts "
        f"({c.creators_new:,} new creators), {c.accounts_updated:,} already known (updated), "
        f"{c.posts_new:,} new posts, {c.posts_updated:,} posts updated.",
        highlight=False,
    )
    if result.bad_row_count:
        console.print(f"[yellow]Skipped {result.bad_row_count:,} bad row(s)[/] (the others were imported):")
        for row in result.bad_rows:
            console.print(f"  line {row.line}: {row.reason}", highlight=False, markup=False)
        if result.bad_row_count > len(result.bad_rows):
            console.print(f"  … and {result.bad_row_count - len(result.bad_rows):,} more", highlight=False)
    for warning in result.warnings:
        console.print(f"  line {warning.line}: {warning.reason}", highlight=False, markup=False)
    if result.unmapped_columns:
        console.print(f"[yellow]Ignored columns (not mapped):[/] {', '.join(result.unmapped_columns)}", highlight=False)
