"""Tracking benchmark (3) of issue 15: a burst of 10,000 signed Shopify order webhooks, none lost, none doubled.

Reuses benchmarks/webhooks.py (the server in its own process, the signed deliveries with every 20th a retry of
the previous delivery id, the stored-order count): N client threads send exactly --deliveries deliveries as fast
as the server answers, then the benchmark waits until every 'accepted' delivery is processed and counts orders
and their lines. Targets: every delivery acknowledged; orders stored = distinct deliveries acknowledged (none
lost); no order or line stored twice (none doubled). Not a test: it prints figures.
Run: .venv/bin/python benchmarks/tracking_webhooks.py --deliveries 10000 --clients 8 [--backend sqlite]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from scratch_db import postgres_up, scratch_postgres
from sqlalchemy import func, select
from webhooks import ORDER, delivery, free_port, pct, prepare, server, stored_orders


class Burst:
    """Hands out delivery numbers until the burst is spent, and tallies the answers."""

    def __init__(self, total: int, clients: int) -> None:
        self.left = total
        self.lock = threading.Lock()
        self.answers: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.acknowledged: set[str] = set()
        self.next_n = [0] * clients

    def take(self, worker: int) -> int | None:
        """The worker's next delivery number, or None when the burst is spent."""
        with self.lock:
            if self.left == 0:
                return None
            self.left -= 1
            self.next_n[worker] += 1
            return self.next_n[worker] - 1

    def send(self, base: str, worker: int) -> None:
        """One client: signed deliveries back to back until the burst is spent."""
        with httpx.Client(base_url=base, timeout=30) as client:
            while (n := self.take(worker)) is not None:
                body, headers, delivery_id = delivery(worker, n)
                started = time.perf_counter()
                try:
                    answer = client.post("/webhooks/shopify", content=body, headers=headers)
                    status = answer.json()["status"] if answer.status_code == 200 else str(answer.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                with self.lock:
                    self.latencies.append(time.perf_counter() - started)
                    self.answers[status] += 1
                    if status in ("processed", "duplicate", "accepted"):
                        self.acknowledged.add(delivery_id)


def stored_lines(env: dict[str, str]) -> int:
    """Order lines of the burst's orders."""
    from grassroots.db.session import make_engine, session_scope
    from grassroots.tracking.models import Order, OrderLine

    engine = make_engine(env.get("GRASSROOTS_DATABASE_URL") or f"sqlite:///{env['GRASSROOTS_DATA_DIR']}/grassroots.db")
    with session_scope(engine) as session:
        count = session.scalar(select(func.count()).select_from(OrderLine).join(Order).where(Order.number.like("#W%")))
    engine.dispose()
    return int(count or 0)


def run(backend: str, url: str | None, args: argparse.Namespace) -> tuple[Burst, float, float, int, int]:
    """One backend: serve, burst, wait for the queue to drain, count."""
    data = Path(tempfile.mkdtemp(prefix=f"grassroots-burst-{backend}-"))
    env = {**os.environ, "GRASSROOTS_DATA_DIR": str(data), "GRASSROOTS_SECRET_KEY": "bench-secret"}
    if url:
        env["GRASSROOTS_DATABASE_URL"] = url
    prepare(env)
    burst = Burst(args.deliveries, args.clients)
    with server(env, free_port()) as base:
        time.sleep(args.warmup)
        started = time.perf_counter()
        threads = [threading.Thread(target=burst.send, args=(base, w)) for w in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sent_in = time.perf_counter() - started
        # 'accepted' deliveries are stored and processed moments later: wait for them (bounded).
        deadline = time.perf_counter() + args.drain
        while stored_orders(env) < len(burst.acknowledged) and time.perf_counter() < deadline:
            time.sleep(1)
        drained_in = time.perf_counter() - started
    return burst, sent_in, drained_in, stored_orders(env), stored_lines(env)


def report(console: Console, backend: str, result: tuple[Burst, float, float, int, int]) -> None:
    """One table of figures with PASS/MISS."""
    burst, sent_in, drained_in, orders, lines = result
    mark = lambda ok: "[green]PASS[/]" if ok else "[red]MISS[/]"  # noqa: E731
    sent = sum(burst.answers.values())
    failed = {k: v for k, v in burst.answers.items() if k not in ("processed", "duplicate", "accepted")}
    distinct, per_order = len(burst.acknowledged), len(ORDER.get("line_items") or [])
    table = Table(title=f"{backend}: a burst of {sent:,} signed order webhooks")
    for column in ("figure", "value", "target", ""):
        table.add_column(column)
    table.add_row("answers", ", ".join(f"{k} {v:,}" for k, v in sorted(burst.answers.items())), "", "")
    table.add_row("not acknowledged", f"{sum(failed.values()):,}", "0", mark(not failed))
    table.add_row(
        "sent in / all processed in", f"{sent_in:.1f} s ({sent / sent_in:,.0f}/s) / {drained_in:.1f} s", "", ""
    )
    table.add_row("delivery p50 / p99", f"{pct(burst.latencies, 50):.0f} / {pct(burst.latencies, 99):.0f} ms", "", "")
    table.add_row("orders stored / distinct deliveries acknowledged", f"{orders:,} / {distinct:,}",
                  "equal (none lost)", mark(orders == distinct))  # fmt: skip
    table.add_row("order lines / orders x lines per order", f"{lines:,} / {orders * per_order:,}",
                  "equal (none doubled)", mark(lines == orders * per_order))  # fmt: skip
    console.print(table)


def main() -> None:
    """Parse options, run each backend, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deliveries", type=int, default=10_000, help="deliveries in the burst (default 10,000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent senders (default 8)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--warmup", type=float, default=20, help="seconds to let the server warm up (default 20)")
    parser.add_argument("--drain", type=float, default=300, help="longest wait for queued deliveries (default 300 s)")
    args = parser.parse_args()
    console, load = Console(), os.getloadavg()[0]
    if args.backend in ("sqlite", "both"):
        report(console, "SQLite", run("SQLite", None, args))
    if args.backend in ("postgresql", "both"):
        if not postgres_up():
            console.print("PostgreSQL is not answering on 127.0.0.1:5432: skipped")
        else:
            with scratch_postgres("grassroots_burst") as url:
                report(console, "PostgreSQL", run("PostgreSQL", url, args))
    console.print(f"{args.clients} clients; 1-min load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end "
                  f"({os.cpu_count()} cores)")  # fmt: skip


if __name__ == "__main__":
    main()
