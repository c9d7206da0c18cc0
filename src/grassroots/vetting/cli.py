"""`grassroots train …` and `grassroots evaluate …`: build the shipped models and measure them on a file."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from grassroots.cli_support import fail_on_errors
from grassroots.errors import InvalidInput
from grassroots.vetting.files import METRICS, SEED, TRAINED_DIR

if TYPE_CHECKING:
    from grassroots.vetting.training import CvReport, MetricSummary

console = Console()
train_app = typer.Typer(
    help="Train the vetting models on the labelled sets and record CV figures.", no_args_is_help=True
)
evaluate_app = typer.Typer(
    help="Score a labelled file with a shipped model; print one JSON line.", no_args_is_help=True
)

ACCOUNTS_DATA = Path("../shared/data/instafake/accounts.csv")
COMMENTS_DATA = Path("../shared/data/youtube_spam/comments.csv")
# src/grassroots/vetting/cli.py -> the project root, so the default works from any directory in a checkout.
REPO_ROOT = Path(__file__).resolve().parents[3]

Model = TypeVar("Model")
DataOption = Annotated[Path | None, typer.Option("--data", help="Labelled CSV (default: ../shared/data/…).")]
OutOption = Annotated[Path, typer.Option("--out", help="Where the model and its JSON go (default: the package).")]
SeedOption = Annotated[int, typer.Option(help="Random seed for folds and models.")]
FileArgument = Annotated[Path, typer.Argument(help="CSV in the format of the matching data set.")]


def resolve_data(given: Path | None, default: Path) -> Path:
    """The data file: as given, else the default relative to the current dir, else to the project root."""
    if given is not None:
        return given
    for candidate in (Path.cwd() / default, REPO_ROOT / default):
        if candidate.is_file():
            return candidate.resolve()
    raise InvalidInput(f"cannot find {default} from {Path.cwd()} or {REPO_ROOT}; pass --data PATH")


def _fmt(summary: MetricSummary) -> str:
    return f"{summary.mean:.3f} ± {summary.sd:.3f}"


def report_table(title: str, report: CvReport) -> Table:
    """The CV figures of a model next to its baseline."""
    table = Table(title=f"{title} — {report.protocol}, n={report.n:,}")
    table.add_column("metric")
    table.add_column("model (mean ± sd)", justify="right")
    table.add_column(f"baseline: {report.baseline_name}", justify="right")
    for name in METRICS:
        table.add_row(name, _fmt(report.model[name]), _fmt(report.baseline[name]))
    return table


def _train(
    title: str,
    data: Path,
    fit: Callable[[Path], tuple[Model, CvReport]],
    save: Callable[[Model, CvReport, Path], Path],
) -> None:
    started = time.perf_counter()
    with console.status(f"Training and cross-validating the {title} model on {data.name}…"):
        model, report = fit(data)
        target = save(model, report, data)
    console.print(report_table(title, report))
    seconds = time.perf_counter() - started
    console.print(f"[green]Wrote[/] {target} ({target.stat().st_size / 1024:,.0f} kB) in {seconds:.1f} s")


@train_app.command("fake-accounts")
def train_fake_accounts(data: DataOption = None, out: OutOption = TRAINED_DIR, seed: SeedOption = SEED) -> None:
    """Train the fake-account model on InstaFake; write it and its CV figures."""
    from grassroots.vetting import training  # scikit-learn loads only when a model is needed

    with fail_on_errors():
        path = resolve_data(data, ACCOUNTS_DATA)
        _train(
            "fake-account",
            path,
            lambda p: training.train_fake_accounts(p, seed=seed),
            lambda m, r, p: training.save_fake_accounts(m, r, p, out, seed),
        )


@train_app.command("spam-comments")
def train_spam_comments(data: DataOption = None, out: OutOption = TRAINED_DIR, seed: SeedOption = SEED) -> None:
    """Train the spam-comment model on the YouTube Spam Collection; write it and its CV figures."""
    from grassroots.vetting import training

    with fail_on_errors():
        path = resolve_data(data, COMMENTS_DATA)
        _train(
            "spam-comment",
            path,
            lambda p: training.train_spam_comments(p, seed=seed),
            lambda m, r, p: training.save_spam_comments(m, r, p, out, seed),
        )


@evaluate_app.command("fake-accounts")
def evaluate_fake_accounts(file: FileArgument) -> None:
    """Score an InstaFake-format CSV (is_fake = truth) with the shipped model."""
    from grassroots.vetting import training

    with fail_on_errors():
        typer.echo(json.dumps(training.evaluate_fake_accounts(file)))


@evaluate_app.command("spam-comments")
def evaluate_spam_comments(file: FileArgument) -> None:
    """Score a YouTube-Spam-format CSV (CONTENT, CLASS = truth) with the shipped model."""
    from grassroots.vetting import training

    with fail_on_errors():
        typer.echo(json.dumps(training.evaluate_spam_comments(file)))
