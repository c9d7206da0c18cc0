"""The Shopify orders webhook: ``POST /webhooks/shopify``, verified with ``X-Shopify-Hmac-Sha256`` on the raw body."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from grassroots.connectors.orders_webhook import Hook, receive
from grassroots.connectors.shopify.mapping import order_from_rest
from grassroots.connectors.webhooks import read_body

router = APIRouter(include_in_schema=False)

SHOPIFY = Hook(
    "shopify", "x-shopify-hmac-sha256", "x-shopify-webhook-id", "x-shopify-topic", "x-shopify-shop-domain", "shop",
    "client_secret", order_from_rest, ("orders/create", "orders/updated", "orders/paid"),
)  # fmt: skip


@router.post("/webhooks/shopify")
async def shopify_webhook(request: Request) -> dict[str, str]:
    """orders/create, orders/updated and orders/paid: 401 unless the HMAC matches; duplicates answered 200."""
    raw = await read_body(request, request.app.state.settings.webhook_max_bytes)
    # Verification, storage and processing touch the database: off the event loop, in the thread pool.
    status = await run_in_threadpool(
        receive, request.app.state.engine, request.app.state.settings, SHOPIFY, request.headers, raw
    )
    return {"status": status}
