"""`grassroots analyze comments`, and training and evaluating the tone models.

The train/evaluate functions are plain so the root CLI mounts them under `grassroots train` and
`grassroots evaluate`; torch, transformers and scikit-learn load only inside the commands.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from grassroots.cli_support import DEMO_WORKSPACE, WorkspaceOption, fail_on_errors, mean_sd, resolve_data
from grassroots.judgments.language.files import METRICS, SEED, TRAINED_DIR

if TYPE_CHECKING:
    from grassroots.judgments.language.training import ToneCvReport

console = Console()

DATA = {
    "sentiment": Path("../shared/data/tweeteval_sentiment/tweets.csv"),
    "emotion": Path("../shared/data/tweeteval_emotion/tweets.csv"),
}
DataOption = Annotated[Path | None, typer.Option("--data", help="Labelled CSV (default: ../shared/data/tweeteval_…).")]
OutOption = Annotated[Path, typer.Option("--out", help="Where the model and its JSON go (default: the package).")]
SeedOption = Annotated[int, typer.Option(help="Random seed for the CV folds.")]
CacheOption = Annotated[
    Path | None,
    typer.Option("--cache-dir", help="Embedding cache folder (default: <data dir>/cache/embeddings)."),
]
FileArgument = Annotated[Path, typer.Argument(help="CSV with columns text, label (TweetEval format).")]


def report_table(kind: str, report: ToneCvReport) -> Table:
    """The CV figures (mean ± sd over folds) of a tone model, its baseline and its two halves alone."""
    table = Table(title=f"{kind} — {report.protocol}, n={report.n:,}")
    table.add_column("")
    for metric in METRICS:
        table.add_column(metric, justify="right")
    table.add_row("[bold]model[/]", *(mean_sd(report.model[m]) for m in METRICS))
    table.add_row(f"baseline: {report.baseline_name}", *(mean_sd(report.baseline[m]) for m in METRICS))
    for name, figures in report.variants.items():
        table.add_row(name, *(mean_sd(figures[m]) for m in METRICS))
    return table


def _train(kind: str, data: Path | None, out: Path, seed: int, cache_dir: Path | None) -> None:
    from grassroots.config import get_settings
    from grassroots.judgments.language import training  # torch and scikit-learn load only when a model is trained
    from grassroots.judgments.language.embeddings import Embedder

    with fail_on_errors():
        path = resolve_data(data, DATA[kind])
        embedder = Embedder(cache_dir or get_settings().data_dir / "cache" / "embeddings")
        started = time.perf_counter()
        with console.status(f"Embedding {path.name} and cross-validating the {kind} model…"):
            model, report = training.train_tone(kind, path, seed=seed, embedder=embedder)
            target = training.save_tone(model, report, path, out, seed)
        console.print(report_table(kind, report))
        from grassroots.judgments.language.fast_training import save_fast, train_fast

        fast, meta = train_fast(kind, path, seed=seed)
        save_fast(fast, meta, out)
        figures = ", ".join(f"{k} {v['mean']:.3f}" for k, v in meta["cv"]["model"].items())
        console.print(f"fast model (--mode fast): {figures}")
        seconds = time.perf_counter() - started
        console.print(f"[green]Wrote[/] {target} ({target.stat().st_size / 1024:,.0f} kB) in {seconds:.1f} s")


def train_sentiment(
    data: DataOption = None, out: OutOption = TRAINED_DIR, seed: SeedOption = SEED, cache_dir: CacheOption = None
) -> None:
    """Train the sentiment model on TweetEval sentiment; write it and its CV figures."""
    _train("sentiment", data, out, seed, cache_dir)


def train_emotion(
    data: DataOption = None, out: OutOption = TRAINED_DIR, seed: SeedOption = SEED, cache_dir: CacheOption = None
) -> None:
    """Train the emotion model on TweetEval emotion; write it and its CV figures."""
    _train("emotion", data, out, seed, cache_dir)


def _evaluate(kind: str, file: Path) -> None:
    from grassroots.judgments.language import training

    with fail_on_errors():
        typer.echo(json.dumps(training.evaluate_tone(kind, file)))


def evaluate_sentiment_cmd(file: FileArgument) -> None:
    """Score a TweetEval-sentiment CSV (label = truth) with the shipped model."""
    _evaluate("sentiment", file)


def evaluate_emotion_cmd(file: FileArgument) -> None:
    """Score a TweetEval-emotion CSV (label = truth) with the shipped model."""
    _evaluate("emotion", file)


def evaluate_requests_cmd(
    file: Annotated[Path, typer.Argument(help="CSV with columns sentence, label (SemEval-2019 Task 9 format).")],
) -> None:
    """Score a suggestion-mining CSV (label 1 = request/suggestion) with the request rules."""
    from grassroots.judgments.language.requests import evaluate_requests

    with fail_on_errors():
        typer.echo(json.dumps(evaluate_requests(file)))


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
    workspace: WorkspaceOption = DEMO_WORKSPACE,
) -> None:
    """Label comments of the workspace (only new ones unless --redo), of one creator or campaign, or of a file.

    Stored labels show on creator and campaign pages ("What people say") and in the API.
    """
    from grassroots.comments import files as files_io
    from grassroots.comments import service
    from grassroots.errors import InvalidInput
    from grassroots.judgments.language.judge import Mode

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
