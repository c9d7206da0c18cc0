"""The Shopify webhook: ``POST /webhooks/shopify`` (orders, cancellations, refunds, ``customers/redact`` and
``shop/redact``), verified with ``X-Shopify-Hmac-Sha256`` on the raw body."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import delete
from sqlalchemy.orm import Session

from grassroots.connectors.models import Connection, ConnectionStatus, SyncState, WebhookDelivery
from grassroots.connectors.orders_webhook import Hook, deliver, register
from grassroots.connectors.shopify.mapping import order_from_rest, refund_from_rest
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking.models import CommerceSource
from grassroots.tracking.service import record_refund
from grassroots.tracking.store_data import forget_store_data
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


def redact_shop(session: Session, delivery: WebhookDelivery, body: dict[str, Any]) -> str:
    """``shop/redact`` (48 hours after the shop uninstalled the app): delete what the shop sent to this
    connection's workspace — Shopify orders, lines, refunds, customers, promo codes and the referrals and invites
    built on them, every other stored delivery of the connection and its sync cursors — and disable the
    connection. Other workspaces that connected the same shop are untouched (each gets its own delivery)."""
    assert delivery.workspace_id is not None and delivery.connection_id is not None
    forget_store_data(session, delivery.workspace_id, CommerceSource.shopify)
    session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.connection_id == delivery.connection_id, WebhookDelivery.id != delivery.id
        )
    )
    session.execute(delete(SyncState).where(SyncState.connection_id == delivery.connection_id))
    connection = session.get(Connection, delivery.connection_id)
    if connection is not None:
        connection.status = ConnectionStatus.disabled.value
    delivery.body = None
    return "processed"


SHOPIFY = register(
    Hook(
    "shopify", "x-shopify-hmac-sha256", "x-shopify-webhook-id", "x-shopify-topic", "x-shopify-shop-domain", "shop",
    "client_secret", order_from_rest, ("orders/create", "orders/updated", "orders/paid", "orders/cancelled"),
    {"customers/redact": redact_customer, "refunds/create": refund_order, "shop/redact": redact_shop},
)
)  # fmt: skip


@router.post("/webhooks/shopify")
async def shopify_webhook(request: Request) -> dict[str, str]:
    """Order, refund and privacy topics: 401 unless the HMAC matches; duplicates answered 200."""
    return await deliver(request, SHOPIFY)
