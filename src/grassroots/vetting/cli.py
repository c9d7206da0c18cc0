"""`grassroots vet`, `grassroots frames export`, and training and evaluating the vetting models.

`vet` scores one account or the whole workspace (or a folder of Parquet files, locally or on Spark);
the train/evaluate commands are plain functions that the root CLI mounts under `grassroots train` and
`grassroots evaluate`.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors, mean_sd, resolve_data
from grassroots.db.session import session_scope
from grassroots.errors import InvalidInput
from grassroots.judgments.vetting.files import METRICS, SEED, TRAINED_DIR
from grassroots.vetting import service
from grassroots.workspaces.service import get_or_create_workspace

if TYPE_CHECKING:
    from grassroots.judgments.vetting.training import CvReport

console = Console()


def vet(
    handle: Annotated[str | None, typer.Argument(help="Handle of one account to vet (without @).")] = None,
    all_accounts: Annotated[bool, typer.Option("--all", help="Vet every account of the workspace.")] = False,
    input_dir: Annotated[
        Path | None, typer.Option("--input", help="Folder of Parquet files to vet instead of the store.")
    ] = None,
    output_dir: Annotated[Path | None, typer.Option("--output", help="Where --input writes reports.parquet.")] = None,
    engine: Annotated[
        str, typer.Option(help="For --input runs: local (process pool) or spark (needs pyspark; see --master).")
    ] = "local",
    master: Annotated[str, typer.Option(help="Spark master for --engine spark.")] = "local[2]",
    workspace: WorkspaceOption = DEMO_WORKSPACE,
    day: Annotated[str | None, typer.Option(help="Date to file the reports under (default today).")] = None,
    worst: Annotated[int, typer.Option(help="How many of the least credible to list afterwards.")] = 15,
) -> None:
    """Score credibility 0–100 with reasons and store a dated report per account.

    With --input/--output it reads a folder of Parquet files (see `grassroots frames export`) and
    writes reports.parquet, without touching the database.
    """
    if input_dir is not None:
        _vet_files(input_dir, output_dir, engine, master)
        return
    with fail_on_errors(), session_scope() as session:
        if bool(handle) == all_accounts:
            raise InvalidInput("give one HANDLE or --all")
        ws = get_or_create_workspace(session, workspace)
        ids = service.accounts_with_handle(session, ws, handle) if handle else None
        try:
            when = date.fromisoformat(day) if day else None
        except ValueError as exc:
            raise InvalidInput(f"--day must be a date like 2026-11-25, not {day!r}") from exc
        columns = (TextColumn("vetting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("vet", total=None)
            run = service.vet_accounts(
                session,
                ws.id,
                ids,
                day=when,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        worst_reports = sorted(run.reports, key=lambda r: r["credibility"])[:worst]
        handles = service.handles_of(session, [r["account_id"] for r in worst_reports])
    console.print(f"[green]Vetted[/] {run.accounts:,} accounts in {run.seconds:.1f} s.")
    table = Table(title="Least credible")
    for column in ("account", "tier", "credibility", "top reason"):
        table.add_column(column)
    for report in worst_reports:
        top = report["reasons"][0]["text"] if report["reasons"] else "no warning signs"
        table.add_row("@" + handles.get(report["account_id"], "?"), report["tier"], str(report["credibility"]), top)
    console.print(table)


def _vet_files(input_dir: Path, output_dir: Path | None, engine: str, master: str) -> None:
    from grassroots.engine.local import run_local

    with fail_on_errors():
        if output_dir is None:
            raise InvalidInput("--input needs --output")
        if engine not in {"local", "spark"}:
            raise InvalidInput(f"unknown engine {engine!r}; use local or spark")
        columns = (TextColumn("vetting partitions"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("vet", total=None)
            try:
                report = lambda done, total: bar.update(task, completed=done, total=total)  # noqa: E731
                if engine == "spark":
                    from grassroots.engine.spark import run_spark

                    run = run_spark(input_dir, output_dir, bounds=service.tier_bounds(), master=master, progress=report)
                else:
                    run = run_local(input_dir, output_dir, bounds=service.tier_bounds(), progress=report)
            except FileNotFoundError as exc:
                raise InvalidInput(str(exc)) from exc
    console.print(f"[green]Vetted[/] {run.accounts:,} accounts in {run.partitions} partitions, "
                  f"{run.seconds:.1f} s -> {run.output}")  # fmt: skip


frames_app = typer.Typer(help="Move data between the store and Parquet folders.", no_args_is_help=True)


@frames_app.command("export")
def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the four Parquet files into.")],
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Export accounts, posts, snapshots and comments (with model scores) for batch engines."""
    from grassroots.vetting.service import export_frames

    with fail_on_errors(), session_scope() as session:
        ws = get_or_create_workspace(session, workspace)
        counts = export_frames(session, ws.id, folder)
    console.print("[green]Exported[/] " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" to {folder}")


