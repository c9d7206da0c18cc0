"""`grassroots backup`, `grassroots restore`, `grassroots export` and `grassroots forget creator|customer|commenter`.

Plain functions and a sub-app that the root CLI mounts; each opens the database and calls one service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors
from grassroots.db import backup as backups
from grassroots.db.session import get_engine, session_scope
from grassroots.errors import InvalidInput
from grassroots.workspaces import privacy
from grassroots.workspaces.export import export_workspace, workspace_id_named

console = Console()
err = Console(stderr=True)
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write (replaced if it exists).", dir_okay=False)],
) -> None:
    """Copy the whole database to FILE while the server runs (SQLite backup API, or pg_dump for PostgreSQL).

    The file is readable by you only. Connection secrets in it are encrypted with the secret key
    (DATA_DIR/secret_key or GRASSROOTS_CONNECTOR_KEY): keep that key with the backup, or they are lost.
    """
    with fail_on_errors():
        engine = get_engine()
        path = backups.backup(engine, file)
    size = path.stat().st_size
    console.print(f"[green]Backed up[/] {engine.url.render_as_string()} to {path} ({size:,} bytes, mode 0600)")
    err.print(
        f"[yellow]Keep the key with this backup:[/] connection secrets in it are encrypted with "
        f"{backups.key_location()}. Without that key they cannot be decrypted after a restore "
        "(reconnect the providers then); with it, anyone holding the backup can read them: keep both safe.",
        highlight=False,
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `grassroots backup`.", exists=True, dir_okay=False)],
    yes: YesOption = False,
) -> None:
    """Replace everything in the database with the backup in FILE.

    Stop the server first (required for SQLite). Then run `grassroots db upgrade` if the backup is from an
    older version. Connection secrets stay usable only with the secret key that was in use at backup time.
    """
    engine = get_engine()
    where = engine.url.render_as_string()
    if not yes:
        typer.confirm(f"Replace every row in {where} with the backup {file}?", abort=True)
    with fail_on_errors():
        backups.restore(engine, file)
        check = backups.check_secrets(engine)
    console.print(f"[green]Restored[/] {where} from {file}")
    if not check.ok:
        err.print(
            f"[red]Warning:[/] {check.stored - check.readable} of {check.stored} connection secrets cannot be "
            f"decrypted with {backups.key_location()}. Put back the secret key that was in use when the backup "
            "was made (GRASSROOTS_CONNECTOR_KEY, GRASSROOTS_SECRET_KEY or DATA_DIR/secret_key), or connect those "
            "providers again.",
            highlight=False,
        )


def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write <table>.csv and <table>.json into.", file_okay=False)],
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Export every row of one workspace as CSV and JSON, one pair of files per table (no secrets)."""
    with fail_on_errors(), session_scope() as session:
        counts = export_workspace(session, workspace_id_named(session, workspace), folder)
    _print_counts(f"Exported workspace {workspace} to {folder}", counts, "rows")


forget_app = typer.Typer(
    help="Erase a person's personal data on request; counts, orders and revenue stay.", no_args_is_help=True
)


@forget_app.command("creator")
def forget_creator(
    handle: Annotated[str, typer.Argument(help="A handle of the creator (without @), on any platform.")],
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    yes: YesOption = False,
) -> None:
    """Delete a creator with their accounts, posts, comments, history and reports; promo codes are unassigned."""
    _confirm(yes, f"Delete the creator @{handle.lstrip('@')} and everything about them from {workspace}?")
    with fail_on_errors(), session_scope() as session:
        counts = privacy.forget_creator(session, workspace_id_named(session, workspace), handle)
    _print_counts(f"Forgot the creator @{handle.lstrip('@')}", counts, "rows deleted")


@forget_app.command("customer")
def forget_customer(
    email: Annotated[str | None, typer.Argument(help="The customer's email.")] = None,
    external_id: Annotated[str | None, typer.Option("--external-id", help="The shop's customer id instead.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this shop: shopify, woocommerce or csv.")] = None,
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    yes: YesOption = False,
) -> None:
    """Erase a shop customer's email, name and shop id; their orders and amounts stay under a pseudonym."""
    who = email or f"shop customer {external_id}"
    _confirm(yes, f"Erase the personal data of {who} in {workspace}?")
    with fail_on_errors(), session_scope() as session:
        if not email and not external_id:
            raise InvalidInput("give the customer's EMAIL or --external-id")
        counts = privacy.forget_customer(
            session, workspace_id_named(session, workspace), email, external_id, source=source
        )
    _print_counts(f"Forgot {who}", counts, "rows changed")


@forget_app.command("commenter")
def forget_commenter(
    handle: Annotated[str, typer.Argument(help="The commenter's handle (without @).")],
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    erase_text: Annotated[bool, typer.Option("--erase-text", help="Blank the comments' text too.")] = False,
    yes: YesOption = False,
) -> None:
    """Replace a commenter's handle with a pseudonym and blank their avatar flag; the comments' labels stay."""
    _confirm(yes, f"Put a pseudonym on every comment by @{handle.lstrip('@')} in {workspace}?")
    with fail_on_errors(), session_scope() as session:
        ws = workspace_id_named(session, workspace)
        counts = privacy.forget_commenter(session, ws, handle, erase_text=erase_text)
    _print_counts(f"Forgot the commenter @{handle.lstrip('@')}", counts, "rows changed")


def _confirm(yes: bool, question: str) -> None:
    if not yes:
        typer.confirm(question + " This cannot be undone.", abort=True)


def _print_counts(title: str, counts: dict[str, int], label: str) -> None:
    table = Table(title=title)
    table.add_column("table")
    table.add_column(label, justify="right")
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    table.add_row("[bold]total[/]", f"[bold]{sum(counts.values()):,}[/]")
    console.print(table)
