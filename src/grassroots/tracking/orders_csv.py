"""Shopify's admin "Export orders" CSV, read in streamed batches with Polars (pure: no database).

One row per line item; the order columns are filled on each order's first row. A bad value skips its whole
order and is reported with the file's line number, so nothing is half-imported or dropped silently.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import polars as pl

from grassroots.errors import ImportRejected, RowError
from grassroots.tracking.frames import LINE_SCHEMA, ORDER_SCHEMA, UTC_TIME
from grassroots.tracking.models import CommerceSource
from grassroots.tracking.utm import parse_utm

REQUIRED = ("Name", "Created at", "Total", "Currency", "Lineitem quantity", "Lineitem name", "Lineitem price")
# Everything the importer reads; other export columns (addresses, taxes, payment…) are skipped unparsed.
OPTIONAL = (
    "Id", "Email", "Financial Status", "Subtotal", "Discount Code", "Discount Amount", "Lineitem sku",
    "Billing Name", "Source", "Landing Site", "Referring Site",
)  # fmt: skip
MAX_REPORTED = 1_000  # errors kept in full; the rest are counted
BLOCK_BYTES = 32 * 1024 * 1024  # a piece of the file per batch: ~110,000 export rows
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z")
Source = str | Path | IO[bytes]


@dataclass
class ParseReport:
    """Running totals of a parse: rows read, orders skipped, the first bad rows (record index, reason)."""

    rows: int = 0
    skipped_orders: int = 0
    error_count: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


def _rewind(source: Source) -> Source:
    if not isinstance(source, str | Path):
        source.seek(0)
    return source


def _open(source: Source) -> tuple[IO[bytes], bool]:
    """A binary handle at the start of the file, and whether we opened it (and must close it)."""
    if isinstance(source, str | Path):
        return open(source, "rb"), True
    return cast(IO[bytes], _rewind(source)), False


def read_header(source: Source) -> dict[str, str]:
    """Canonical column name -> the file's spelling, for the columns the importer reads; checks REQUIRED."""
    handle, owned = _open(source)
    try:
        first = handle.readline().decode("utf-8-sig")
    finally:
        if owned:
            handle.close()
    header = next(csv.reader([first]), [])
    spelled = {h.strip().lower(): h for h in header}
    missing = [c for c in REQUIRED if c.lower() not in spelled]
    if not header or missing:
        raise ImportRejected(rows=[RowError(1, f"missing required column(s): {', '.join(missing or REQUIRED)}")])
    return {c: spelled[c.lower()] for c in REQUIRED + OPTIONAL if c.lower() in spelled}


def blocks(handle: IO[bytes], size: int) -> Iterator[bytes]:
    """The rest of a CSV file in pieces of about ``size`` bytes, each ending at a record boundary.

    A newline ends a record when an even number of quote characters precede it in the piece (RFC 4180 doubles
    quotes inside quoted fields, so the parity holds); pieces always start at a boundary.
    """
    rest = b""
    while data := handle.read(size):
        data = rest + data
        cut = data.rfind(b"\n")
        while cut >= 0 and data.count(b'"', 0, cut) % 2:
            cut = data.rfind(b"\n", 0, cut)
        if cut < 0:  # one record longer than a piece so far: read on
            rest = data
            continue
        yield data[: cut + 1]
        rest = data[cut + 1 :]
    if rest.strip():
        yield rest


def batches(source: Source, columns: dict[str, str], block_bytes: int = BLOCK_BYTES) -> Iterator[pl.DataFrame]:
    """Raw string batches (plus ``record``: 0-based data row index) that never split an order's rows.

    The file is read piece by piece, so memory follows the piece size, not the file size.
    """
    wanted = {spelling: name for name, spelling in columns.items()}
    handle, owned = _open(source)
    try:
        header = handle.readline().removeprefix(b"\xef\xbb\xbf")
        offset, carry = 0, None
        for piece in blocks(handle, block_bytes):
            batch = pl.read_csv(
                io.BytesIO(header + piece), infer_schema=False, columns=list(wanted), row_index_name="record",
                row_index_offset=offset, encoding="utf8-lossy", truncate_ragged_lines=True,
            ).rename(wanted).select("record", *columns)  # fmt: skip
            offset += batch.height
            batch = batch if carry is None else pl.concat([carry, batch])
            # The last order may continue in the next piece: hold its rows back.
            names = batch["Name"]
            tail = batch.height
            while tail > 0 and names[tail - 1] == names[-1]:
                tail -= 1
            carry = batch.slice(tail)
            if tail:
                yield batch.slice(0, tail)
        if carry is not None and carry.height:
            yield carry
    finally:
        if owned:
            handle.close()


