"""Order deliveries of the stores (Shopify, WooCommerce): verify per connection, store, then process.

Each store's ``webhook.py`` describes its headers as a ``Hook`` and calls ``receive``. A delivery is routed
to every connection of the provider whose shop matches, and kept only for those whose own secret verifies
the signature: two workspaces that connect the same shop are verified independently, and a workspace can
never write into another's store with its own secret (docs/security.md). An unknown shop answers 401, like a
bad signature, so the answer does not reveal which shops are connected.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors import repository
from grassroots.connectors.commerce import Malformed, Rejected
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.connectors.webhooks import (
    BadSignature,
    MalformedDelivery,
    finish,
    header,
    store_delivery,
    verify_hmac_sha256,
)
from grassroots.db.session import write_unit
from grassroots.errors import GrassrootsError
from grassroots.tracking.records import OrderRecord
from grassroots.tracking.service import store_orders

log = logging.getLogger("grassroots.connectors.webhooks")


@dataclass(frozen=True)
class Hook:
    """How one store signs and labels its deliveries, and which topics carry orders."""

    provider: str
    signature: str
    delivery: str
    topic: str
    source: str
    config_key: str
    secret_key: str
    mapper: Callable[[dict[str, Any]], OrderRecord]
    order_topics: tuple[str, ...]
    # Other topics this store sends, each with what to do (Shopify's privacy webhooks); returns a status.
    handlers: Mapping[str, Callable[[Session, WebhookDelivery, dict[str, Any]], str]] = field(default_factory=dict)


def _norm(shop: str) -> str:
    return shop.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")


def verified_connections(
    session: Session, settings: Settings, hook: Hook, headers: Mapping[str, str], raw_body: bytes
) -> list[Connection]:
    """The connections this delivery is for: the shop matches AND the connection's own secret signs the body."""
    shop = _norm(header(headers, hook.source))
    signature = header(headers, hook.signature)
    found = []
    for connection in repository.connections_of(session, hook.provider):
        if not shop or _norm(str((connection.config or {}).get(hook.config_key) or "")) != shop:
            continue
        try:
            secret = decrypt_secret(connection.secret, settings=settings).get(hook.secret_key, "")
        except GrassrootsError:
            continue
        # The signature covers the raw bytes: it is checked before anything is parsed.
        if verify_hmac_sha256(secret, raw_body, signature, encoding="base64"):
            found.append(connection)
    if not found:
        raise BadSignature(f"the {hook.signature} header is missing or does not match the body")
    return found


def receive(engine: Engine, settings: Settings, hook: Hook, headers: Mapping[str, str], raw_body: bytes) -> str:
    """Verify, store durably, then process one delivery; returns processed, duplicate, ignored or rejected.

    Raises BadSignature (401), MalformedDelivery (400: no delivery id, or a body that is not an order; the
    delivery stays unfinished, so a corrected retry is processed) or the processing error (500, retried).
    """
    delivery_id, topic = header(headers, hook.delivery), header(headers, hook.topic)

    def store(session: Session) -> list[int | None]:
        connections = verified_connections(session, settings, hook, headers, raw_body)
        if not delivery_id:
            raise MalformedDelivery(f"the {hook.delivery} header is missing")
        rows = [store_delivery(session, c, delivery_id, topic, body=raw_body) for c in connections]
        session.flush()
        return [row.id if row is not None else None for row in rows]

    statuses = [_process(engine, hook, row_id) if row_id else "duplicate" for row_id in write_unit(engine, store)]
    if "malformed" in statuses:
        raise MalformedDelivery("the body is not an order this webhook can read; send it again when corrected")
    for status in ("processed", "rejected", "ignored"):
        if status in statuses:
            return status
    return "duplicate"


def _process(engine: Engine, hook: Hook, delivery_id: int) -> str:
    def work(session: Session) -> str:
        delivery = session.get_one(WebhookDelivery, delivery_id)
        if delivery.topic in hook.handlers:
            try:
                body = _json_object(delivery.body or b"")
            except (Malformed, ValueError) as exc:
                finish(delivery, "malformed", str(exc))
                return "malformed"
            status = hook.handlers[delivery.topic](session, delivery, body)
            finish(delivery, status)
            return status
        if delivery.topic not in hook.order_topics:
            finish(delivery, "ignored")
            return "ignored"
        try:
            order = hook.mapper(_json_object(delivery.body or b""))
        except Rejected as exc:
            log.warning("%s delivery %s rejected: %s", hook.provider, delivery.delivery_id, exc)
            finish(delivery, "rejected", str(exc))
            return "rejected"
        except (Malformed, KeyError, TypeError, ValueError) as exc:
            log.warning("%s delivery %s malformed: %s", hook.provider, delivery.delivery_id, exc)
            finish(delivery, "malformed", str(exc))
            return "malformed"
        assert delivery.workspace_id is not None
        store_orders(session, delivery.workspace_id, [order])
        finish(delivery, "processed")
        return "processed"

    try:
        return write_unit(engine, work)
    except Exception as exc:
        error = repr(exc)

        def failed(session: Session) -> None:
            finish(session.get_one(WebhookDelivery, delivery_id), "failed", error)

        write_unit(engine, failed)  # unfinished: the provider's retry processes it again
        raise


def _json_object(raw: bytes) -> dict[str, Any]:
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise Malformed(f"the body is a JSON {type(value).__name__}, not an object")
    return value
