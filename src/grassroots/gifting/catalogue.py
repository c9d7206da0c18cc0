"""Gift products: the store catalogue (refreshed by a job) or a list the brand keeps by hand or uploads as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from grassroots.campaigns.schemas import field_errors
from grassroots.config import Settings
from grassroots.connectors.shopify.products import VariantRecord, product_pages
from grassroots.db.base import utcnow
from grassroots.errors import InvalidInput, NotFound
from grassroots.gifting import shop
from grassroots.gifting.models import GiftProduct, ProductSource
from grassroots.gifting.schemas import ProductIn
from grassroots.jobs import queue

REFRESH_JOB = "gifting.refresh_products"
CSV_COLUMNS = ("title", "variant", "sku", "price", "currency", "image_url")
MAX_CSV_BYTES = 2 * 1024 * 1024


@dataclass
class Catalogue:
    """What the products page shows."""

    products: list[GiftProduct]
    connected: bool
    refreshed_at: datetime | None


@dataclass
class ImportReport:
    """A CSV upload: rows kept, and each bad row with its line number and why."""

    added: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def catalogue(session: Session, workspace_id: int) -> Catalogue:
    """The active products, by title; with whether a store is connected and when its list was last refreshed."""
    products = list(
        session.scalars(
            select(GiftProduct)
            .where(GiftProduct.workspace_id == workspace_id, GiftProduct.active.is_(True))
            .order_by(GiftProduct.title, GiftProduct.variant_title, GiftProduct.id)
        )
    )
    stamps = [p.refreshed_at for p in products if p.source is ProductSource.shopify]
    connected = shop.store_connection(session, workspace_id) is not None
    return Catalogue(products, connected, max(stamps) if stamps else None)


def require_product(session: Session, workspace_id: int, product_id: int) -> GiftProduct:
    """An active product of the workspace, or NotFound."""
    product = session.get(GiftProduct, product_id)
    if product is None or product.workspace_id != workspace_id or not product.active:
        raise NotFound(f"product {product_id} not found")
    return product


def _find_manual(session: Session, workspace_id: int, data: ProductIn) -> GiftProduct | None:
    """The hand-kept product a row updates: the same SKU, else the same title and variant."""
    same = select(GiftProduct).where(
        GiftProduct.workspace_id == workspace_id, GiftProduct.source != ProductSource.shopify
    )
    if data.sku:
        return session.scalar(same.where(GiftProduct.sku == data.sku).limit(1))
    variant = (
        GiftProduct.variant_title == data.variant_title if data.variant_title else GiftProduct.variant_title.is_(None)
    )
    return session.scalar(same.where(GiftProduct.title == data.title, variant).limit(1))


def save_product(
    session: Session, workspace_id: int, data: ProductIn, source: ProductSource
) -> tuple[GiftProduct, bool]:
    """Add a hand-kept product, or update the one with the same SKU (or title and variant); (product, added)."""
    product = _find_manual(session, workspace_id, data)
    added = product is None
    if product is None:
        product = GiftProduct(workspace_id=workspace_id, source=source)
        session.add(product)
    product.title, product.variant_title, product.sku = data.title, data.variant_title or None, data.sku or None
    product.price, product.currency, product.image_url = data.price, data.currency, data.image_url
    product.active, product.refreshed_at = True, utcnow()
    session.flush()
    return product, added


def remove_product(session: Session, workspace_id: int, product_id: int) -> GiftProduct:
    """Take a product off the list (gifts planned with it keep their lines)."""
    product = require_product(session, workspace_id, product_id)
    product.active = False
    session.flush()
    return product


def import_csv(session: Session, workspace_id: int, raw: bytes, default_currency: str = "EUR") -> ImportReport:
    """Keep every good row of a product CSV and report each bad one by its line; nothing good is lost."""
    if len(raw) > MAX_CSV_BYTES:
        raise InvalidInput("The file is larger than 2 MB; split it.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "title" not in headers:
        raise InvalidInput(f"The first line must name the columns, with at least title ({', '.join(CSV_COLUMNS)}).")
    report = ImportReport()
    for row in reader:
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if not any(cells.values()):
            continue
        values = {
            "title": cells.get("title", ""), "variant_title": cells.get("variant") or None,
            "sku": cells.get("sku") or None, "price": cells.get("price", "").replace(",", "") or None,
            "currency": cells.get("currency") or default_currency, "image_url": cells.get("image_url") or None,
        }  # fmt: skip
        try:
            data = ProductIn.model_validate(values)
        except ValidationError as exc:
            problems = field_errors(exc)
            names = {"variant_title": "variant"}
            report.errors.append((reader.line_num, "; ".join(f"{names.get(k, k)} {v}" for k, v in problems.items())))
            continue
        _, added = save_product(session, workspace_id, data, ProductSource.csv)
        report.added += int(added)
        report.updated += int(not added)
    return report


def store_variants(session: Session, workspace_id: int, records: list[VariantRecord], at: datetime) -> int:
    """Insert or update store variants seen in a refresh; how many were new."""
    new = 0
    for record in records:
        product = session.scalar(
            select(GiftProduct).where(
                GiftProduct.workspace_id == workspace_id, GiftProduct.variant_gid == record.variant_gid
            )
        )
        if product is None:
            product = GiftProduct(workspace_id=workspace_id, source=ProductSource.shopify,
                                  variant_gid=record.variant_gid)  # fmt: skip
            session.add(product)
            new += 1
        product.product_gid, product.title, product.variant_title = (
            record.product_gid,
            record.title,
            record.variant_title,
        )
        product.sku, product.price, product.currency = record.sku, record.price, record.currency
        product.image_url, product.active, product.refreshed_at = record.image_url, True, at
    session.flush()
    return new


@dataclass
class RefreshResult:
    """A refresh of the store's products."""

    variants: int = 0
    new: int = 0
    gone: int = 0
    problems: list[str] = field(default_factory=list)


def refresh_from_store(session: Session, settings: Settings, workspace_id: int) -> RefreshResult:
    """Read every active store product (paged), store its variants, retire variants the store no longer has."""
    connection = shop.store_connection(session, workspace_id)
    if connection is None:
        raise InvalidInput("No Shopify store is connected; keep a product list by hand or upload a CSV.")
    started, result = utcnow(), RefreshResult()
    client = shop.connector(connection, settings)
    with client.client:
        for records, problems in product_pages(client):
            result.variants += len(records)
            result.new += store_variants(session, workspace_id, records, started)
            result.problems.extend(problems)
    gone = session.execute(
        update(GiftProduct)
        .where(
            GiftProduct.workspace_id == workspace_id,
            GiftProduct.source == ProductSource.shopify,
            GiftProduct.active.is_(True),
            GiftProduct.refreshed_at < started,
        )
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
    result.gone = int(gone.rowcount or 0)  # type: ignore[attr-defined]
    return result


def request_refresh(session: Session, workspace_id: int) -> None:
    """Queue a refresh of the store's products (the refresh button)."""
    if shop.store_connection(session, workspace_id) is None:
        raise InvalidInput("No Shopify store is connected; keep a product list by hand or upload a CSV.")
    queue.enqueue(session, REFRESH_JOB, {}, workspace_id=workspace_id, max_attempts=3)
