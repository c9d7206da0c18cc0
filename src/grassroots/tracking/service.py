"""Order use cases: store orders from any source, import Shopify's orders export, record promo codes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.errors import ImportRejected, RowError
from grassroots.tracking import orders_csv
from grassroots.tracking.frames import orders_frames
from grassroots.tracking.models import CommerceSource, PromoCode
from grassroots.tracking.records import OrderRecord, PromoCodeRecord
from grassroots.tracking.repository import (
    OrdersWriter,
    WriteResult,
    analyze_orders,
    refresh_customer_totals,
    write_orders,
)


@dataclass
class OrdersImportResult:
    """What an orders import did; ``errors`` holds the first bad rows, ``error_count`` all of them."""

    rows: int = 0
    new: int = 0
    updated: int = 0
    skipped_orders: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)


def store_orders(session: Session, workspace_id: int, orders: Iterable[OrderRecord]) -> WriteResult:
    """Store orders from an API page or a webhook: idempotent on (source, external id), newest wins."""
    orders = list(orders)
    result = write_orders(session, workspace_id, *orders_frames(orders))
    for source in {o.customer.source for o in orders if o.customer is not None and o.customer.orders_count is None}:
        refresh_customer_totals(session, workspace_id, source, result.customer_ids)
    return result


def import_orders_csv(
    session: Session,
    workspace_id: int,
    source: orders_csv.Source,
    *,
    batch_bytes: int = orders_csv.BLOCK_BYTES,
    progress: Callable[[int], None] | None = None,
) -> OrdersImportResult:
    """Import a Shopify orders export (a path or a binary file) in committed batches; re-importing changes nothing.

    Orders with a bad row are skipped and reported by line; a file where every order is bad is rejected.
    """
    columns = orders_csv.read_header(source)
    report = orders_csv.ParseReport()
    totals = WriteResult()
    writer = OrdersWriter(session, workspace_id)
    for raw in orders_csv.batches(source, columns, batch_bytes):
        totals.add(writer.write(*orders_csv.parse_batch(raw, columns, report)))
        session.commit()
        if progress is not None:
            progress(report.rows)
    errors = orders_csv.problems_by_line(source, report) if report.problems else []
    if totals.new + totals.updated + totals.stale == 0:
        session.rollback()
        raise ImportRejected(rows=errors or [RowError(1, "the file has a header but no orders")])
    analyze_orders(session)
    refresh_customer_totals(session, workspace_id, CommerceSource.csv)
    session.commit()
    return OrdersImportResult(
        rows=report.rows,
        new=totals.new,
        updated=totals.updated + totals.stale,
        skipped_orders=report.skipped_orders,
        error_count=report.error_count,
        errors=errors,
    )


def save_promo_code(
    session: Session, workspace_id: int, record: PromoCodeRecord, creator_id: int | None = None
) -> tuple[PromoCode, bool]:
    """Create or refresh a promo code by its code; returns (code, created)."""
    code = session.scalars(
        select(PromoCode).where(PromoCode.workspace_id == workspace_id, PromoCode.code == record.code)
    ).one_or_none()
    created = code is None
    if code is None:
        code = PromoCode(workspace_id=workspace_id, code=record.code, creator_id=creator_id)
        session.add(code)
    elif creator_id is not None:
        code.creator_id = creator_id
    code.source = record.source
    code.external_id = record.external_id
    code.kind = record.kind
    code.value = record.value
    code.usage_count = record.usage_count
    if record.created_at is not None:
        code.created_at = record.created_at
    session.flush()
    return code, created
