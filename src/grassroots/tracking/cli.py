"""`grassroots orders …`: import Shopify's orders export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors
from grassroots.db.session import session_scope
from grassroots.tracking.service import import_orders_csv
from grassroots.workspaces.service import get_or_create_workspace

console = Console()
app = typer.Typer(help="Orders from your store.", no_args_is_help=True)


@app.command("import")
def import_orders(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Shopify 'Export orders' CSV.")],
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Import a Shopify orders export; orders with a bad row are skipped and listed by line."""
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        result = import_orders_csv(session, ws.id, file, progress=lambda rows: console.print(f"{rows:,} rows…"))
    console.print(f"[green]Imported[/] {result.new:,} new orders, {result.updated:,} updated ({result.rows:,} rows).")
    for error in result.errors:
        console.print(f"[red]line {error.line}[/]: {error.reason}")
    if result.error_count > len(result.errors):
        console.print(f"[red]… and {result.error_count - len(result.errors):,} more bad rows[/]")
    if result.error_count:
        raise typer.Exit(1)