ACCOUNTS_DATA = Path("../shared/data/instafake/accounts.csv")
COMMENTS_DATA = Path("../shared/data/youtube_spam/comments.csv")

DataOption = Annotated[Path | None, typer.Option("--data", help="Labelled CSV (default: ../shared/data/…).")]
OutOption = Annotated[Path, typer.Option("--out", help="Where the model and its JSON go (default: the package).")]
SeedOption = Annotated[int, typer.Option(help="Random seed for folds and models.")]
FileArgument = Annotated[Path, typer.Argument(help="CSV in the format of the matching data set.")]


def report_table(title: str, report: CvReport) -> Table:
    """The CV figures of a model next to its baseline."""
    table = Table(title=f"{title} — {report.protocol}, n={report.n:,}")
    table.add_column("metric")
    table.add_column("model (mean ± sd)", justify="right")
    table.add_column(f"baseline: {report.baseline_name}", justify="right")
    for name in METRICS:
        table.add_row(name, mean_sd(report.model[name]), mean_sd(report.baseline[name]))
    return table


# kind -> (what the table calls it, the default data file)
MODELS = {
    "fake_accounts": ("fake-account", ACCOUNTS_DATA),
    "spam_comments": ("spam-comment", COMMENTS_DATA),
}


def _train(kind: str, data: Path | None, out: Path, seed: int) -> None:
    from grassroots.judgments.vetting import training  # scikit-learn loads only when a model is needed

    title, default = MODELS[kind]
    with fail_on_errors():
        path = resolve_data(data, default)
        started = time.perf_counter()
        with console.status(f"Training and cross-validating the {title} model on {path.name}…"):
            model, report = training.train_model(kind, path, seed=seed)
            target = training.save_model(kind, model, report, path, out, seed)
        console.print(report_table(title, report))
        seconds = time.perf_counter() - started
        console.print(f"[green]Wrote[/] {target} ({target.stat().st_size / 1024:,.0f} kB) in {seconds:.1f} s")


def train_fake_accounts(data: DataOption = None, out: OutOption = TRAINED_DIR, seed: SeedOption = SEED) -> None:
    """Train the fake-account model on InstaFake; write it and its CV figures."""
    _train("fake_accounts", data, out, seed)


def train_spam_comments(data: DataOption = None, out: OutOption = TRAINED_DIR, seed: SeedOption = SEED) -> None:
    """Train the spam-comment model on the YouTube Spam Collection; write it and its CV figures."""
    _train("spam_comments", data, out, seed)


def _evaluate(kind: str, file: Path) -> None:
    from grassroots.judgments.vetting import training

    with fail_on_errors():
        typer.echo(json.dumps(training.evaluate_model(kind, file)))


def evaluate_fake_accounts(file: FileArgument) -> None:
    """Score an InstaFake-format CSV (is_fake = truth) with the shipped model."""
    _evaluate("fake_accounts", file)


def evaluate_spam_comments(file: FileArgument) -> None:
    """Score a YouTube-Spam-format CSV (CONTENT, CLASS = truth) with the shipped model."""
    _evaluate("spam_comments", file)
