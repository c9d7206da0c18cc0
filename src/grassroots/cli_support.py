"""Helpers shared by the CLI modules: errors become red messages and a non-zero exit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Protocol

import typer
from rich.console import Console

from grassroots.errors import GrassrootsError, ImportRejected, InvalidInput

err = Console(stderr=True)
log = logging.getLogger("grassroots.cli")
DEMO_WORKSPACE = "Demo (synthetic)"
WorkspaceOption = Annotated[
    str, typer.Option("--workspace", help="Workspace (brand) name.", envvar="GRASSROOTS_WORKSPACE")
]
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


class Summary(Protocol):
    """A metric's mean and standard deviation over folds."""

    @property
    def mean(self) -> float: ...
    @property
    def sd(self) -> float: ...


def mean_sd(summary: Summary) -> str:
    """``0.899 ± 0.042``: a cross-validated figure as the train commands print it."""
    return f"{summary.mean:.3f} ± {summary.sd:.3f}"