def _text(name: str, columns: dict[str, str]) -> pl.Expr:
    return pl.col(name).str.strip_chars() if name in columns else pl.lit(None, dtype=pl.String)


def _money(name: str, columns: dict[str, str]) -> pl.Expr:
    value = _text(name, columns).cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)


def _problem(columns: dict[str, str]) -> pl.Expr:
    """The first thing wrong with a row (None when fine); order columns are checked on an order's first row."""
    first = pl.col("first")

    def bad(name: str) -> pl.Expr:
        return (
            pl.when(_text(name, columns).is_null())
            .then(pl.lit(f"{name} is empty"))
            .otherwise(pl.format(f"{name} '{{}}' is not an amount", _text(name, columns)))
        )

    checks: list[tuple[pl.Expr, pl.Expr]] = [
        (pl.col("Name").is_null(), pl.lit("Name is empty")),
        (first & pl.col("total").is_null(), bad("Total")),
        (first & pl.col("subtotal").is_null() & _text("Subtotal", columns).is_not_null(), bad("Subtotal")),
        (first & pl.col("discounts").is_null() & _text("Discount Amount", columns).is_not_null(), bad("Discount Amount")),
        (first & ~pl.col("currency").fill_null("").str.contains(r"^[A-Z]{3}$"),
         pl.format("Currency '{}' is not a 3-letter code (is this the order's first row?)", pl.col("currency").fill_null(""))),
        (first & pl.col("created_at").is_null(),
         pl.format("Created at '{}' is not a date like '2024-01-15 10:23:45 -0500'", _text("Created at", columns).fill_null(""))),
        (first & pl.col("external_id").is_null(), pl.lit("Id is empty")),
        (pl.col("quantity").is_null() | (pl.col("quantity") < 0),
         pl.format("Lineitem quantity '{}' is not a whole number of items", _text("Lineitem quantity", columns).fill_null(""))),
        (pl.col("price").is_null(), bad("Lineitem price")),
        (pl.col("title").is_null(), pl.lit("Lineitem name is empty")),
    ]  # fmt: skip
    expr: Any = pl.when(checks[0][0]).then(checks[0][1])
    for condition, message in checks[1:]:
        expr = expr.when(condition).then(message)
    return expr.otherwise(None)


