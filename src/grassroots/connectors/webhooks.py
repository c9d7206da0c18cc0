"""Webhook plumbing shared by providers: signature checks, exactly-once acceptance of deliveries, and the
order deliveries of the stores (each store's ``webhook.py`` describes its headers as a ``Hook``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors import repository
from grassroots.connectors.commerce import Malformed
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.errors import GrassrootsError, InvalidInput, NotFound
from grassroots.tracking.records import OrderRecord
from grassroots.tracking.service import store_orders

log = logging.getLogger("grassroots.connectors.webhooks")
ORDER_TOPICS = {
    "shopify": ("orders/create", "orders/updated", "orders/paid"),
    "woocommerce": ("order.created", "order.updated"),
}


class BadSignature(GrassrootsError):
    """A webhook delivery's signature is missing or wrong: it is not from the provider."""

    status = 401
    title = "Bad signature"


def verify_hmac_sha256(
    secret: str, raw_body: bytes, signature: str, *, encoding: Literal["hex", "base64"], prefix: str = ""
) -> bool:
    """Whether ``signature`` is HMAC-SHA256(raw_body, secret) as hex or base64 after ``prefix``; constant time."""
    if not secret or not signature or not signature.startswith(prefix):
        return False
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    expected = digest.hex() if encoding == "hex" else base64.b64encode(digest).decode()
    sent = signature[len(prefix) :].strip()
    if encoding == "hex":
        sent = sent.lower()
    return hmac.compare_digest(sent.encode(), expected.encode())


def accept_delivery(
    session: Session,
    provider: str,
    delivery_id: str,
    topic: str,
    workspace_id: int | None,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Record a delivery (with an optional payload to process later); False when it was already seen."""
    key = delivery_id[:200]
    seen = session.scalar(
        select(WebhookDelivery.id).where(WebhookDelivery.provider == provider, WebhookDelivery.delivery_id == key)
    )
    if seen is not None:
        return False
    try:
        # A savepoint: a concurrent duplicate loses on the unique key without undoing the caller's work.
        with session.begin_nested():
            session.add(
                WebhookDelivery(
                    provider=provider, delivery_id=key, topic=topic[:100], workspace_id=workspace_id, payload=payload
                )
            )
    except IntegrityError:
        return False
    return True


def finish_delivery(session: Session, provider: str, delivery_id: str, status: str) -> None:
    """Set a recorded delivery's status (processed, ignored, failed…)."""
    delivery = session.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.provider == provider, WebhookDelivery.delivery_id == delivery_id[:200]
        )
    )
    if delivery is not None:
        delivery.status = status[:20]


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


def _same_shop(configured: str, sent: str) -> bool:
    def norm(value: str) -> str:
        return value.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")

    return bool(configured) and norm(configured) == norm(sent)


def _connection(session: Session, hook: Hook, shop: str) -> Connection:
    for connection in repository.connections_of(session, hook.provider):
        if _same_shop(str((connection.config or {}).get(hook.config_key) or ""), shop):
            return connection
    raise NotFound(f"no {hook.provider} connection for {shop or 'an unnamed shop'}")


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
