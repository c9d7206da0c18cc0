"""The Shopify orders webhook: ``POST /webhooks/shopify``, verified with ``X-Shopify-Hmac-Sha256`` on the raw body."""

from __future__ import annotations

from fastapi import APIRouter, Request

from grassroots.connectors.shopify.mapping import order_from_rest
from grassroots.connectors.webhooks import Hook, handle
from grassroots.web.deps import DB

router = APIRouter(include_in_schema=False)

SHOPIFY = Hook(
    "shopify", "x-shopify-hmac-sha256", "x-shopify-webhook-id", "x-shopify-topic", "x-shopify-shop-domain", "shop",
    "client_secret", order_from_rest,
)  # fmt: skip


@router.post("/webhooks/shopify")
async def shopify_webhook(request: Request, db: DB) -> dict[str, str]:
    """orders/create, orders/updated and orders/paid: 401 unless the HMAC matches; duplicates answered 200."""
    raw = await request.body()
    return {"status": handle(db, request.app.state.settings, SHOPIFY, request.headers, raw)}
