"""`grassroots analyze comments`: sentiment, emotion, intent, questions and language on every comment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from grassroots.cli_support import fail_on_errors

console = Console()
analyze_app = typer.Typer(help="Language judgments on comments: sentiment, emotion, intent, questions, language.")
ModeOption = Annotated[
    str,
    typer.Option(
        help="full: sentence embeddings + lexical model (the accuracy in docs/accuracy.md); "
        "fast: lexical model only, no transformer (several times faster, less accurate)."
    ),
]


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TimeRemainingColumn(), console=console,
    )  # fmt: skip


@analyze_app.command("comments")
def analyze_comments_cmd(
    creator: Annotated[str | None, typer.Option(help="Only this creator's comments (a handle, without @).")] = None,
    campaign: Annotated[str | None, typer.Option(help="Only this campaign's comments (its name or id).")] = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", help="Label a CSV/Parquet/JSON-lines file with a 'text' column instead.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="With --input: where to write (default FILE.labelled.csv).")
    ] = None,
    mode: ModeOption = "full",
    redo: Annotated[bool, typer.Option(help="Label again comments that already have labels.")] = False,
    workspace: Annotated[str, typer.Option(help="Workspace name.", envvar="GRASSROOTS_WORKSPACE")] = "Demo (synthetic)",
) -> None:
    """Label comments of the workspace (only new ones unless --redo), of one creator or campaign, or of a file.

    Stored labels show on creator and campaign pages ("What people say") and in the API.
    """
    from grassroots.errors import InvalidInput
    from grassroots.language import files_io, service
    from grassroots.language.judge import Mode

    with fail_on_errors():
        if mode not in ("full", "fast"):
            raise InvalidInput("--mode must be full or fast")
        chosen: Mode = "fast" if mode == "fast" else "full"
        if sum(x is not None for x in (creator, campaign, input_file)) > 1:
            raise InvalidInput("choose at most one of --creator, --campaign and --input")
        if input_file is not None:
            target = output or input_file.with_suffix(".labelled.csv")
            with _bar() as bar:
                task = bar.add_task(f"labelling {input_file.name}", total=None)
                n = files_io.label_file(
                    input_file, target, mode=chosen, progress=lambda d, t: bar.update(task, completed=d, total=t)
                )
            console.print(f"[green]Labelled[/] {n:,} texts → {target}")
            return
        from grassroots.db.session import session_scope

        with session_scope() as session, _bar() as bar:
            scope = service.resolve_scope(session, workspace, creator=creator, campaign=campaign)
            task = bar.add_task("labelling comments", total=None)
            run = service.analyze_comments(
                session,
                scope,
                mode=chosen,
                redo=redo,
                progress=lambda d, t: bar.update(task, completed=d, total=t),
            )
            summary = service.label_summary(session, scope)
        table = Table(title=f"{run.comments:,} comments labelled ({run.distinct_texts:,} distinct texts, "
                            f"{run.seconds:.1f} s, mode {run.mode})")  # fmt: skip
        table.add_column("label")
        table.add_column("comments in scope", justify="right")
        for label, count in summary.items():
            table.add_row(label, f"{count:,}")
        console.print(table)