def parse_batch(raw: pl.DataFrame, columns: dict[str, str], report: ParseReport) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Good orders and their lines from a batch (frames shaped like tracking.frames); bad rows go to ``report``."""
    shopify = "Id" in columns
    source = (CommerceSource.shopify if shopify else CommerceSource.csv).value
    created = _text("Created at", columns)
    total = _money("Total", columns)
    frame = raw.with_columns(pl.col("Name").str.strip_chars()).with_columns(
        first=pl.col("Name").ne_missing(pl.col("Name").shift(1)).fill_null(True),
        total=total,
        subtotal=pl.coalesce(_money("Subtotal", columns), total),
        discounts=pl.coalesce(_money("Discount Amount", columns), pl.lit(0.0)),
        currency=_text("Currency", columns).str.to_uppercase(),
        created_at=pl.coalesce([created.str.to_datetime(f, strict=False, time_zone="UTC") for f in TIME_FORMATS]),
        external_id=_text("Id", columns) if shopify else pl.col("Name").str.strip_chars(),
        quantity=_text("Lineitem quantity", columns).cast(pl.Int64, strict=False),
        price=_money("Lineitem price", columns),
        title=_text("Lineitem name", columns).str.slice(0, 300),
    )
    frame = frame.with_columns(group=pl.col("first").cum_sum(), problem=_problem(columns))
    bad_rows = frame.filter(pl.col("problem").is_not_null()).unique("group", keep="first", maintain_order=True)
    report.rows += raw.height
    report.skipped_orders += bad_rows.height
    report.error_count += bad_rows.height
    for record, name, reason in bad_rows.select("record", "Name", "problem").rows():
        if len(report.problems) < MAX_REPORTED:
            report.problems.append((record, f"order {name or '?'}: {reason}; the order was skipped"))
    good = frame.filter(~pl.col("group").is_in(bad_rows["group"].implode()))
    return _orders(good.filter(pl.col("first")), columns, source), _lines(good, columns, source)


def _orders(first_rows: pl.DataFrame, columns: dict[str, str], source: str) -> pl.DataFrame:
    email = _text("Email", columns).str.to_lowercase()
    landing = _text("Landing Site", columns)
    codes = (
        _text("Discount Code", columns)
        .fill_null("")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars().str.to_uppercase())
    )
    frame = first_rows.select(
        pl.lit(source).alias("source"), "external_id", pl.col("Name").alias("number"), email.alias("email"),
        "created_at", "currency", "subtotal", "discounts", "total",
        _text("Financial Status", columns).str.to_lowercase().alias("financial_status"),
        landing.alias("landing_site"), _text("Referring Site", columns).alias("referring_site"),
        pl.concat_str(pl.lit("["), _json_strings(codes), pl.lit("]")).alias("discount_codes"),
        _text("Source", columns).alias("source_name"), pl.lit(None, dtype=UTC_TIME).alias("store_updated_at"),
        pl.when(email.is_not_null()).then(pl.lit(CommerceSource.csv.value)).alias("customer_source"),
        email.alias("customer_external_id"), email.alias("customer_email"),
        _text("Billing Name", columns).alias("customer_name"),
        pl.lit(None, dtype=pl.Int64).alias("customer_orders_count"),
        pl.lit(None, dtype=pl.Float64).alias("customer_total_spent"), pl.lit(None, dtype=UTC_TIME).alias("customer_created_at"),
    )  # fmt: skip
    frame = frame.with_columns(_utm(frame["landing_site"]) if "Landing Site" in columns else _no_utm())
    return frame.select(list(ORDER_SCHEMA)).cast(ORDER_SCHEMA)


def _json_strings(codes: pl.Expr) -> pl.Expr:
    """A list of codes as the inside of a JSON array (codes are plain tokens: quotes and backslashes dropped)."""
    quoted = pl.format('"{}"', pl.element().str.replace_all(r'["\\]', ""))
    return codes.list.filter(pl.element() != "").list.eval(quoted).list.join(",")


def _utm(landing: pl.Series) -> list[pl.Series]:
    """UTM columns from landing sites (rare in exports: only apps add the column, so a Python loop is fine)."""
    parsed = [parse_utm(value) for value in landing.to_list()]
    return [pl.Series(f"utm_{part}", [getattr(u, part) for u in parsed], dtype=pl.String)
            for part in ("source", "medium", "campaign", "content")]  # fmt: skip


def _no_utm() -> list[pl.Expr]:
    return [pl.lit(None, dtype=pl.String).alias(f"utm_{part}") for part in ("source", "medium", "campaign", "content")]


def _lines(rows: pl.DataFrame, columns: dict[str, str], source: str) -> pl.DataFrame:
    return rows.select(
        pl.lit(source).alias("source"), pl.col("Name").str.strip_chars().alias("key"),
        "external_id", _text("Lineitem sku", columns).alias("sku"), pl.lit(None, dtype=pl.String).alias("product_id"),
        "title", "quantity", "price", "group",
    ).with_columns(pl.col("external_id").forward_fill().over("group")).select(list(LINE_SCHEMA)).cast(LINE_SCHEMA)  # fmt: skip


def physical_lines(source: Source, records: list[int]) -> dict[int, int]:
    """The file line where each data record starts (quoted newlines make the two differ); only for reports."""
    wanted, found = set(records), {}
    handle, owned = _open(source)
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        end = 1 if next(reader, None) is not None else 0
        for index, _ in enumerate(reader):
            if index in wanted:
                found[index] = end + 1
            end = reader.line_num
    finally:
        text.detach()  # the caller's stream stays open
        if owned:
            handle.close()
    return found


def problems_by_line(source: Source, report: ParseReport) -> list[RowError]:
    """The report's problems with file line numbers."""
    lines = physical_lines(source, [record for record, _ in report.problems])
    return [RowError(lines.get(record, record + 2), reason) for record, reason in report.problems]
