"""Shopify and WooCommerce webhooks, the orders CSV import and discount-code creation (thin: services do the work)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from grassroots.connectors import commerce_webhooks as hooks
from grassroots.connectors import service
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.shopify import create_discount_code
from grassroots.connectors.webhooks import BadSignature
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking.models import DiscountKind
from grassroots.tracking.service import import_orders_csv
from grassroots.web.deps import DB, ApiWriter
from grassroots.web.problems import problem

router = APIRouter()


async def _deliver(request: Request, db: DB, hook: hooks.Hook) -> Response:
    raw = await request.body()
    if hook is hooks.WOOCOMMERCE and hooks.is_woocommerce_ping(request.headers, raw):
        return JSONResponse({"status": "ping"})
    try:
        status = hooks.handle(db, request.app.state.settings, hook, request.headers, raw)
    except (BadSignature, NotFound, InvalidInput) as exc:
        return problem(exc.status, exc.title, exc.detail)
    return JSONResponse({"status": status})


@router.post("/webhooks/shopify", include_in_schema=False)
async def shopify_webhook(request: Request, db: DB) -> Response:
    """orders/create and orders/updated: 401 unless X-Shopify-Hmac-Sha256 matches; duplicates answered 200."""
    return await _deliver(request, db, hooks.SHOPIFY)


@router.post("/webhooks/woocommerce", include_in_schema=False)
async def woocommerce_webhook(request: Request, db: DB) -> Response:
    """order.created and order.updated: 401 unless X-WC-Webhook-Signature matches; the ping is answered 200."""
    return await _deliver(request, db, hooks.WOOCOMMERCE)


@router.post("/api/v1/orders/import", tags=["orders"])
def import_orders(user: ApiWriter, db: DB, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """Import Shopify's "Export orders" CSV; bad rows are listed by line and their orders skipped."""
    result = import_orders_csv(db, user.workspace_id, file.file)
    return {
        "rows": result.rows,
        "new": result.new,
        "updated": result.updated,
        "skipped_orders": result.skipped_orders,
        "error_count": result.error_count,
        "errors": [{"line": e.line, "message": e.reason} for e in result.errors],
    }


class DiscountIn(BaseModel):
    """A discount code to create in the shop."""

    code: str = Field(min_length=1, max_length=100)
    kind: DiscountKind = DiscountKind.percentage
    value: Decimal = Field(gt=0)
    creator_id: int | None = None


@router.post("/api/v1/connections/{connection_id}/discount-codes", status_code=201, tags=["orders"])
def create_code(request: Request, connection_id: int, body: DiscountIn, user: ApiWriter, db: DB) -> dict[str, Any]:
    """Create a Shopify discount code (price rule + code) and store it as a PromoCode."""
    connection = service.require_connection(db, user.workspace_id, connection_id)
    if connection.provider != "shopify":
        raise InvalidInput("discount codes are created through a shopify connection")
    secrets = decrypt_secret(connection.secret, settings=request.app.state.settings)
    promo = create_discount_code(
        db, connection, secrets, code=body.code, kind=body.kind, value=body.value, creator_id=body.creator_id
    )
    return {"id": promo.id, "code": promo.code, "kind": promo.kind.value, "value": str(promo.value),
            "external_id": promo.external_id}  # fmt: skip
