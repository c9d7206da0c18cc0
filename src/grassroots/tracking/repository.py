"""One idempotent, bulk path that stores orders: API pages, webhooks and million-row CSV imports all use it.

Frames (see ``tracking.frames``) go to the database through the driver — SQLite ``executemany``, PostgreSQL
``COPY … (FORMAT csv)`` — inside the caller's transaction; building ORM objects would cost most of a big
import (benchmarks/ingest_orders.py).
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from grassroots.db.base import utcnow
from grassroots.tracking.frames import customers_frame
from grassroots.tracking.models import CommerceSource
from grassroots.tracking.records import CustomerRecord

CHUNK = 2_000  # keys per IN (...) lookup on SQLite: far below its variable limit
SQLITE_TIME = "%Y-%m-%d %H:%M:%S%.6f"  # what SQLAlchemy's SQLite DateTime writes, so the ORM reads rows back
PG_TIME = SQLITE_TIME + "+00"
ORDER_FIELDS = (
    "number", "customer_id", "email", "created_at", "currency", "subtotal", "discounts", "total", "financial_status",
    "landing_site", "referring_site", "utm_source", "utm_medium", "utm_campaign", "utm_content", "discount_codes",
    "source_name", "store_updated_at",
)  # fmt: skip
LINE_FIELDS = ("order_id", "sku", "product_id", "title", "variant_title", "quantity", "price")
KEY = ["customer_source", "customer_external_id"]


@dataclass
class WriteResult:
    """What a write did: ``stale`` counts deliveries older than the stored order (left alone)."""

    new: int = 0
    updated: int = 0
    stale: int = 0
    customer_ids: list[int] = field(default_factory=list)

    def add(self, other: WriteResult) -> None:
        """Accumulate another batch's counts."""
        self.new += other.new
        self.updated += other.updated
        self.stale += other.stale


class _Driver:
    """Raw access to the session's connection, in the session's transaction."""

    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self.postgres = connection.dialect.name == "postgresql"
        self.raw: Any = connection.connection.driver_connection
        self.mark = "%s" if self.postgres else "?"

    def _sqlite_rows(self, frame: pl.DataFrame) -> list[tuple[Any, ...]]:
        times = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Datetime)]
        return frame.with_columns(pl.col(times).dt.strftime(SQLITE_TIME)).rows() if times else frame.rows()

    def insert(self, table: str, frame: pl.DataFrame) -> None:
        """Append a frame's rows (its columns are the table's): COPY on PostgreSQL, executemany on SQLite."""
        if frame.is_empty():
            return
        names = ", ".join(f'"{c}"' for c in frame.columns)
        with closing(self.raw.cursor()) as cursor:
            if self.postgres:
                text = frame.write_csv(include_header=False, datetime_format=PG_TIME)
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN (FORMAT csv)') as copy:
                    copy.write(text)
            else:
                marks = ", ".join("?" for _ in frame.columns)
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', self._sqlite_rows(frame))

    def execute_many(self, sql: str, frame: pl.DataFrame) -> None:
        """Run a statement (``{}`` stands for the parameter mark) once per frame row."""
        if frame.is_empty():
            return
        rows = frame.rows() if self.postgres else self._sqlite_rows(frame)
        with closing(self.raw.cursor()) as cursor:
            cursor.executemany(sql.replace("{}", self.mark), rows)

    def lookup(self, table: str, workspace_id: int, source: str, keys: list[str], *extra: str) -> pl.DataFrame:
        """Stored (external_id, id, *extra) of rows with these external ids; times come back as UTC datetimes."""
        schema: dict[str, Any] = {"external_id": pl.String, "id": pl.Int64, **{name: pl.String for name in extra}}
        rows: list[tuple[Any, ...]] = []
        with closing(self.raw.cursor()) as cursor:
            if self.postgres:
                # One array joined to the unique index: a long IN (...) list becomes a scan when statistics are stale.
                cols = ", ".join(
                    [
                        "t.external_id",
                        "t.id",
                        *(
                            f"to_char(t.{c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
                            if c.endswith("_at")
                            else f"t.{c}"
                            for c in extra
                        ),
                    ]
                )
                cursor.execute(
                    f'SELECT {cols} FROM "{table}" t JOIN unnest(%s::text[]) AS wanted(key) ON t.external_id = wanted.key '
                    "WHERE t.workspace_id = %s AND t.source = %s",
                    (keys, workspace_id, source),
                )
                rows = cursor.fetchall()
            else:
                cols = ", ".join(["external_id", "id", *extra])
                for start in range(0, len(keys), CHUNK):
                    chunk = keys[start : start + CHUNK]
                    cursor.execute(
                        f'SELECT {cols} FROM "{table}" WHERE workspace_id = ? AND source = ? '
                        f"AND external_id IN ({', '.join('?' for _ in chunk)})",
                        (workspace_id, source, *chunk),
                    )
                    rows.extend(cursor.fetchall())
        frame = pl.DataFrame(rows, schema=schema, orient="row")
        times = [c for c in extra if c.endswith("_at")]
        return (
            frame.with_columns(pl.col(times).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_zone="UTC"))
            if times
            else frame
        )


