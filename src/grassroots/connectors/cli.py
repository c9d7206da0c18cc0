"""`grassroots connect`, `grassroots connections` and `grassroots sync`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors
from grassroots.connectors import repository, service
from grassroots.connectors.models import RunStatus
from grassroots.connectors.registry import connector_for
from grassroots.db.session import session_scope
from grassroots.workspaces.service import get_or_create_workspace

console = Console()
SHOWN_REASONS = 20


def connect(
    provider: Annotated[str, typer.Argument(help="instagram, youtube, tiktok, shopify, woocommerce…")],
    config: Annotated[
        list[str] | None, typer.Option("--config", "-c", help="A non-secret setting KEY=VALUE (repeatable).")
    ] = None,
    handle: Annotated[
        list[str] | None, typer.Option("--handle", help="An account to follow (repeatable; sets 'handles').")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Name of this connection (default: the provider).")] = None,
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Connect a provider: secrets are asked for with hidden input and stored encrypted."""
    with fail_on_errors():
        cls = connector_for(provider)
        settings = service.parse_config(config or [])
        if handle:
            settings["handles"] = ",".join(handle)
        optional = set(getattr(cls, "optional_secrets", ()))
        secrets = {
            name: typer.prompt(
                name + (" (optional, Enter to skip)" if name in optional else ""),
                hide_input=True,
                default="" if name in optional else None,
                show_default=False,
            )
            for name in cls.secret_fields
        }
        with session_scope() as session:
            ws = get_or_create_workspace(session, workspace)
            connection = service.connect(session, ws.id, provider, secrets, settings, label=label)
            name, ident = connection.label, connection.id
    console.print(f"[green]Connected[/] {provider} as '{name}' (id {ident}). Run `grassroots sync` to fetch data.")


def connections(workspace: WorkspaceOption = DEMO_WORKSPACE) -> None:
    """List the workspace's connections and how their last sync went (never their secrets)."""
    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        rows = repository.list_connections(session, ws.id)
        runs = repository.last_runs(session, [c.id for c in rows])
        console.print(f"{len(rows)} connection(s) in {ws.name}", highlight=False)
        for c in rows:
            run = runs.get(c.id)
            last = f"{c.last_synced_at:%Y-%m-%d %H:%M}" if c.last_synced_at else "never"
            outcome = f"{run.status}: {run.new} new, {run.updated} updated, {run.skipped} skipped" if run else "no runs"
            console.print(
                f"#{c.id} {c.provider} '{c.label}' {c.status} · last sync {last} · {outcome}", highlight=False
            )
            settings = ", ".join(f"{k}={v}" for k, v in sorted((c.config or {}).items()))
            console.print(f"    settings: {settings or '-'}", highlight=False, markup=False, soft_wrap=True)


def sync(
    provider: Annotated[str | None, typer.Option(help="Only this provider's connections.")] = None,
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Fetch new data from every connection; each page is saved as it arrives and re-runs resume."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with fail_on_errors(), Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        with session_scope() as session:
            ws = get_or_create_workspace(session, workspace)
            results = service.sync_all(session, ws.id, provider=provider, progress=progress)
    _print_results(results)
    if any(r.status in {RunStatus.failed, RunStatus.partial} for r in results):
        raise typer.Exit(1)


def _print_results(results: list[service.SyncResult]) -> None:
    table = Table(title="Sync")
    for column in ("provider", "label", "status", "fetched", "new", "updated", "skipped"):
        table.add_column(column, justify="right" if column in {"fetched", "new", "updated", "skipped"} else "left")
    colours = {RunStatus.ok: "green", RunStatus.quota: "yellow", RunStatus.partial: "yellow", RunStatus.failed: "red"}
    for r in results:
        s = r.summary
        status = f"[{colours.get(r.status, 'white')}]{r.status.value}[/]"
        table.add_row(
            r.provider, r.label, status, f"{s.fetched:,}", f"{s.new:,}", f"{s.updated:,}", f"{len(s.skipped):,}"
        )
    console.print(table)
    for r in results:
        reasons = service.summary_skips(r)
        for skip in reasons[:SHOWN_REASONS]:
            console.print(f"  {r.provider}/{r.label} {skip.item}: {skip.reason}", highlight=False, markup=False)
        if len(reasons) > SHOWN_REASONS:
            console.print(f"  … and {len(reasons) - SHOWN_REASONS} more (see the Connections page)")
        if r.status is RunStatus.quota:
            console.print(f"  {r.provider}/{r.label}: stopped at the quota; the next sync resumes where it stopped.")
