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
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from fastapi import Request
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from grassroots.config import Settings
from grassroots.connectors import repository
from grassroots.connectors.commerce import Malformed, Rejected
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.inbox import Inbox
from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.connectors.webhooks import (
    DONE,
    BadSignature,
    MalformedDelivery,
    finish,
    header,
    read_body,
    store_delivery,
    verify_hmac_sha256,
)
from grassroots.db.session import session_scope, write_unit
from grassroots.errors import GrassrootsError
from grassroots.tracking.records import OrderRecord
from grassroots.tracking.service import store_orders

log = logging.getLogger("grassroots.connectors.webhooks")
MAX_ATTEMPTS = 5


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


HOOKS: dict[str, Hook] = {}  # each store's webhook module registers its Hook here


def register(hook: Hook) -> Hook:
    """Make a store's hook known to the inbox worker (which processes deliveries of any store)."""
    HOOKS[hook.provider] = hook
    return hook


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


def receive(
    engine: Engine, settings: Settings, hook: Hook, headers: Mapping[str, str], raw_body: bytes,
    inbox: Inbox | None = None,
) -> str:  # fmt: skip
    """Verify, read and store one delivery, then have it processed; returns its status.

    ``processed``, ``duplicate``, ``ignored``, ``rejected`` (stored with the reason), or ``accepted`` (stored
    and queued: processed shortly). Raises BadSignature (401) or MalformedDelivery (400: no delivery id, or a
    body that is not an order; nothing is stored, so a corrected retry is processed).
    """
    started = time.monotonic()
    delivery_id, topic = header(headers, hook.delivery), header(headers, hook.topic)

    def store(session: Session) -> tuple[list[int], bool]:
        connections = verified_connections(session, settings, hook, headers, raw_body)
        if not delivery_id:
            raise MalformedDelivery(f"the {hook.delivery} header is missing")
        reason = _readable(hook, topic, raw_body)  # after the signature: parse nothing unverified
        rows = [store_delivery(session, c, delivery_id, topic, body=raw_body) for c in connections]
        new = [row for row in rows if row is not None]
        for row in new:
            if reason is not None:
                finish(row, "rejected", reason)
        session.flush()
        return [row.id for row in new if reason is None], reason is not None and bool(new)

    pending, rejected = write_unit(engine, store)
    if rejected:
        return "rejected"
    if not pending:
        return "duplicate"
    # The wait counts from the request's start: time spent queueing for the database is part of it.
    wait = max(0.05, settings.webhook_wait_seconds - (time.monotonic() - started))
    statuses = inbox.submit(pending, wait) if inbox else process_batch(engine, pending)
    for status in ("processed", "accepted", "ignored", "rejected"):
        if status in statuses.values():
            return status
    return "accepted"


async def deliver(request: Request, hook: Hook, raw_body: bytes | None = None) -> dict[str, str]:
    """A store webhook route's work: read the body (bounded), then ``receive`` it off the event loop."""
    app = request.app.state
    raw = raw_body if raw_body is not None else await read_body(request, app.settings.webhook_max_bytes)
    status = await run_in_threadpool(receive, app.engine, app.settings, hook, request.headers, raw, app.webhook_inbox)
    return {"status": status}


def _readable(hook: Hook, topic: str, raw_body: bytes) -> str | None:
    """None when the body is what the topic needs; the reason when its values are impossible (Rejected)."""
    try:
        body = _json_object(raw_body)
        if topic in hook.order_topics:
            hook.mapper(body)
    except Rejected as exc:
        return str(exc)
    except (Malformed, KeyError, TypeError, ValueError) as exc:
        raise MalformedDelivery(f"the body is not what {topic or 'this webhook'} sends: {exc}") from None
    return None


def process_batch(engine: Engine, ids: list[int]) -> dict[int, str]:
    """Process stored deliveries in one transaction (orders of a workspace stored together); a batch that
    fails is split so one bad delivery cannot hold back the others, and the bad one is marked failed."""
    try:
        return write_unit(engine, partial(_process_rows, ids=ids))
    except Exception as exc:
        if len(ids) > 1:
            half = len(ids) // 2
            return process_batch(engine, ids[:half]) | process_batch(engine, ids[half:])
        log.exception("webhook delivery %s failed", ids[0])
        error = repr(exc)
        write_unit(engine, lambda session: finish(session.get_one(WebhookDelivery, ids[0]), "failed", error))
        return {ids[0]: "failed"}


def _process_rows(session: Session, ids: list[int]) -> dict[int, str]:
    stored = session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(ids))).all()
    # A row the sweep already finished keeps its status (it is reported, not processed again).
    statuses: dict[int, str] = {row.id: row.status for row in stored if row.status in DONE}
    rows = [row for row in stored if row.status not in DONE]
    orders: dict[int, dict[str, tuple[WebhookDelivery, OrderRecord]]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: r.id):
        hook = HOOKS[row.provider]
        if row.topic in hook.handlers:
            statuses[row.id] = hook.handlers[row.topic](session, row, _json_object(row.body or b""))
        elif row.topic not in hook.order_topics:
            statuses[row.id] = "ignored"
        else:
            order = hook.mapper(_json_object(row.body or b""))
            assert row.workspace_id is not None
            # One order twice in a batch (created, then updated): the newer version is stored, both are done.
            earlier = orders[row.workspace_id].get(order.external_id)
            if earlier is not None and not _newer(order, earlier[1]):
                statuses[row.id] = "processed"
            else:
                if earlier is not None:
                    statuses[earlier[0].id] = "processed"
                orders[row.workspace_id][order.external_id] = (row, order)
            continue
        finish(row, statuses[row.id])
    for workspace_id, by_id in orders.items():
        store_orders(session, workspace_id, [order for _, order in by_id.values()])
        for row, _ in by_id.values():
            statuses[row.id] = "processed"
    for row in rows:
        if row.status not in DONE:
            finish(row, statuses.get(row.id, "processed"))
    return statuses


def _newer(order: OrderRecord, than: OrderRecord) -> bool:
    """Whether ``order`` is at least as recent as ``than`` (the store's updated_at; without one, arrival order)."""
    if order.updated_at is None or than.updated_at is None:
        return True
    return order.updated_at >= than.updated_at


def pending_ids(engine: Engine) -> list[int]:
    """Stored deliveries still to process: never processed, or failed fewer than ``MAX_ATTEMPTS`` times."""
    with session_scope(engine) as session:
        return list(
            session.scalars(
                select(WebhookDelivery.id)
                .where(
                    WebhookDelivery.provider.in_(list(HOOKS)),
                    or_(
                        WebhookDelivery.status == "received",
                        (WebhookDelivery.status == "failed") & (WebhookDelivery.attempts < MAX_ATTEMPTS),
                    ),
                )
                .order_by(WebhookDelivery.id)
                .limit(500)
            )
        )


def _json_object(raw: bytes) -> dict[str, Any]:
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise Malformed(f"the body is a JSON {type(value).__name__}, not an object")
    return value
