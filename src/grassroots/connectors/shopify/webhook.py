"""The Shopify webhook: ``POST /webhooks/shopify`` (orders, refunds and ``customers/redact``), verified with
``X-Shopify-Hmac-Sha256`` on the raw body."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from grassroots.connectors.models import WebhookDelivery
from grassroots.connectors.orders_webhook import Hook, deliver, register
from grassroots.connectors.shopify.mapping import order_from_rest, refund_from_rest
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking.service import record_refund
from grassroots.workspaces.privacy import forget_customer

router = APIRouter(include_in_schema=False)


def redact_customer(session: Session, delivery: WebhookDelivery, body: dict[str, Any]) -> str:
    """``customers/redact``: the shop asks us to erase a customer (GDPR); orders and revenue stay, the person goes."""
    customer: dict[str, Any] = body["customer"] if isinstance(body.get("customer"), dict) else {}
    assert delivery.workspace_id is not None
    # Nothing (left) to erase is fine: a repeated request, or a customer we never stored.
    with contextlib.suppress(NotFound, InvalidInput):
        forget_customer(session, delivery.workspace_id, email=customer.get("email") or None,
                        external_id=str(customer.get("id") or "") or None, source="shopify")  # fmt: skip
    delivery.body = None  # the request itself names the customer
    return "processed"


def refund_order(session: Session, delivery: WebhookDelivery, body: dict[str, Any]) -> str:
    """``refunds/create``: the refund is recorded against the order of this delivery's workspace (once per id)."""
    assert delivery.workspace_id is not None
    record_refund(session, delivery.workspace_id, refund_from_rest(body))
    return "processed"


SHOPIFY = register(
    Hook(
    "shopify", "x-shopify-hmac-sha256", "x-shopify-webhook-id", "x-shopify-topic", "x-shopify-shop-domain", "shop",
    "client_secret", order_from_rest, ("orders/create", "orders/updated", "orders/paid"),
    {"customers/redact": redact_customer, "refunds/create": refund_order},
)
)  # fmt: skip


@router.post("/webhooks/shopify")
async def shopify_webhook(request: Request) -> dict[str, str]:
    """orders/create, orders/updated, orders/paid and refunds/create: 401 unless the HMAC matches; duplicates answered 200."""
    return await deliver(request, SHOPIFY)
