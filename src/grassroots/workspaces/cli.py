"""`grassroots user …` and `grassroots token …`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from grassroots.cli_support import fail_on_errors
from grassroots.db.session import session_scope
from grassroots.workspaces import service
from grassroots.workspaces.models import Role

console = Console()
users = typer.Typer(help="Manage people who can sign in.", no_args_is_help=True)
tokens = typer.Typer(help="Manage API bearer tokens.", no_args_is_help=True)


@users.command("create")
def create_user(
    email: Annotated[str, typer.Argument(help="Sign-in email.")],
    workspace: Annotated[str, typer.Option(help="Workspace (brand) name; created if missing.")],
    role: Annotated[Role, typer.Option(help="owner and manager can change data; viewer only reads.")] = Role.owner,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Create a user in a workspace (prompts for the password)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with fail_on_errors(), session_scope() as session:
        ws = service.get_or_create_workspace(session, workspace)
        user = service.create_user(session, ws, email, password, role)
        console.print(f"[green]Created[/] {user.email} ({role.value}) in workspace [bold]{ws.name}[/].")


@tokens.command("create")
def create_token(
    email: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option(help="A label to recognise the token by.")] = "cli",
    expires_in_days: Annotated[
        int | None, typer.Option(help="Stop accepting the token after this many days (default: until revoked).")
    ] = None,
) -> None:
    """Create an API token and print it once."""
    with fail_on_errors(), session_scope() as session:
        user = service.find_user(session, email)
        token, plain = service.create_token(session, user, name, expires_in_days)
        expires = f"; it expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
    console.print(f"[green]Token created[/]{expires}; it is shown only now:", highlight=False)
    typer.echo(plain)
