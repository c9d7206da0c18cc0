"""Web latency benchmark: creators list (HTML, HTMX partial, API) and profile pages over a large workspace.

Loads N synthetic creators into a fresh database, serves the real app with uvicorn on a loopback port,
signs in through the login form and times a few hundred sequential requests per scenario.
Not a test: it prints figures. Run: .venv/bin/python benchmarks/web_latency.py --help
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from scratch_db import database_for
from sqlalchemy import Engine, insert, text

from grassroots.config import Settings
from grassroots.creators.models import Creator, Platform, SocialAccount
from grassroots.db.migrate import upgrade
from grassroots.db.session import analyze, make_engine, session_scope
from grassroots.web.app import create_app
from grassroots.web.server import serving
from grassroots.workspaces.models import Role
from grassroots.workspaces.service import create_token, create_user, get_or_create_workspace

TARGET_MS = 150.0
Rows = list[dict[str, Any]]
Maker = Callable[[int], httpx.Response]
EMAIL, PASSWORD = "bench@grassroots.test", "bench-password-123"
# fmt: off
FIRST = ["ana", "ben", "chloe", "dario", "emma", "felix", "gina", "hugo", "ines", "jonas", "kira", "leo", "maya", "nils"]
LAST = ["berg", "costa", "diaz", "eriksen", "fischer", "garcia", "haas", "ito", "jansen", "kowalski", "lopez", "meyer"]
CITIES = [
    "Berlin, Germany", "Hamburg, Germany", "Munich, Germany", "Vienna, Austria", "Zurich, Switzerland", "Paris, France",
    "Lyon, France", "London, UK", "Manchester, UK", "Dublin, Ireland", "Amsterdam, Netherlands", "Brussels, Belgium",
    "Copenhagen, Denmark", "Stockholm, Sweden", "Oslo, Norway", "Helsinki, Finland", "Warsaw, Poland", "Prague, Czechia",
    "Madrid, Spain", "Barcelona, Spain", "Lisbon, Portugal", "Milan, Italy", "Rome, Italy", "Athens, Greece",
    "New York, USA", "Austin, USA", "Toronto, Canada", "Mexico City, Mexico", "São Paulo, Brazil", "Sydney, Australia",
]
NICHES = {
    "skincare": ["Skincare for sensitive skin, SPF every day", "Honest skincare reviews and routines", "Esthetician sharing skincare tips"],
    "fitness": ["Home workouts and fitness for busy parents", "Strength training and fitness coaching", "Running, yoga and mobility"],
    "vegan food": ["Easy vegan food recipes on a budget", "Plant-based cooking, vegan food lover", "Vegan food and meal prep"],
    "travel": ["Slow travel and hidden gems", "Budget travel guides and city tips", "Van life, hiking and travel stories"],
    "gaming": ["Cozy gaming streams and reviews", "Indie gaming and retro consoles", "Speedruns and gaming news"],
    "books": ["Book reviews, mostly fantasy", "Reading 100 books a year, book club host", "Cozy book corner and reviews"],
    "home": ["DIY home makeovers on a budget", "Plants, interiors and home decor", "Minimal home and organising"],
}
PLATFORMS = [(Platform.instagram, 0.5), (Platform.tiktok, 0.35), (Platform.youtube, 0.15)]
# fmt: on
LIST_VARIANTS = [
    "tier=nano&min_engagement=5&sort=-engagement",
    "tier=nano&min_engagement=5&sort=-engagement&page=2",
    "platform=instagram",
    "location=berlin",
    "q=skincare",
    "min_followers=5000&max_followers=20000&sort=followers",
    "platform=tiktok&tier=micro&sort=-engagement&page=3",
    "q=vegan+food&location=london",
    "sort=handle",
    "",
]


def creator_rows(start: int, stop: int, ws_id: int, rnd: random.Random) -> tuple[Rows, Rows]:
    """Creator and SocialAccount rows with ids start..stop-1 (one account per creator)."""
    creators, accounts = [], []
    now = datetime.now(UTC)
    lo, hi = math.log(500), math.log(2_000_000)
    for i in range(start, stop):
        followers = int(math.exp(min(hi, max(lo, rnd.gauss(math.log(9_000), 1.5)))))
        er = min(0.35, max(0.002, 0.10 * (followers / 1_000) ** -0.22 * rnd.lognormvariate(0, 0.45)))
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        niche = rnd.choice(list(NICHES))
        bio, city = rnd.choice(NICHES[niche]), rnd.choice(CITIES)
        platform = rnd.choices([p for p, _ in PLATFORMS], [w for _, w in PLATFORMS])[0]
        handle, name = f"{first}.{last}{i}", f"{first.title()} {last.title()}"
        common = {"id": i, "workspace_id": ws_id, "display_name": name, "location": city, "followers": followers,
                  "engagement_rate": er, "created_at": now, "updated_at": now}  # fmt: skip
        creators.append({**common, "primary_platform": platform, "primary_handle": handle, "platforms": platform.value,
                         "search_text": " ".join([name, city, handle, name, bio]).lower(),
                         "location_key": city.lower(), "credibility": rnd.randint(5, 98)})  # fmt: skip
        accounts.append({**common, "creator_id": i, "platform": platform, "handle": handle, "bio": bio})
    return creators, accounts


def load(engine: Engine, n: int, seed: int, console: Console) -> tuple[str, float]:
    """Create the workspace, owner and token, bulk-insert n creators; return (token, seconds)."""
    started = time.perf_counter()
    rnd = random.Random(seed)
    with session_scope(engine) as session:
        ws = get_or_create_workspace(session, "Bench")
        user = create_user(session, ws, EMAIL, PASSWORD, Role.owner)
        _, token = create_token(session, user, "bench")
        ws_id = ws.id
    chunk = 5_000
    with Progress(console=console) as progress, session_scope(engine) as session:
        task = progress.add_task(f"loading {n:,} creators", total=n)
        for start in range(1, n + 1, chunk):
            stop = min(n + 1, start + chunk)
            creators, accounts = creator_rows(start, stop, ws_id, rnd)
            session.execute(insert(Creator), creators)
            session.execute(insert(SocialAccount), accounts)
            progress.update(task, advance=stop - start)
    if engine.dialect.name == "sqlite":  # the app's bulk paths (demo, CSV import, db upgrade) run ANALYZE too
        with engine.begin() as conn:
            analyze(conn)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("creator", "social_account"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})"))
            conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does soon after a bulk load
    return token, time.perf_counter() - started


def sign_in(client: httpx.Client) -> None:
    """Sign in through the login form; the session cookie stays in the client's jar."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert match, "no csrf_token on /login"
    form = {"email": EMAIL, "password": PASSWORD, "csrf_token": match.group(1), "next": "/creators"}
    response = client.post("/login", data=form)
    assert response.status_code == 303, f"login answered {response.status_code}"


