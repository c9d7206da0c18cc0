"""The WooCommerce orders webhook: ``POST /webhooks/woocommerce``, verified with ``X-WC-Webhook-Signature``."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request

from grassroots.connectors.orders_webhook import Hook, deliver, register
from grassroots.connectors.webhooks import header, read_body
from grassroots.connectors.woocommerce.mapping import order_from_woo

router = APIRouter(include_in_schema=False)

WOOCOMMERCE = register(
    Hook(
    "woocommerce", "x-wc-webhook-signature", "x-wc-webhook-delivery-id", "x-wc-webhook-topic", "x-wc-webhook-source",
    "store_url", "webhook_secret", order_from_woo, ("order.created", "order.updated"),
)
)  # fmt: skip


def is_woocommerce_ping(headers: Mapping[str, str], raw_body: bytes) -> bool:
    """WooCommerce's unsigned test delivery sent when a webhook is saved: the body is just ``webhook_id=N``."""
    return header(headers, WOOCOMMERCE.signature) == "" and raw_body.strip().startswith(b"webhook_id=")


@router.post("/webhooks/woocommerce")
async def woocommerce_webhook(request: Request) -> dict[str, str]:
    """order.created and order.updated: 401 unless the signature matches; the unsigned ping is answered 200."""
    raw = await read_body(request, request.app.state.settings.webhook_max_bytes)
    if is_woocommerce_ping(request.headers, raw):
        return {"status": "ping"}
    return await deliver(request, WOOCOMMERCE, raw)
