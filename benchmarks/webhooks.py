"""Webhook load benchmark: concurrent signed Shopify deliveries against a real `grassroots serve`.

For SQLite and PostgreSQL: starts the server in its own process on a fresh database with one Shopify
connection, then N client threads send signed `orders/create` deliveries (synthetic orders, a few repeated
delivery ids to check "none doubled") for S seconds while a prober reads `/healthz` every 50 ms; optionally a
200,000-row orders CSV is imported through the API at the same time. Prints delivery latency, `/healthz`
latency, and whether orders stored = deliveries acknowledged. Targets (issue "Hardening"): every delivery
answered within 2 s, `/healthz` p99 < 200 ms, stored = acknowledged, none doubled. Not a test: it prints figures.
Run: .venv/bin/python benchmarks/webhooks.py --seconds 60 --clients 20 [--import-orders 100000]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
from ingest_orders import generate
from rich.console import Console
from rich.table import Table
from scratch_db import postgres_up, scratch_postgres
from sqlalchemy import func, select

SHOP = "bench-shop.myshopify.com"
SECRET = "shpss_benchmark_secret"
ROOT = Path(__file__).resolve().parents[1]
ORDER = json.loads((ROOT / "tests" / "fixtures" / "shopify" / "webhook_order.json").read_text())
GRASSROOTS = str(Path(sys.executable).with_name("grassroots"))


@dataclass
class Figures:
    """What one run measured."""

    sent: int = 0
    acknowledged: int = 0
    duplicates: int = 0
    queued: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    health_failures: int = 0
    distinct_acknowledged: set[str] = field(default_factory=set)
    import_seconds: float | None = None
    import_rows: int = 0


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(env: dict[str, str]) -> str:
    """Schema, a workspace with a Shopify connection and an owner's API token; returns the token."""
    code = f"""
from grassroots.db import migrate
from grassroots.db.session import get_engine, session_scope
from grassroots.connectors import service
from grassroots.workspaces import service as ws
from grassroots.workspaces.models import Role
migrate.upgrade(get_engine())
with session_scope() as s:
    w = ws.get_or_create_workspace(s, "Bench (synthetic)")
    user = ws.create_user(s, w, "bench@grassroots.local", "a long benchmark password", Role.owner)
    service.connect(s, w.id, "shopify", {{"access_token": "t", "client_secret": "{SECRET}"}}, {{"shop": "{SHOP}"}})
    print(ws.create_token(s, user, "bench")[1])
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


@contextmanager
def server(env: dict[str, str], port: int) -> Iterator[str]:
    """`grassroots serve` in its own process; yields its base URL once /healthz answers."""
    log = open(Path(env["GRASSROOTS_DATA_DIR"]) / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([GRASSROOTS, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def delivery(worker: int, n: int) -> tuple[bytes, dict[str, str], str]:
    """A signed orders/create delivery; every 20th repeats the worker's previous delivery id (a retry)."""
    repeat = n % 20 == 19
    number = n - 1 if repeat else n
    order = {**ORDER, "id": 10_000_000 * (worker + 1) + number, "name": f"#W{worker}-{number}"}
    body = json.dumps(order).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    delivery_id = f"bench-{worker}-{number}"
    headers = {"X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": SHOP, "X-Shopify-Webhook-Id": delivery_id,
               "X-Shopify-Hmac-Sha256": signature, "Content-Type": "application/json"}  # fmt: skip
    return body, headers, delivery_id


def sender(base: str, worker: int, until: float, figures: Figures, lock: threading.Lock) -> None:
    """One client sending deliveries back to back until ``until``."""
    with httpx.Client(base_url=base, timeout=10) as client:
        n = 0
        while time.perf_counter() < until:
            body, headers, delivery_id = delivery(worker, n)
            n += 1
            started = time.perf_counter()
            try:
                answer = client.post("/webhooks/shopify", content=body, headers=headers)
                status = str(answer.status_code) if answer.status_code != 200 else answer.json()["status"]
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                figures.sent += 1
                figures.latencies.append(elapsed)
                if status in ("processed", "duplicate", "accepted"):  # accepted: stored, processed moments later
                    figures.acknowledged += 1
                    figures.duplicates += status == "duplicate"
                    figures.queued += status == "accepted"
                    figures.distinct_acknowledged.add(delivery_id)
                else:
                    figures.failed[status] = figures.failed.get(status, 0) + 1


