"""Campaigns benchmark: the issue's campaign of 500 collaborations among 5,000 candidate creators, over HTTP.

Loads the candidates (the same synthetic creators as web_latency.py), plans a campaign, adds 500 of them
through the real roster service (each with its audit line), spreads them over the pipeline with audited bulk
moves, puts 300 of them on a second campaign too (so "asks in 90 days" has work), writes 200 ledger entries,
then serves the real app with uvicorn on a loopback port, signs in through the login form and times sequential
requests. One function per measurement (`MEASUREMENTS`); `main` prints a table.

Run: .venv/bin/python benchmarks/campaigns.py [--requests 200] [--database-url postgresql+psycopg://…/bench_campaigns]
Other measurements (the forecast and the optimiser) add a function taking a `World` to `MEASUREMENTS`.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from scratch_db import database_for
from sqlalchemy import Engine, select, update
from web_latency import load, measure, sign_in

from grassroots.campaigns import payments, pipeline, service
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Collaboration, EntryKind, Stage
from grassroots.campaigns.schemas import CampaignIn, EntryIn
from grassroots.config import Settings
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow
from grassroots.db.migrate import upgrade
from grassroots.db.session import make_engine, session_scope
from grassroots.web.app import create_app
from grassroots.web.server import serving

BOARD_TARGET_MS = 200.0
BENCH = Actor("benchmark")


@dataclass
class World:
    """What the measurements need: the served app's client, the campaign and the API token."""

    client: httpx.Client
    campaign_id: int
    collaboration_ids: list[int]
    token: str
    requests: int
    warmup: int


Timing = dict[str, float]
Measurement = Callable[[World], Timing]


def build(engine: Engine, candidates: int, roster: int, seed: int, console: Console) -> tuple[str, int, list[int]]:
    """Candidates, a campaign with ``roster`` collaborations spread over the stages; returns (token, id, collabs)."""
    token, seconds = load(engine, candidates, seed, console)
    console.print(f"loaded {candidates:,} candidates in {seconds:.1f} s ({engine.dialect.name})")
    rnd = random.Random(seed)
    with session_scope(engine) as s:
        ws = s.scalar(select(Creator.workspace_id).limit(1))
        assert ws is not None
        ids = rnd.sample(list(s.scalars(select(Creator.id))), roster)
        main = _campaign(s, ws, "Spring seeding", ids)
        service.add_to_roster(s, ws, _campaign(s, ws, "Winter wave", []).id, ids[:300], actor=BENCH)
        collabs = list(s.scalars(select(Collaboration.id).where(Collaboration.campaign_id == main.id)))
        stages = list(Stage)
        for i, stage in enumerate(stages[1:], start=1):  # a share of the roster at every stage after prospect
            pipeline.move(s, ws, main.id, collabs[i :: len(stages)], stage, BENCH)
        waited = utcnow() - timedelta(days=12)  # some wait on the brand: the overdue badges render too
        s.execute(update(Collaboration).where(Collaboration.id.in_(collabs[::9])).values(stage_changed_at=waited))
        for k in collabs[:200]:
            entry = EntryIn(kind=EntryKind.fee, amount=Decimal("150"), note="two reels")
            payments.add_entry(s, ws, main.id, k, entry, BENCH)
        return token, main.id, collabs


def _campaign(session: Any, workspace_id: int, name: str, roster: list[int]) -> Any:
    data = CampaignIn(name=name, kind="paid", compensation="flat_fee", fee=Decimal(150), budget=Decimal(75_000))
    campaign = service.create_campaign(session, workspace_id, data)
    if roster:
        service.add_to_roster(session, workspace_id, campaign.id, roster, actor=BENCH)
    return campaign


def board_page(world: World) -> Timing:
    """The board with all 500 cards (what the issue's p95 < 200 ms is about)."""
    url = f"/campaigns/{world.campaign_id}/board"
    return measure(lambda i: world.client.get(url), world.requests, world.warmup)


def board_filtered(world: World) -> Timing:
    """The board narrowed by stage, tier or a name, as the filters (HTMX) ask for it."""
    variants = ["stage=contacted", "tier=nano", "q=ana", "stage=prospect&tier=micro", "tier=micro-micro"]
    url = f"/campaigns/{world.campaign_id}/board?"
    return measure(lambda i: world.client.get(url + variants[i % len(variants)]), world.requests, world.warmup)


