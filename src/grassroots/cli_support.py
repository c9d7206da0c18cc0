"""Helpers shared by the CLI modules: errors become red messages and a non-zero exit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from grassroots.errors import GrassrootsError, ImportRejected

err = Console(stderr=True)
log = logging.getLogger("grassroots.cli")


@contextmanager
def fail_on_errors() -> Iterator[None]:
    """Turn domain errors into a message and exit code 1; never a traceback."""
    try:
        yield
    except ImportRejected as exc:
        err.print(f"[red]Rejected:[/] {exc.detail}")
        for row in exc.rows:
            err.print(f"  line {row.line}: {row.reason}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    except GrassrootsError as exc:
        err.print(f"[red]Error:[/] {exc.detail}", highlight=False)
        raise typer.Exit(1) from None
