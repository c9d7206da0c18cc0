"""`grassroots creators …`: import and list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors
from grassroots.creators import importer, service
from grassroots.creators.models import Platform
from grassroots.creators.repository import SORTS, CreatorFilters
from grassroots.creators.tiers import Tier, tier_for
from grassroots.db.session import session_scope
from grassroots.workspaces.service import get_or_create_workspace

console = Console()
app = typer.Typer(help="Import and list creators.", no_args_is_help=True)


@app.command("import")
def import_csv(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file (see docs/import.md).")],
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Import creators from CSV: all rows, or none with every bad line listed."""
    with fail_on_errors(), session_scope() as session, file.open(encoding="utf-8-sig", newline="") as stream:
        ws = get_or_create_workspace(session, workspace)
        result = importer.import_creators(session, ws.id, stream)
    console.print(
        f"[green]Imported[/] {result.created_creators} creators, {result.created_accounts} new accounts, "
        f"{result.updated_accounts} updated."
    )
    if result.unmapped_columns:
        console.print(f"[yellow]Ignored columns:[/] {', '.join(result.unmapped_columns)}")


@app.command("list")
def list_creators(
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    platform: Annotated[Platform | None, typer.Option(help="Only creators on this platform.")] = None,
    tier: Annotated[Tier | None, typer.Option(help="Tier by followers of the largest account.")] = None,
    min_followers: Annotated[int | None, typer.Option(min=0)] = None,
    max_followers: Annotated[int | None, typer.Option(min=0)] = None,
    min_engagement: Annotated[float | None, typer.Option(min=0, help="Percent, e.g. 7.5")] = None,
    max_engagement: Annotated[float | None, typer.Option(min=0, help="Percent")] = None,
    location: Annotated[str | None, typer.Option(help="Substring of the location.")] = None,
    q: Annotated[str | None, typer.Option("--q", "--search", help="Words in handle, name, bio or captions.")] = None,
    min_credibility: Annotated[
        int | None, typer.Option(min=0, max=100, help="Only vetted creators at or above.")
    ] = None,
    max_credibility: Annotated[
        int | None, typer.Option(min=0, max=100, help="Only vetted creators at or below.")
    ] = None,
    sort: Annotated[str, typer.Option(help=f"One of: {', '.join(SORTS)}")] = "-followers",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 25,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines instead of a table.")] = False,
) -> None:
    """List creators with the same filters as the web list."""
    filters = CreatorFilters.from_values(locals())
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        page = service.list_creators(session, ws.id, filters, limit=limit)
        if as_json:
            for creator in page.items:
                typer.echo(json.dumps(service.creator_out(creator).model_dump(mode="json")))
            return
        table = Table(title=f"{page.total:,} creators in {ws.name}")
        for column in ("id", "creator", "handle", "platforms", "tier", "followers", "engagement", "location"):
            table.add_column(column, justify="right" if column in {"id", "followers", "engagement"} else "left")
        for c in page.items:
            table.add_row(
                str(c.id),
                c.display_name,
                "@" + c.primary_handle,
                c.platforms,
                tier_for(c.followers).value,
                f"{c.followers:,}",
                f"{c.engagement_rate * 100:.1f} %",
                c.location or "",
            )
        console.print(table)
