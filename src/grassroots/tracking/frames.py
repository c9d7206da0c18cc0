"""The column layout every order source is turned into before the bulk writer stores it (pure; no I/O)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from grassroots.tracking.records import CustomerRecord, OrderRecord
from grassroots.tracking.utm import parse_utm

UTC_TIME = pl.Datetime("us", "UTC")
CUSTOMER_SCHEMA = pl.Schema({
    "customer_source": pl.String(), "customer_external_id": pl.String(), "customer_email": pl.String(),
    "customer_name": pl.String(), "customer_orders_count": pl.Int64(), "customer_total_spent": pl.Float64(),
    "customer_created_at": UTC_TIME,
})  # fmt: skip
ORDER_SCHEMA = pl.Schema({
    "source": pl.String(), "external_id": pl.String(), "number": pl.String(), "email": pl.String(),
    "created_at": UTC_TIME, "currency": pl.String(), "subtotal": pl.Float64(), "discounts": pl.Float64(),
    "total": pl.Float64(), "financial_status": pl.String(), "landing_site": pl.String(), "referring_site": pl.String(),
    "utm_source": pl.String(), "utm_medium": pl.String(), "utm_campaign": pl.String(), "utm_content": pl.String(),
    "discount_codes": pl.String(), "source_name": pl.String(), "store_updated_at": UTC_TIME, **CUSTOMER_SCHEMA,
})  # fmt: skip
LINE_SCHEMA = pl.Schema({
    "source": pl.String(), "external_id": pl.String(), "sku": pl.String(), "product_id": pl.String(),
    "title": pl.String(), "quantity": pl.Int64(), "price": pl.Float64(),
})  # fmt: skip


def _customer_values(customer: CustomerRecord | None) -> list[Any]:
    if customer is None:
        return [None] * len(CUSTOMER_SCHEMA)
    spent = customer.total_spent
    return [
        str(customer.source), customer.external_id, customer.email, customer.name, customer.orders_count,
        float(spent) if spent is not None else None, customer.created_at,
    ]  # fmt: skip


def customers_frame(customers: Iterable[CustomerRecord]) -> pl.DataFrame:
    """Customer records as the customer_* columns."""
    rows = [_customer_values(c) for c in customers]
    return pl.DataFrame(rows, schema=CUSTOMER_SCHEMA, orient="row")


def orders_frames(orders: Sequence[OrderRecord]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Order records (an API page, a webhook) as the (orders, lines) frames the writer takes."""
    order_rows: list[list[Any]] = []
    line_rows: list[list[Any]] = []
    for o in orders:
        utm = parse_utm(o.landing_site)
        order_rows.append([
            str(o.source), o.external_id, o.number, o.email, o.created_at, o.currency, float(o.subtotal),
            float(o.discounts), float(o.total), o.financial_status, o.landing_site, o.referring_site, utm.source,
            utm.medium, utm.campaign, utm.content, json.dumps(o.discount_codes), o.source_name, o.updated_at,
            *_customer_values(o.customer),
        ])  # fmt: skip
        line_rows.extend(
            [str(o.source), o.external_id, li.sku, li.product_id, li.title, li.quantity, float(li.price)]
            for li in o.lines
        )
    return (
        pl.DataFrame(order_rows, schema=ORDER_SCHEMA, orient="row"),
        pl.DataFrame(line_rows, schema=LINE_SCHEMA, orient="row"),
    )
