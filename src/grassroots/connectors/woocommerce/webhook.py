"""The WooCommerce orders webhook: ``POST /webhooks/woocommerce``, verified with ``X-WC-Webhook-Signature``."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request

from grassroots.connectors.webhooks import Hook, handle, hook_header
from grassroots.connectors.woocommerce.mapping import order_from_woo
from grassroots.web.deps import DB

router = APIRouter(include_in_schema=False)

WOOCOMMERCE = Hook(
    "woocommerce", "x-wc-webhook-signature", "x-wc-webhook-delivery-id", "x-wc-webhook-topic", "x-wc-webhook-source",
    "store_url", "webhook_secret", order_from_woo,
)  # fmt: skip


def is_woocommerce_ping(headers: Mapping[str, str], raw_body: bytes) -> bool:
    """WooCommerce's unsigned test delivery sent when a webhook is saved: the body is just ``webhook_id=N``."""
    return hook_header(headers, WOOCOMMERCE.signature) == "" and raw_body.strip().startswith(b"webhook_id=")


@router.post("/webhooks/woocommerce")
async def woocommerce_webhook(request: Request, db: DB) -> dict[str, str]:
    """order.created and order.updated: 401 unless the signature matches; the unsigned ping is answered 200."""
    raw = await request.body()
    if is_woocommerce_ping(request.headers, raw):
        return {"status": "ping"}
    return {"status": handle(db, request.app.state.settings, WOOCOMMERCE, request.headers, raw)}
