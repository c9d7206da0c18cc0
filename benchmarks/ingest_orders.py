"""Orders ingest benchmark: a synthetic Shopify "Export orders" CSV imported into SQLite and PostgreSQL.

Generates N orders (1–3 line items each; every value synthetic: example.com buyers, "Synthetic product"
titles, tag "synthetic") as Shopify's 79-column export, then imports the file with the product's importer
(grassroots.tracking.service.import_orders_csv: streamed parse, SQLite executemany / PostgreSQL COPY in
batches) into a fresh SQLite file and a scratch PostgreSQL database (dropped afterwards), each in a fresh
process so its peak RSS is its own. Prints CSV rows/s, orders/s and peak RSS. Not a test: it prints figures.
Run: .venv/bin/python benchmarks/ingest_orders.py --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import random
import resource
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from scratch_db import postgres_up, scratch_postgres

TARGET_ROWS_PER_S = 50_000
HEADER = (
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
    "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status",
    "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City",
    "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at",
    "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee",
    "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Tax 1 Name",
    "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value",
    "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name",
    "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
)  # fmt: skip
COL = {name: i for i, name in enumerate(HEADER)}
CODES = ("", "", "", "MAYA10", "JONAS15", "LENA-20", "WELCOME5")
CITIES = (("Austin", "TX", "78701"), ("Portland", "OR", "97201"), ("Denver", "CO", "80202"), ("Boston", "MA", "02108"))


def generate(path: Path, orders: int, seed: int = 7) -> int:
    """Write ``orders`` synthetic orders as a Shopify orders export; returns the number of CSV rows."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    customers = max(1, orders // 3)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(orders):
            buyer = rng.randrange(customers)
            email = f"buyer{buyer}@example.com"
            created = (start + timedelta(seconds=n * 29)).astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
            lines = [(rng.randint(1, 3), rng.randrange(400)) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
            prices = [(q, p, 9 + p % 60 + 0.99) for q, p in lines]
            subtotal = sum(q * price for q, _, price in prices)
            code = rng.choice(CODES)
            discount = round(subtotal * 0.1, 2) if code else 0.0
            shipping, taxes = 4.99, round(subtotal * 0.07, 2)
            city, province, zip_code = CITIES[buyer % len(CITIES)]
            name = f"#{1001 + n}"
            for i, (q, product, price) in enumerate(prices):
                row = [""] * len(HEADER)
                row[COL["Name"]], row[COL["Email"]], row[COL["Created at"]] = name, email, created
                row[COL["Lineitem quantity"]], row[COL["Lineitem name"]] = str(q), f"Synthetic product {product}"
                row[COL["Lineitem price"]], row[COL["Lineitem sku"]] = f"{price:.2f}", f"SYN-{product:04d}"
                row[COL["Lineitem requires shipping"]], row[COL["Lineitem taxable"]] = "true", "true"
                row[COL["Lineitem fulfillment status"]], row[COL["Vendor"]] = "pending", "Synthetic Co"
                if i == 0:
                    _order_columns(row, n, email, created, subtotal, shipping, taxes, code, discount)
                    row[COL["Billing City"]], row[COL["Billing Province"]], row[COL["Billing Zip"]] = (
                        city,
                        province,
                        zip_code,
                    )
                writer.writerow(row)
                rows += 1
    return rows


def _order_columns(
    row: list[str], n: int, email: str, created: str, subtotal: float, shipping: float, taxes: float, code: str,
    discount: float,
) -> None:  # fmt: skip
    total = subtotal + shipping + taxes - discount
    values = {
        "Financial Status": "paid", "Paid at": created, "Fulfillment Status": "unfulfilled",
        "Accepts Marketing": "no", "Currency": "USD", "Subtotal": f"{subtotal:.2f}", "Shipping": f"{shipping:.2f}",
        "Taxes": f"{taxes:.2f}", "Total": f"{total:.2f}", "Discount Code": code, "Discount Amount": f"{discount:.2f}",
        "Shipping Method": "Standard", "Billing Name": f"Synthetic Buyer {email[5:-12]}", "Billing Country": "US",
        "Payment Method": "Shopify Payments", "Id": str(5_000_000_000 + n), "Tags": "synthetic", "Risk Level": "Low",
        "Source": "web", "Tax 1 Name": "State Tax 7%", "Tax 1 Value": f"{taxes:.2f}",
    }  # fmt: skip
    for key, value in values.items():
        row[COL[key]] = value


@dataclass
class Measured:
    """One backend's import."""

    backend: str
    seconds: float
    rows: int
    orders: int
    peak_rss_mb: float
    peak_heap_mb: float


def _anon_mb() -> float:
    """Resident anonymous memory (heap, not the memory-mapped CSV's page cache) in MB, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _import(url: str, path: str) -> tuple[float, int, int, float, float]:
    """In a fresh process: migrate, import the file; (seconds, rows, orders, peak RSS MB, peak heap MB)."""
    from grassroots.db.migrate import upgrade
    from grassroots.db.session import make_engine, session_scope
    from grassroots.tracking.service import import_orders_csv
    from grassroots.workspaces.service import get_or_create_workspace

    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        workspace_id = get_or_create_workspace(session, "Synthetic benchmark brand").id
    started = time.perf_counter()
    heap = [_anon_mb()]
    with session_scope(engine) as session:
        result = import_orders_csv(session, workspace_id, Path(path), progress=lambda _: heap.append(_anon_mb()))
    seconds = time.perf_counter() - started
    engine.dispose()
    assert result.error_count == 0, result.errors[:5]
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return seconds, result.rows, result.new, peak_rss, max(heap)


def _run(backend: str, url: str, path: Path) -> Measured:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        seconds, rows, orders, rss, heap = pool.apply(_import, (url, str(path)))
    return Measured(backend, seconds, rows, orders, rss, heap)


def _postgres(path: Path) -> Measured | None:
    if not postgres_up():
        return None
    with scratch_postgres("grassroots_bench") as url:
        return _run("postgresql", url, path)


def main() -> None:
    """Generate, import into each backend, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="orders to generate (default 1,000,000)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="grassroots-orders-") as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"orders_export_{args.rows}.csv"
        started = time.perf_counter()
        rows = generate(path, args.rows)  # deterministic (seeded), so the same --rows gives the same file
        console.print(f"generated {args.rows:,} synthetic orders = {rows:,} CSV rows "
                      f"({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s")  # fmt: skip
        results: list[Measured] = []
        if args.backend in ("sqlite", "both"):
            for old in folder.glob("bench.db*"):
                old.unlink()  # always a fresh database: every order must be new
            results.append(_run("sqlite", f"sqlite:///{folder / 'bench.db'}", path))
        if args.backend in ("postgresql", "both"):
            measured = _postgres(path)
            if measured is None:
                console.print("[yellow]PostgreSQL is not answering on 127.0.0.1:5432: skipped[/]")
            else:
                results.append(measured)
    table = Table(title=f"Orders CSV import ({args.rows:,} orders; target ≥ {TARGET_ROWS_PER_S:,} rows/s)")
    # Peak RSS counts the pages of the memory-mapped CSV Polars reads; peak heap (RssAnon, sampled after each
    # batch) is the import's own memory, which the batch size bounds.
    for column in ("backend", "seconds", "CSV rows/s", "orders/s", "peak RSS MB", "peak heap MB", "target"):
        table.add_column(column, justify="right")
    for m in results:
        per_s = m.rows / m.seconds
        table.add_row(
            m.backend, f"{m.seconds:.1f}", f"{per_s:,.0f}", f"{m.orders / m.seconds:,.0f}", f"{m.peak_rss_mb:,.0f}",
            f"{m.peak_heap_mb:,.0f}", "met" if per_s >= TARGET_ROWS_PER_S else "MISSED",
        )  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