def probe(base: str, seconds: float, out: Connection) -> None:
    """/healthz every 50 ms, in a process of its own (the senders' threads would otherwise delay its clock)."""
    latencies, failures = [], 0
    until = time.perf_counter() + seconds
    with httpx.Client(base_url=base, timeout=10) as client:
        while time.perf_counter() < until:
            started = time.perf_counter()
            try:
                ok = client.get("/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            failures += not ok
            time.sleep(0.05)
    out.send((latencies, failures))


def importer(base: str, token: str, csv_path: Path, figures: Figures) -> None:
    """The orders CSV through the API, timed."""
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=3600) as client, csv_path.open("rb") as handle:
        answer = client.post("/api/v1/orders/import", files={"file": ("orders.csv", handle, "text/csv")},
                             headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    figures.import_seconds = time.perf_counter() - started
    figures.import_rows = int(answer.json().get("rows", 0)) if answer.status_code == 200 else -answer.status_code


def stored_orders(env: dict[str, str]) -> int:
    """Orders in the database (every one came from a delivery, unless an import ran: then webhook orders only)."""
    os.environ.update(env)
    from grassroots.db.session import make_engine, session_scope
    from grassroots.tracking.models import Order

    engine = make_engine(env.get("GRASSROOTS_DATABASE_URL") or f"sqlite:///{env['GRASSROOTS_DATA_DIR']}/grassroots.db")
    with session_scope(engine) as session:
        count = session.scalar(select(func.count()).select_from(Order).where(Order.number.like("#W%")))
    engine.dispose()
    return int(count or 0)


def run(backend: str, url: str | None, args: argparse.Namespace, csv_path: Path | None) -> tuple[Figures, int]:
    """One backend: prepare, serve, load, count."""
    data = Path(tempfile.mkdtemp(prefix=f"grassroots-webhooks-{backend}-"))
    env = {**os.environ, "GRASSROOTS_DATA_DIR": str(data), "GRASSROOTS_SECRET_KEY": "bench-secret"}
    if url:
        env["GRASSROOTS_DATABASE_URL"] = url
    token = prepare(env)
    figures, lock = Figures(), threading.Lock()
    with server(env, free_port()) as base:
        # `serve` loads the sentence-embedding model in the background at start; measure the warm server.
        time.sleep(args.warmup)
        receiving, sending = multiprocessing.Pipe(duplex=False)
        health = multiprocessing.get_context("spawn").Process(target=probe, args=(base, args.seconds, sending))
        health.start()
        until = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=sender, args=(base, w, until, figures, lock)) for w in range(args.clients)]
        if csv_path is not None:
            threads.append(threading.Thread(target=importer, args=(base, token, csv_path, figures)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        figures.health, figures.health_failures = receiving.recv()
        health.join()
    return figures, stored_orders(env)


def report(console: Console, backend: str, figures: Figures, stored: int, with_import: bool, seconds: float) -> None:
    """One table of figures with PASS/MISS against the targets."""
    slowest = max(figures.latencies, default=float("nan"))
    table = Table(title=f"{backend}: {figures.sent:,} deliveries" + (" during a CSV import" if with_import else ""))
    for column in ("figure", "value", "target", ""):
        table.add_column(column)
    mark = lambda ok: "[green]PASS[/]" if ok else "[red]MISS[/]"  # noqa: E731
    table.add_row("delivery p50 / p99 / max", f"{pct(figures.latencies, 50):.0f} / {pct(figures.latencies, 99):.0f} / "
                  f"{slowest * 1000:.0f} ms", "max < 2,000 ms", mark(slowest < 2.0))  # fmt: skip
    table.add_row("deliveries per second", f"{figures.sent / seconds:,.0f}", "", "")
    table.add_row("not acknowledged", str(sum(figures.failed.values())) + (f" {figures.failed}" if figures.failed else ""),
                  "0", mark(not figures.failed))  # fmt: skip
    table.add_row("/healthz p50 / p99 / failures", f"{pct(figures.health, 50):.0f} / {pct(figures.health, 99):.0f} ms / "
                  f"{figures.health_failures}", "p99 < 200 ms", mark(pct(figures.health, 99) < 200 and not figures.health_failures))  # fmt: skip
    distinct = len(figures.distinct_acknowledged)
    table.add_row("orders stored / distinct deliveries acknowledged", f"{stored:,} / {distinct:,} "
                  f"({figures.duplicates:,} repeats answered 'duplicate', {figures.queued:,} answered 'accepted' "
                  "after the 1 s wait and processed later)", "equal", mark(stored == distinct))  # fmt: skip
    if with_import:
        table.add_row("CSV import", f"{figures.import_rows:,} rows in {figures.import_seconds or 0:.1f} s", "", "")
    console.print(table)


def main() -> None:
    """Parse options, run each backend, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help="concurrent senders (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they send (default 60)")
    parser.add_argument("--import-orders", type=int, default=0,
                        help="also import a CSV of this many orders (~2 rows each) meanwhile; 100000 ≈ 200k rows")  # fmt: skip
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--warmup", type=float, default=20, help="seconds to let the server warm up first (default 20)")
    args = parser.parse_args()
    console = Console()
    csv_path = None
    if args.import_orders:
        csv_path = Path(tempfile.mkdtemp(prefix="grassroots-webhooks-csv-")) / "orders.csv"
        rows = generate(csv_path, args.import_orders, seed=random.randint(1, 10**6))
        console.print(f"generated {rows:,} CSV rows (synthetic orders) for the concurrent import")
    load = os.getloadavg()[0]
    if args.backend in ("sqlite", "both"):
        figures, stored = run("SQLite", None, args, csv_path)
        report(console, "SQLite", figures, stored, csv_path is not None, args.seconds)
    if args.backend in ("postgresql", "both"):
        if not postgres_up():
            console.print("PostgreSQL is not answering on 127.0.0.1:5432: skipped")
        else:
            with scratch_postgres("grassroots_webhooks") as url:
                figures, stored = run("PostgreSQL", url, args, csv_path)
            report(console, "PostgreSQL", figures, stored, csv_path is not None, args.seconds)
    console.print(f"{args.clients} clients x {args.seconds:.0f} s; 1-min load average {load:.1f} at start, "
                  f"{os.getloadavg()[0]:.1f} at end ({os.cpu_count()} cores)")  # fmt: skip


if __name__ == "__main__":
    main()
