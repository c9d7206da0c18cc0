"""Shopify and WooCommerce order webhooks: route by shop, verify the raw body's HMAC, handle each delivery once."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors import repository
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.models import Connection
from grassroots.connectors.shopify_map import Malformed, order_from_rest
from grassroots.connectors.webhooks import BadSignature, accept_delivery, finish_delivery, verify_hmac_sha256
from grassroots.connectors.woocommerce import order_from_woo
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking.records import OrderRecord
from grassroots.tracking.service import store_orders

log = logging.getLogger("grassroots.connectors.commerce")
ORDER_TOPICS = {
    "shopify": ("orders/create", "orders/updated", "orders/paid"),
    "woocommerce": ("order.created", "order.updated"),
}


@dataclass(frozen=True)
class Hook:
    """How one provider signs and labels its deliveries."""

    provider: str
    signature: str
    delivery: str
    topic: str
    source: str
    config_key: str
    secret_key: str
    mapper: Callable[[dict[str, Any]], OrderRecord]


SHOPIFY = Hook(
    "shopify", "x-shopify-hmac-sha256", "x-shopify-webhook-id", "x-shopify-topic", "x-shopify-shop-domain", "shop",
    "client_secret", order_from_rest,
)  # fmt: skip
WOOCOMMERCE = Hook(
    "woocommerce", "x-wc-webhook-signature", "x-wc-webhook-delivery-id", "x-wc-webhook-topic", "x-wc-webhook-source",
    "store_url", "webhook_secret", order_from_woo,
)  # fmt: skip


def _same_shop(configured: str, sent: str) -> bool:
    def norm(value: str) -> str:
        return value.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")

    return bool(configured) and norm(configured) == norm(sent)


def _connection(session: Session, hook: Hook, shop: str) -> Connection:
    for connection in repository.connections_of(session, hook.provider):
        if _same_shop(str((connection.config or {}).get(hook.config_key) or ""), shop):
            return connection
    raise NotFound(f"no {hook.provider} connection for {shop or 'an unnamed shop'}")


def is_woocommerce_ping(headers: Mapping[str, str], raw_body: bytes) -> bool:
    """WooCommerce's unsigned test delivery sent when a webhook is saved: the body is just ``webhook_id=N``."""
    return hook_header(headers, WOOCOMMERCE.signature) == "" and raw_body.strip().startswith(b"webhook_id=")


def hook_header(headers: Mapping[str, str], name: str) -> str:
    """A header's value, empty when absent."""
    return (headers.get(name) or "").strip()


def handle(session: Session, settings: Settings, hook: Hook, headers: Mapping[str, str], raw_body: bytes) -> str:
    """Verify and process one delivery; returns processed, duplicate, ignored or skipped."""
    connection = _connection(session, hook, hook_header(headers, hook.source))
    secret = decrypt_secret(connection.secret, settings=settings).get(hook.secret_key, "")
    # The signature covers the raw bytes: check it before parsing anything.
    if not verify_hmac_sha256(secret, raw_body, hook_header(headers, hook.signature), encoding="base64"):
        raise BadSignature(f"the {hook.signature} header is missing or does not match the body")
    delivery_id, topic = hook_header(headers, hook.delivery), hook_header(headers, hook.topic)
    if not delivery_id:
        raise InvalidInput(f"the {hook.delivery} header is missing")
    if not accept_delivery(session, hook.provider, delivery_id, topic, connection.workspace_id):
        return "duplicate"
    if topic not in ORDER_TOPICS[hook.provider]:
        finish_delivery(session, hook.provider, delivery_id, "ignored")
        return "ignored"
    try:
        order = hook.mapper(json.loads(raw_body))
    except (Malformed, KeyError, TypeError, ValueError) as exc:
        log.warning("%s delivery %s skipped: %s", hook.provider, delivery_id, exc)
        finish_delivery(session, hook.provider, delivery_id, "skipped")
        return "skipped"
    store_orders(session, connection.workspace_id, [order])
    finish_delivery(session, hook.provider, delivery_id, "processed")
    return "processed"
