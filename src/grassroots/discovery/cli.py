"""`grassroots discover …` (search from the terminal) and `grassroots discovery index` (build the search index)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors
from grassroots.db.session import session_scope
from grassroots.discovery import service
from grassroots.discovery.schemas import SORTS, parse_query
from grassroots.workspaces.service import get_or_create_workspace

console = Console()
app = typer.Typer(help="The discovery search index: niches, stems and content vectors.", no_args_is_help=True)


def index_workspace(workspace: str, console: Console = console) -> int:
    """Index every creator changed since the last run, with a progress bar; returns how many were indexed."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar, session_scope() as session:
        task = bar.add_task("indexing creators for discovery", total=None)
        ws = get_or_create_workspace(session, workspace)
        done, _ = service.ensure_index(session, ws.id, lambda d, t: bar.update(task, completed=d, total=t))
    return done


@app.command("index")
def index(workspace: WorkspaceOption = DEMO_WORKSPACE) -> None:
    """Build or update the search index: each changed creator's niches, words and content vector."""
    with fail_on_errors():
        done = index_workspace(workspace)
    console.print(f"[green]Indexed[/] {done:,} creators." if done else "The index is up to date.")


def discover(
    query: Annotated[str, typer.Argument(help="Words or a description: 'sourdough', 'cozy baking at home'.")] = "",
    tier: Annotated[
        list[str] | None, typer.Option(help="micro-micro, nano, micro, macro, mega; repeat for several.")
    ] = None,
    niche: Annotated[list[str] | None, typer.Option(help="Niche key, e.g. food or food/baking; repeatable.")] = None,
    country: Annotated[str | None, typer.Option(help="Any spelling: UK, United Kingdom, GB, Britain.")] = None,
    like: Annotated[list[int] | None, typer.Option(help="Seed creator id for lookalikes; repeatable.")] = None,
    platform: Annotated[list[str] | None, typer.Option(help="instagram, tiktok or youtube; repeatable.")] = None,
    credibility_min: Annotated[int | None, typer.Option(help="Credibility at least (0-100).")] = None,
    sort: Annotated[str | None, typer.Option(help="One of: " + ", ".join(SORTS))] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many to show.")] = 20,
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Find creators by words, meaning, niche and filters, with the reasons each was found."""
    params: dict[str, list[str]] = {"q": [query], "per_page": [str(limit)]}
    for key, values in (("tier", tier), ("niche", niche), ("like", like), ("platform", platform)):
        if values:
            params[key] = [str(v) for v in values]
    for key, value in (("country", country), ("credibility_min", credibility_min), ("sort", sort)):
        if value is not None:
            params[key] = [str(value)]
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        result = service.search(session, ws.id, parse_query(params))
    table = Table(title=f"{result.total:,} creators · sorted by {SORTS.get(result.sort, result.sort)}")
    for column in ("id", "creator", "tier", "followers", "niches", "why"):
        table.add_column(column, overflow="fold")
    for h in result.hits:
        niches = ", ".join(n.label for n in h.niches)
        table.add_row(str(h.id), f"{h.name} @{h.handle}", h.tier, f"{h.followers:,}", niches, "; ".join(h.reasons[:3]))
    console.print(table)