IDS_SCHEMA = pl.Schema({"customer_source": pl.String(), "customer_external_id": pl.String(), "customer_id": pl.Int64()})


def _upsert_customers(
    driver: _Driver, workspace_id: int, frame: pl.DataFrame, seen: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, int]:
    """Insert new customers and refresh known ones; return (customer_source, customer_external_id, customer_id).

    ``seen`` holds ids this import already stored: those customers are neither looked up nor rewritten.
    """
    customers = frame.select(*(c for c in frame.columns if c.startswith("customer_") and c != "customer_id"))
    customers = customers.filter(pl.col("customer_external_id").is_not_null()).unique(KEY, keep="last")
    found: list[pl.DataFrame] = []
    if seen is not None and not seen.is_empty():
        found.append(seen.join(customers.select(KEY), on=KEY, how="semi"))
        customers = customers.join(seen, on=KEY, how="anti")
    created = 0
    now = utcnow()
    for source in customers["customer_source"].unique().to_list():
        part = customers.filter(pl.col("customer_source") == source)
        keys = part["customer_external_id"].to_list()
        stored = driver.lookup("customer", workspace_id, source, keys, "email", "name")
        part = part.join(stored, left_on="customer_external_id", right_on="external_id", how="left")
        fresh = part.filter(pl.col("id").is_null())
        created += fresh.height
        driver.insert(
            "customer",
            fresh.select(
                pl.lit(workspace_id).alias("workspace_id"), pl.col("customer_source").alias("source"),
                pl.col("customer_external_id").alias("external_id"), pl.col("customer_email").alias("email"),
                pl.col("customer_name").alias("name"), pl.col("customer_orders_count").fill_null(0).alias("orders_count"),
                pl.col("customer_total_spent").fill_null(0.0).alias("total_spent"),
                pl.col("customer_created_at").fill_null(pl.lit(now, dtype=pl.Datetime("us", "UTC"))).alias("created_at"),
            ),
        )  # fmt: skip
        # Returning customers: write only what the store says differently (a CSV repeats them on every order).
        known = part.filter(
            pl.col("id").is_not_null()
            & (
                pl.col("customer_email").ne_missing(pl.col("email"))
                | (pl.col("customer_name").is_not_null() & pl.col("customer_name").ne_missing(pl.col("name")))
                | pl.col("customer_orders_count").is_not_null()
                | pl.col("customer_total_spent").is_not_null()
            )
        )
        driver.execute_many(
            "UPDATE customer SET email = COALESCE({}, email), name = COALESCE({}, name), "
            "orders_count = COALESCE({}, orders_count), total_spent = COALESCE({}, total_spent) WHERE id = {}",
            known.select("customer_email", "customer_name", "customer_orders_count", "customer_total_spent", "id"),
        )
        new_ids = driver.lookup("customer", workspace_id, source, fresh["customer_external_id"].to_list())
        for ids in (stored.select("external_id", "id"), new_ids):
            found.append(ids.select(pl.lit(source).alias("customer_source"), pl.col("external_id").alias("customer_external_id"), pl.col("id").alias("customer_id")))  # fmt: skip
    return (pl.concat(found) if found else pl.DataFrame(schema=IDS_SCHEMA)), created


def write_customers(session: Session, workspace_id: int, customers: list[CustomerRecord]) -> WriteResult:
    """Store customers reported by a store's customers endpoint (idempotent on source and external id)."""
    ids, created = _upsert_customers(_Driver(session), workspace_id, customers_frame(customers))
    return WriteResult(new=created, updated=ids.height - created)


