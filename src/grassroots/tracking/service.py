"""Order use cases: store orders from any source, import Shopify's orders export, record promo codes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.errors import ImportRejected, RowError
from grassroots.tracking import orders_csv, referrals
from grassroots.tracking.frames import orders_frames
from grassroots.tracking.models import CommerceSource, Order, OrderRefund, PromoCode, StoreStatus
from grassroots.tracking.records import OrderRecord, PromoCodeRecord, RefundRecord, normalise_code
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
    frame, lines = orders_frames(orders)
    variants = [line.variant_title for o in orders for line in o.lines]  # the lines frame keeps this order
    lines = lines.with_columns(pl.Series("variant_title", variants, dtype=pl.String))
    result = write_orders(session, workspace_id, frame, lines)
    changed = _keep_details(session, workspace_id, orders)
    for source in {o.customer.source for o in orders if o.customer is not None and o.customer.orders_count is None}:
        refresh_customer_totals(session, workspace_id, source, result.customer_ids)
    referrals.orders_changed(session, workspace_id, changed)
    return result


def _keep_details(session: Session, workspace_id: int, orders: list[OrderRecord]) -> list[Order]:
    """Tax, shipping, each code's amount and type, the linked promo code, landing_site_ref, note attributes,
    cancellation and fingerprints of the orders just written (a delivery older than the stored version changes
    nothing); refunds recorded after the delivered version (one that arrived before its order) are subtracted.
    Returns the orders written."""
    codes = {code for o in orders for code in o.discount_codes}
    promo = dict(
        session.execute(
            select(PromoCode.code, PromoCode.id).where(
                PromoCode.workspace_id == workspace_id, PromoCode.code.in_(sorted(codes))
            )
        ).all()
    ) if codes else {}  # fmt: skip
    written: list[Order] = []
    for source in {o.source for o in orders}:
        records = {o.external_id: o for o in orders if o.source == source}
        stored = session.scalars(
            select(Order)
            .where(Order.workspace_id == workspace_id, Order.source == source, Order.external_id.in_(list(records)))
            .execution_options(populate_existing=True)  # the bulk writer changed the rows behind the ORM's back
        ).all()
        refunds = _refunds_of(session, workspace_id, source, list(records))
        for order in stored:
            record = records[order.external_id]
            stored_at, version = order.store_updated_at, record.updated_at
            if stored_at is not None and version is not None and stored_at > version:
                continue
            order.tax, order.shipping = record.tax, record.shipping
            order.discount_details = record.discount_details
            order.landing_site_ref, order.note_attributes = record.landing_site_ref, record.note_attributes
            order.promo_code_id = next((promo[c] for c in record.discount_codes if c in promo), None)
            order.cancelled_at, order.shipping_key = record.cancelled_at, record.shipping_key
            order.fingerprints = record.fingerprints
            _apply_recorded_refunds(order, version, refunds.get(order.external_id, []))
            written.append(order)
    session.flush()
    return written


def _refunds_of(
    session: Session, workspace_id: int, source: CommerceSource, external_ids: list[str]
) -> dict[str, list[OrderRefund]]:
    found: dict[str, list[OrderRefund]] = {}
    for refund in session.scalars(
        select(OrderRefund).where(
            OrderRefund.workspace_id == workspace_id,
            OrderRefund.source == source,
            OrderRefund.order_external_id.in_(external_ids),
        )
    ):
        found.setdefault(refund.order_external_id, []).append(refund)
    return found


def _apply_recorded_refunds(order: Order, version: datetime | None, refunds: list[OrderRefund]) -> None:
    """A refund that arrived before this version of its order: the version predates it, so its total still holds
    the refunded money; the refund's time becomes the order's version (as in ``record_refund``)."""
    order.refunded = sum((r.amount for r in refunds), Decimal(0))
    later = [r for r in refunds if version is None or r.created_at > version]
    if later:
        order.total = max(Decimal(0), order.total - sum((r.amount for r in later), Decimal(0)))
        order.store_updated_at = max(r.created_at for r in later)


def record_refund(session: Session, workspace_id: int, refund: RefundRecord) -> bool:
    """Record a refund once (by its id) and reverse its money on the stored order; False when already recorded.

    The order's total is lowered only when the stored version predates the refund: a version fetched after it
    already carries the refund in ``current_total_price``. The refund's time becomes the order's version, so an
    older ``orders/updated`` delivery cannot restore the gross total afterwards.
    """
    known = session.scalars(
        select(OrderRefund.id).where(
            OrderRefund.workspace_id == workspace_id,
            OrderRefund.source == refund.source,
            OrderRefund.external_id == refund.external_id,
        )
    ).first()
    if known is not None:
        return False
    session.add(
        OrderRefund(
            workspace_id=workspace_id, source=refund.source, external_id=refund.external_id,
            order_external_id=refund.order_external_id, amount=refund.amount, created_at=refund.created_at,
        )
    )  # fmt: skip
    order = session.scalars(
        select(Order).where(
            Order.workspace_id == workspace_id,
            Order.source == refund.source,
            Order.external_id == refund.order_external_id,
        )
    ).one_or_none()
    if order is not None:
        order.refunded = (order.refunded or Decimal(0)) + refund.amount
        if order.store_updated_at is None or order.store_updated_at < refund.created_at:
            order.total = max(Decimal(0), order.total - refund.amount)
            order.store_updated_at = refund.created_at
    session.flush()
    if order is not None and order.customer_id is not None:
        refresh_customer_totals(session, workspace_id, refund.source, [order.customer_id])
    if order is not None:
        referrals.orders_changed(session, workspace_id, [order])
    return True


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
    """Create or refresh a promo code by its code (case-insensitive: "tenoff" is "TENOFF"); returns (code, created)."""
    normalised = normalise_code(record.code)
    code = session.scalars(
        select(PromoCode).where(PromoCode.workspace_id == workspace_id, PromoCode.code == normalised)
    ).one_or_none()
    created = code is None
    if code is None:
        code = PromoCode(workspace_id=workspace_id, code=normalised, creator_id=creator_id)
        session.add(code)
    elif creator_id is not None:
        code.creator_id = creator_id
    code.source = record.source
    if record.external_id and code.store_status is not None:
        code.store_status, code.store_error = StoreStatus.created, None  # the store reports it: it exists there
    code.external_id = record.external_id
    code.kind = record.kind
    code.value = record.value
    code.usage_count = record.usage_count
    if record.created_at is not None:
        code.created_at = record.created_at
    session.flush()
    return code, created