def measure(request: Maker, n: int, warmup: int) -> dict[str, float]:
    """Time n sequential requests after warm-up; every answer must be 200."""
    for i in range(warmup):
        assert request(i).status_code == 200
    times: list[float] = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        response = request(i)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, f"{response.request.url} answered {response.status_code}"
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "p99": q[98], "mean": statistics.fmean(times), "rps": n / elapsed}


def scenarios(client: httpx.Client, token: str, n_creators: int, seed: int) -> dict[str, Maker]:
    """The request makers, each cycling through filter combinations."""
    bearer = {"Authorization": f"Bearer {token}"}
    htmx = {"HX-Request": "true", "HX-Target": "results"}
    api = [(re.sub(r"&?page=\d+", "", v) + "&limit=50").lstrip("&") for v in LIST_VARIANTS]
    first = client.get("/api/v1/creators?sort=-followers&limit=50", headers=bearer).json()
    api.append(f"sort=-followers&limit=50&cursor={first['next_cursor']}")
    rnd = random.Random(seed + 1)
    ids = [rnd.randint(1, n_creators) for _ in range(997)]

    def pick(seq: list[str], i: int) -> str:
        return seq[i % len(seq)]

    return {
        "list page (HTML)": lambda i: client.get(f"/creators?{pick(LIST_VARIANTS, i)}"),
        "HTMX partial": lambda i: client.get(f"/creators?{pick(LIST_VARIANTS, i)}", headers=htmx),
        "API list": lambda i: client.get(f"/api/v1/creators?{pick(api, i)}", headers=bearer),
        "profile page": lambda i: client.get(f"/creators/{ids[i % len(ids)]}"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creators", type=int, default=100_000, help="creators to load (default 100,000)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per scenario (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests before each scenario (default 20)")
    parser.add_argument("--data-dir", type=Path, help="where the SQLite file and app data go (default: a temp dir)")
    parser.add_argument("--database-url", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench_web: "
                        "that database is created (via the 'test' database) and dropped at the end")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7, help="random seed for the synthetic data (default 7)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    console = Console()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="grassroots-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    with database_for(args.database_url, data_dir / "bench.db") as db_url:
        run(args, console, data_dir, make_engine(db_url))


def run(args: argparse.Namespace, console: Console, data_dir: Path, engine: Engine) -> None:
    """Load the creators, serve the app, time every scenario, print the table (and JSON with --json)."""
    try:
        upgrade(engine)
        token, load_s = load(engine, args.creators, args.seed, console)
        console.print(f"loaded {args.creators:,} creators + accounts in {load_s:.1f} s ({engine.dialect.name})")
        results: dict[str, dict[str, float]] = {}
        app = create_app(engine, Settings(data_dir=data_dir, secret_key="bench"))
        with serving(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            sign_in(client)
            for name, request in scenarios(client, token, args.creators, args.seed).items():
                console.print(f"measuring {name} …")
                results[name] = measure(request, args.requests, args.warmup)
        table = Table(title=f"{engine.dialect.name}, {args.creators:,} creators, {args.requests} requests per scenario")
        for col in ("scenario", "p50 ms", "p95 ms", "p99 ms", "mean ms", "req/s", f"p95 < {TARGET_MS:.0f} ms"):
            table.add_column(col, justify="left" if col == "scenario" else "right", no_wrap=True)
        for name, r in results.items():
            verdict = "[green]PASS[/]" if r["p95"] < TARGET_MS else "[red]MISS[/]"
            table.add_row(name, *(f"{r[k]:.1f}" for k in ("p50", "p95", "p99", "mean", "rps")), verdict)
        console.print(table)
        console.print(f"target: p95 < {TARGET_MS:.0f} ms on SQLite")
        if args.json:
            out = {"backend": engine.dialect.name, "creators": args.creators, "requests": args.requests,
                   "load_seconds": round(load_s, 2), "target_p95_ms": TARGET_MS,
                   "scenarios": {k: {m: round(v, 2) for m, v in r.items()} | {"pass": r["p95"] < TARGET_MS}
                                 for k, r in results.items()}}  # fmt: skip
            print(json.dumps(out, indent=2))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