def board_move(world: World) -> Timing:
    """One card moved through the board's HTMX form (a write, its audit line and the redrawn card)."""
    url = f"/campaigns/{world.campaign_id}/board/move"
    token = world.client.get(f"/campaigns/{world.campaign_id}/board?stage=replied").text
    csrf = token.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    stages = ["shipped", "drafting", "in_review"]

    def move(i: int) -> httpx.Response:
        data = {"csrf_token": csrf, "collaboration_ids": str(world.collaboration_ids[i % 50]), "stage": stages[i % 3]}
        return world.client.post(url, data=data, headers={"HX-Request": "true"})

    return measure(move, world.requests, world.warmup)


def collaborations_api(world: World) -> Timing:
    """The roster through the API: 500 collaborations with effective terms and asks."""
    url, bearer = f"/api/v1/campaigns/{world.campaign_id}/collaborations", {"Authorization": f"Bearer {world.token}"}
    return measure(lambda i: world.client.get(url, headers=bearer), world.requests, world.warmup)


def payouts_csv(world: World) -> Timing:
    """The payout CSV of the ledger's 200 entries."""
    url = f"/campaigns/{world.campaign_id}/payouts.csv"
    return measure(lambda i: world.client.get(url), world.requests, world.warmup)


MEASUREMENTS: dict[str, tuple[Measurement, float | None]] = {
    "board page, 500 cards": (board_page, BOARD_TARGET_MS),
    "board, filtered": (board_filtered, BOARD_TARGET_MS),
    "move a card (HTMX)": (board_move, None),
    "API collaborations": (collaborations_api, None),
    "payout CSV": (payouts_csv, None),
}


def report(results: dict[str, Timing], title: str, console: Console) -> None:
    """The figures as a table, with the target where there is one."""
    table = Table(title=title)
    for col in ("measurement", "p50 ms", "p95 ms", "p99 ms", "mean ms", "req/s", "target"):
        table.add_column(col, justify="left" if col == "measurement" else "right", no_wrap=True)
    for name, r in results.items():
        target = MEASUREMENTS[name][1]
        verdict = "–" if target is None else ("[green]PASS[/]" if r["p95"] < target else "[red]MISS[/]")
        verdict += f" (p95 < {target:.0f})" if target else ""
        table.add_row(name, *(f"{r[k]:.1f}" for k in ("p50", "p95", "p99", "mean", "rps")), verdict)
    console.print(table)


def main() -> None:
    """Parse the options and run on a fresh database (see run)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=5_000, help="creators in the workspace (default 5,000)")
    parser.add_argument("--roster", type=int, default=500, help="collaborations in the campaign (default 500)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per measurement (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests first (default 10)")
    parser.add_argument("--database-url", help="PostgreSQL: created via the 'test' database and dropped after")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    console = Console(width=110)
    data_dir = Path(tempfile.mkdtemp(prefix="grassroots-bench-campaigns-"))
    with database_for(args.database_url, data_dir / "campaigns.db") as db_url:
        run(args, console, data_dir, make_engine(db_url))


def run(args: argparse.Namespace, console: Console, data_dir: Path, engine: Engine) -> None:
    """Build the world, serve the app, run every measurement, print the table (and JSON with --json)."""
    try:
        upgrade(engine)
        started = time.perf_counter()
        token, campaign_id, collabs = build(engine, args.candidates, args.roster, args.seed, console)
        console.print(f"campaign of {args.roster} collaborations ready in {time.perf_counter() - started:.1f} s")
        results: dict[str, Timing] = {}
        app = create_app(engine, Settings(data_dir=data_dir, secret_key="bench"))
        with serving(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            sign_in(client)
            gc.collect()
            gc.freeze()  # as `grassroots serve` does after its warm-up: full collections skip the loaded app
            world = World(client, campaign_id, collabs, token, args.requests, args.warmup)
            for name, (measurement, _target) in MEASUREMENTS.items():
                console.print(f"measuring {name} …")
                results[name] = measurement(world)
        title = f"{engine.dialect.name}: {args.roster} collaborations, {args.candidates:,} candidates, {args.requests} requests"
        report(results, title, console)
        if args.json:
            print(json.dumps({"backend": engine.dialect.name, "results": results}, indent=2))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
