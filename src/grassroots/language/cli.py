"""`grassroots train sentiment|emotion` and `grassroots evaluate sentiment|emotion FILE`.

The functions are plain so the root CLI can register them under its existing ``train`` / ``evaluate``
groups (``train_app.command("sentiment")(train_sentiment)``); the two Typer apps here do the same for
running this module alone. torch, transformers and scikit-learn load only inside the commands.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from grassroots.cli_support import fail_on_errors
from grassroots.language.files import METRICS, SEED, TRAINED_DIR
from grassroots.vetting.cli import resolve_data

if TYPE_CHECKING:
    from grassroots.language.training import ToneCvReport
    from grassroots.vetting.training import MetricSummary

console = Console()
train_app = typer.Typer(help="Train the sentiment and emotion models on TweetEval; record CV figures.")
evaluate_app = typer.Typer(help="Score a TweetEval-format file with a shipped tone model; print one JSON line.")

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


def _fmt(summary: MetricSummary) -> str:
    return f"{summary.mean:.3f} ± {summary.sd:.3f}"


def report_table(kind: str, report: ToneCvReport) -> Table:
    """The CV figures (mean ± sd over folds) of a tone model, its baseline and its two halves alone."""
    table = Table(title=f"{kind} — {report.protocol}, n={report.n:,}")
    table.add_column("")
    for metric in METRICS:
        table.add_column(metric, justify="right")
    table.add_row("[bold]model[/]", *(_fmt(report.model[m]) for m in METRICS))
    table.add_row(f"baseline: {report.baseline_name}", *(_fmt(report.baseline[m]) for m in METRICS))
    for name, figures in report.variants.items():
        table.add_row(name, *(_fmt(figures[m]) for m in METRICS))
    return table


def _train(kind: str, data: Path | None, out: Path, seed: int, cache_dir: Path | None) -> None:
    from grassroots.config import get_settings
    from grassroots.language import training  # torch and scikit-learn load only when a model is trained
    from grassroots.language.embeddings import Embedder

    with fail_on_errors():
        path = resolve_data(data, DATA[kind])
        embedder = Embedder(cache_dir or get_settings().data_dir / "cache" / "embeddings")
        started = time.perf_counter()
        with console.status(f"Embedding {path.name} and cross-validating the {kind} model…"):
            model, report = training.train_tone(kind, path, seed=seed, embedder=embedder)
            target = training.save_tone(model, report, path, out, seed)
        console.print(report_table(kind, report))
        from grassroots.language.fast_training import save_fast, train_fast

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
    from grassroots.language import training

    with fail_on_errors():
        typer.echo(json.dumps(training.evaluate_tone(kind, file)))


def evaluate_sentiment_cmd(file: FileArgument) -> None:
    """Score a TweetEval-sentiment CSV (label = truth) with the shipped model."""
    _evaluate("sentiment", file)


def evaluate_emotion_cmd(file: FileArgument) -> None:
    """Score a TweetEval-emotion CSV (label = truth) with the shipped model."""
    _evaluate("emotion", file)


train_app.command("sentiment")(train_sentiment)
train_app.command("emotion")(train_emotion)


def evaluate_requests_cmd(
    file: Annotated[Path, typer.Argument(help="CSV with columns sentence, label (SemEval-2019 Task 9 format).")],
) -> None:
    """Score a suggestion-mining CSV (label 1 = request/suggestion) with the request rules."""
    from grassroots.language.requests import evaluate_requests

    with fail_on_errors():
        typer.echo(json.dumps(evaluate_requests(file)))


evaluate_app.command("sentiment")(evaluate_sentiment_cmd)
evaluate_app.command("emotion")(evaluate_emotion_cmd)
evaluate_app.command("requests")(evaluate_requests_cmd)
