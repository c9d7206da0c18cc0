"""Helpers shared by the CLI modules: errors become red messages and a non-zero exit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console

from grassroots.errors import GrassrootsError, ImportRejected, InvalidInput

err = Console(stderr=True)
log = logging.getLogger("grassroots.cli")
# src/grassroots/cli_support.py -> the project root, so data defaults work from any directory in a checkout.
REPO_ROOT = Path(__file__).resolve().parents[2]


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


def resolve_data(given: Path | None, default: Path) -> Path:
    """The data file: as given, else the default relative to the current dir, else to the project root."""
    if given is not None:
        return given
    for candidate in (Path.cwd() / default, REPO_ROOT / default):
        if candidate.is_file():
            return candidate.resolve()
    raise InvalidInput(f"cannot find {default} from {Path.cwd()} or {REPO_ROOT}; pass --data PATH")
