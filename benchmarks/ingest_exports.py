"""Export ingest benchmark: stream a large creator-list or TikTok export into SQLite and PostgreSQL.

Generates a SYNTHETIC export file (invented handles and counts, labelled as such) and imports it with the real
import path (grassroots.connectors.exports.importer.import_file) into a fresh SQLite file and a temporary PostgreSQL
database (created and dropped). Each import runs in its own process so the peak RSS printed is that import's.
"client CPU s" is the importing process's own CPU time (the database server's is not in it). Not a test: it prints
figures. Run: .venv/bin/python benchmarks/ingest_exports.py --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from scratch_db import scratch_postgres

from grassroots.connectors.exports.importer import import_file
from grassroots.db.migrate import upgrade
from grassroots.db.session import make_engine, session_scope
from grassroots.workspaces.service import get_or_create_workspace

TARGET = 50_000
CITIES = ["Lyon, France", "Leeds, UK", "Berlin, Germany", "Austin, USA", "Lisbon, Portugal", "Milan, Italy"]
PLATFORMS = ["Instagram", "TikTok", "YouTube"]
console = Console(width=150)


def write_creator_list(path: Path, rows: int, seed: int = 7) -> None:
    """A Modash/HypeAuditor-like creator list, one row per account (synthetic)."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Username", "Full name", "Platform", "Followers", "ER", "Country", "Email", "Avg. likes"])
        for i in range(rows):
            followers = int(rng.lognormvariate(9, 1.3))
            out.writerow([f"synthetic_{i:07d}", f"Synthetic Creator {i}", PLATFORMS[i % 3], followers,
                          f"{rng.uniform(0.5, 9):.2f}%", rng.choice(CITIES), f"c{i}@example.test",
                          int(followers * 0.03)])  # fmt: skip


def write_tiktok(path: Path, rows: int, seed: int = 7) -> None:
    """An Apify-TikTok-like JSON export, one video per item, 10 videos per author (synthetic)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        f.write("[\n")
        for i in range(rows):
            author = i // 10
            item = {
                "id": str(7_300_000_000_000_000_000 + i), "text": f"synthetic video {i} #demo",
                "createTimeISO": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T12:00:00.000Z",
                "authorMeta": {"id": str(6_800_000_000 + author), "name": f"synthetic_tt_{author:07d}",
                               "nickName": f"Synthetic {author}", "fans": 1000 + author % 50_000, "video": 10},
                "diggCount": rng.randint(0, 5000), "commentCount": rng.randint(0, 200),
                "playCount": rng.randint(1000, 90_000), "shareCount": rng.randint(0, 50),
                "hashtags": [{"name": "demo"}],
            }  # fmt: skip
            f.write(json.dumps(item) + (",\n" if i < rows - 1 else "\n"))
        f.write("]\n")


def run_import(url: str, path: Path) -> dict[str, float]:
    """Import ``path`` into the database at ``url`` (already migrated); seconds, rows and peak RSS."""
    engine = make_engine(url)
    start, cpu = time.perf_counter(), time.process_time()
    with session_scope(engine) as session:
        ws = get_or_create_workspace(session, "Benchmark (synthetic)")
        result = import_file(session, ws.id, path)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c = result.counts
    return {"rows": result.rows, "seconds": seconds, "rss_mb": rss_mb, "accounts": c.accounts_new, "posts": c.posts_new,
            "bad": result.bad_row_count, "cpu": cpu}  # fmt: skip


def _child(backend: str, url: str, path: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", backend, "--url", url, "--file", str(path)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _sqlite(path: Path, workdir: Path) -> dict[str, float]:
    url = f"sqlite:///{workdir / 'ingest.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return _child("sqlite", url, path)


def _postgres(path: Path) -> dict[str, float]:
    with scratch_postgres("grassroots_ingest") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return _child("postgresql", url, path)


def main() -> None:
    """Generate the export, import it into each backend, print rows/s and peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kind", choices=["creator-list", "tiktok"], default="creator-list")
    parser.add_argument("--backend", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_import(args.url, Path(args.file))))
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="grassroots-ingest-") as tmp:
        workdir = Path(tmp)
        path = workdir / ("export.csv" if args.kind == "creator-list" else "export.json")
        start = time.perf_counter()
        (write_creator_list if args.kind == "creator-list" else write_tiktok)(path, args.rows)
        console.print(f"SYNTHETIC {args.kind} export: {args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, "
                      f"written in {time.perf_counter() - start:.1f} s")  # fmt: skip
        table = Table(title=f"Import of {args.rows:,} synthetic {args.kind} rows (target ≥ {TARGET:,} rows/s)")
        columns = (
            "backend",
            "rows",
            "new accounts",
            "new posts",
            "seconds",
            "rows/s",
            "client CPU s",
            "peak RSS MB",
            "target",
        )
        for column in columns:
            table.add_column(column, justify="left" if column == "backend" else "right")
        backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
        for backend in backends:
            figures = _sqlite(path, workdir) if backend == "sqlite" else _postgres(path)
            rate = figures["rows"] / figures["seconds"]
            table.add_row(backend, f"{figures['rows']:,.0f}", f"{figures['accounts']:,.0f}", f"{figures['posts']:,.0f}",
                          f"{figures['seconds']:.1f}", f"{rate:,.0f}", f"{figures['cpu']:.1f}", f"{figures['rss_mb']:.0f}",
                          "met" if rate >= TARGET else "MISSED")  # fmt: skip
        console.print(table)
        load = os.getloadavg()[0]
        console.print(
            f"load average {load_before:.1f} before, {load:.1f} after, on {os.cpu_count()} cores: wall-clock rates "
            "fall when other jobs share them (client CPU s is this process's own time)"
        )


if __name__ == "__main__":
    main()
