"""The `grassroots` command: set up, load the demo, serve, and manage data from the terminal."""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from grassroots.campaigns.cli import app as campaigns_app
from grassroots.cli_support import DEMO_WORKSPACE, fail_on_errors
from grassroots.comments import cli as comments_cli
from grassroots.config import get_settings
from grassroots.connectors import cli as connectors_cli
from grassroots.connectors.exports.cli import import_export
from grassroots.creators.cli import app as creators_app
from grassroots.db import migrate
from grassroots.db.session import get_engine, private_dir, session_scope
from grassroots.discovery import cli as discovery_cli
from grassroots.jobs import cli as jobs_cli
from grassroots.tracking.cli import app as orders_app
from grassroots.vetting import cli as vetting_cli
from grassroots.workspaces import data_cli
from grassroots.workspaces.cli import tokens, users

console = Console()
app = typer.Typer(
    help="grassroots: find, vet and work with small creators.\n\n"
    "Start with `grassroots init`, then `grassroots demo` for a synthetic world, then `grassroots serve`.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users, name="user")
app.add_typer(tokens, name="token")
app.add_typer(creators_app, name="creators")
app.add_typer(campaigns_app, name="campaigns")
app.add_typer(discovery_cli.app, name="discovery")
app.command("discover")(discovery_cli.discover)
app.command("connect")(connectors_cli.connect)
app.command("connections")(connectors_cli.connections)
app.command("sync")(connectors_cli.sync)
app.command("import")(import_export)
app.add_typer(orders_app, name="orders")
app.command("backup")(data_cli.backup)
app.command("restore")(data_cli.restore)
app.command("export")(data_cli.export)
app.add_typer(data_cli.forget_app, name="forget")
app.command()(vetting_cli.vet)
app.add_typer(vetting_cli.frames_app, name="frames")
app.add_typer(comments_cli.analyze_app, name="analyze")
app.command("worker")(jobs_cli.worker)
app.add_typer(jobs_cli.app, name="jobs")

train_app = typer.Typer(help="Retrain a shipped model from ../shared/data and print its cross-validated figures.",
                        no_args_is_help=True)  # fmt: skip
train_app.command("fake-accounts")(vetting_cli.train_fake_accounts)
train_app.command("spam-comments")(vetting_cli.train_spam_comments)
train_app.command("sentiment")(comments_cli.train_sentiment)
train_app.command("emotion")(comments_cli.train_emotion)
app.add_typer(train_app, name="train")

evaluate_app = typer.Typer(help="Score a labelled file with a shipped model or rule set; print one JSON line.",
                           no_args_is_help=True)  # fmt: skip
evaluate_app.command("fake-accounts")(vetting_cli.evaluate_fake_accounts)
evaluate_app.command("spam-comments")(vetting_cli.evaluate_spam_comments)
evaluate_app.command("sentiment")(comments_cli.evaluate_sentiment_cmd)
evaluate_app.command("emotion")(comments_cli.evaluate_emotion_cmd)
evaluate_app.command("requests")(comments_cli.evaluate_requests_cmd)
app.add_typer(evaluate_app, name="evaluate")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    engine = get_engine()
    migrate.upgrade(engine, revision)
    console.print(f"[green]Schema at[/] {migrate.current_revision(engine)} on {engine.url.render_as_string()}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database."""
    console.print(migrate.current_revision(get_engine()) or "empty database")


@app.command()
def init() -> None:
    """Create the data directory, the secret key and the schema."""
    settings = get_settings()
    private_dir(settings.data_dir)
    settings.ensure_secret_key()
    db_upgrade("head")
    console.print(f"Data directory: {settings.data_dir.resolve()}")


@app.command()
def demo(
    creators: Annotated[int, typer.Option(min=10, max=100_000, help="How many synthetic creators.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same world.")] = 7,
) -> None:
    """Generate and load the synthetic demo world and its owner login (skipped if already loaded)."""
    from grassroots.demo.service import analyze_demo_if_needed, ensure_demo, vet_demo_if_needed

    settings = get_settings()
    migrate.upgrade(get_engine())
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar, fail_on_errors():
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int | None = None) -> None:
            if stage not in tasks:
                label = {"credibility": "vetting", "language": "analysing comments"}.get(stage, f"loading {stage}")
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        with session_scope() as session:
            login = ensure_demo(session, settings.data_dir, creators=creators, seed=seed, progress=progress)
        with session_scope() as session:
            vetted = vet_demo_if_needed(session, lambda done, total: progress("credibility", done, total))
        with session_scope() as session:
            labelled = analyze_demo_if_needed(session, lambda done, total: progress("language", done, total))
    indexed = discovery_cli.index_workspace(DEMO_WORKSPACE, console)
    if indexed:
        console.print(f"[green]Indexed[/] {indexed:,} demo creators for discovery: try Discover → 'sourdough'.")
    if vetted:
        console.print(f"[green]Vetted[/] {vetted:,} demo accounts: open a creator and click 'see the reasons'.")
    if labelled:
        console.print(
            f"[green]Analysed[/] {labelled:,} demo comments: sentiment, emotion, intent, questions, language."
        )
    if login.created:
        console.print(
            "[green]Demo world loaded[/] (synthetic): " + ", ".join(f"{v:,} {k}" for k, v in login.counts.items())
        )
    else:
        console.print(f"Demo world already loaded ({login.counts.get('creator', 0):,} creators).")
    console.print(
        f"Sign in at http://{settings.host}:{settings.port}/login as [bold]{login.email}[/] "
        f"with password [bold]{login.password}[/]",
        highlight=False,
    )


def _warm_up_models() -> None:
    """Load the sentence-embedding model in the background, so the first brand-fit or themes panel is quick."""
    from grassroots.judgments.language.embeddings import shared_embedder

    with contextlib.suppress(Exception):  # a warm-up is an optimisation; the panels load the model themselves
        shared_embedder().embed(["warm up"])
    # The model's many objects never die: keep them out of the collector's full passes (shorter GC pauses).
    gc.freeze()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default GRASSROOTS_HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default GRASSROOTS_PORT or 8000).")] = None,
) -> None:
    """Serve the web UI and the API."""
    import uvicorn

    from grassroots.web.app import create_app

    settings = get_settings()
    logging.basicConfig(level=logging.INFO)
    threading.Thread(target=_warm_up_models, name="warm-up", daemon=True).start()
    uvicorn.run(create_app(), host=host or settings.host, port=port or settings.port, log_level="info")