class OrdersWriter:
    """Writes the batches of one import or sync; remembers customer ids so repeat buyers are looked up once."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.seen = pl.DataFrame(schema=IDS_SCHEMA)

    def write(self, orders: pl.DataFrame, lines: pl.DataFrame) -> WriteResult:
        """Insert new orders, overwrite changed ones, ignore older deliveries; replace the lines of what changed."""
        result = WriteResult()
        if orders.is_empty():
            return result
        driver = _Driver(self.session)
        # One row per order: the newest when a batch carries the same order twice.
        orders = orders.sort("store_updated_at", nulls_last=False, maintain_order=True)
        orders = orders.unique(["source", "external_id"], keep="last", maintain_order=True)
        customer_ids, _ = _upsert_customers(driver, self.workspace_id, orders, self.seen)
        self.seen = pl.concat([self.seen, customer_ids]).unique(KEY, keep="last")
        result.customer_ids = customer_ids["customer_id"].to_list()
        orders = orders.join(customer_ids, on=KEY, how="left", nulls_equal=False)
        for source in orders["source"].unique().to_list():
            part, part_lines = orders.filter(pl.col("source") == source), lines.filter(pl.col("source") == source)
            result.add(_write_source(driver, self.workspace_id, source, part, part_lines))
        return result


def write_orders(session: Session, workspace_id: int, orders: pl.DataFrame, lines: pl.DataFrame) -> WriteResult:
    """Store one batch of orders and lines (see OrdersWriter.write)."""
    return OrdersWriter(session, workspace_id).write(orders, lines)


def _write_source(
    driver: _Driver, workspace_id: int, source: str, orders: pl.DataFrame, lines: pl.DataFrame
) -> WriteResult:
    stored = driver.lookup("sales_order", workspace_id, source, orders["external_id"].to_list(), "store_updated_at")
    orders = orders.join(
        stored.rename({"id": "order_id", "store_updated_at": "stored_at"}), on="external_id", how="left"
    )
    stale = (
        pl.col("stored_at").is_not_null()
        & pl.col("store_updated_at").is_not_null()
        & (pl.col("store_updated_at") < pl.col("stored_at"))
    )
    new = orders.filter(pl.col("order_id").is_null())
    changed = orders.filter(pl.col("order_id").is_not_null() & ~stale)
    now = pl.lit(utcnow(), dtype=pl.Datetime("us", "UTC"))
    driver.insert(
        "sales_order",
        new.select(
            pl.lit(workspace_id).alias("workspace_id"), "source", "external_id", *ORDER_FIELDS, now.alias("imported_at")
        ),
    )
    assignments = ", ".join(f'"{name}" = {{}}' for name in ORDER_FIELDS)
    driver.execute_many(
        f"UPDATE sales_order SET {assignments}, imported_at = {{}} WHERE id = {{}}",
        changed.select(*ORDER_FIELDS, now.alias("imported_at"), "order_id"),
    )
    driver.execute_many("DELETE FROM order_line WHERE order_id = {}", changed.select("order_id"))
    new_ids = driver.lookup("sales_order", workspace_id, source, new["external_id"].to_list())
    targets = pl.concat([new_ids.rename({"id": "order_id"}), changed.select("external_id", "order_id")])
    driver.insert(
        "order_line",
        lines.join(targets, on="external_id", how="inner").select(
            # The CSV export has no variant column: its lines leave variant_title empty.
            pl.lit(workspace_id).alias("workspace_id"),
            *(f for f in LINE_FIELDS if f in lines.columns or f == "order_id"),
        ),
    )
    return WriteResult(new=new.height, updated=changed.height, stale=orders.height - new.height - changed.height)


def refresh_customer_totals(
    session: Session, workspace_id: int, source: CommerceSource, customer_ids: list[int] | None = None
) -> None:
    """Recount orders and spend of a source's customers (all, or these) from the stored orders.

    One grouped pass joined back (UPDATE … FROM); run it after ``analyze_orders`` on a bulk load, or PostgreSQL
    plans the join without statistics and loops.
    """
    only = "AND customer_id IN :ids " if customer_ids is not None else ""
    statement = text(
        "UPDATE customer SET orders_count = agg.orders, total_spent = agg.spent "
        "FROM (SELECT customer_id, count(*) AS orders, sum(total) AS spent FROM sales_order "
        f"WHERE workspace_id = :ws AND customer_id IS NOT NULL {only}GROUP BY customer_id) AS agg "
        "WHERE customer.id = agg.customer_id AND customer.workspace_id = :ws AND customer.source = :source"
    )
    params: dict[str, Any] = {"ws": workspace_id, "source": source.value}
    if customer_ids is not None:
        if not customer_ids:
            return
        statement = statement.bindparams(bindparam("ids", expanding=True))
        params["ids"] = customer_ids
    session.execute(statement, params)


def analyze_orders(session: Session) -> None:
    """Refresh planner statistics of the order tables after a bulk load."""
    for table in ("customer", "sales_order", "order_line"):
        session.execute(text(f"ANALYZE {table}"))
