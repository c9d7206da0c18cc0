"""Webhook plumbing shared by providers: bounded body reading, signature checks, and the delivery inbox.

A delivery is answered 2xx only after it is verified with the secret of the connection it belongs to and
stored durably (``store_delivery`` + commit); processing runs from the stored row, and a delivery whose
processing failed is processed again when the provider retries it (its id is not used up).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any, Literal

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.db.base import utcnow
from grassroots.errors import GrassrootsError

# A delivery in one of these states is finished: a repeat of it is a duplicate.
DONE = frozenset({"processed", "ignored", "rejected", "queued", "deferred", "skipped"})


class BadSignature(GrassrootsError):
    """A webhook delivery's signature is missing or wrong (or names no connection): it is not from the provider."""

    status = 401
    title = "Bad signature"


class MalformedDelivery(GrassrootsError):
    """A signed delivery this webhook cannot read (no delivery id, not JSON, not an order): 400, not finished."""

    status = 400
    title = "Malformed delivery"


class PayloadTooLarge(GrassrootsError):
    """A request body over the route's limit, refused before it is read."""

    status = 413
    title = "Payload too large"


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, or PayloadTooLarge as soon as it (or its declared Content-Length) passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the body is larger than {limit:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the body is larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def header(headers: Mapping[str, str], name: str) -> str:
    """A header's value, stripped; empty when absent."""
    return (headers.get(name) or "").strip()


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


def store_delivery(
    session: Session,
    connection: Connection,
    delivery_id: str,
    topic: str,
    *,
    body: bytes | None = None,
    payload: dict[str, Any] | None = None,
) -> WebhookDelivery | None:
    """Record a verified delivery for ``connection``; None when this connection has already finished it.

    A delivery that was stored but not finished (processing failed, or the process died) is returned again,
    so the provider's retry processes it.
    """
    key = delivery_id[:200]
    existing = session.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.provider == connection.provider,
            WebhookDelivery.connection_id == connection.id,
            WebhookDelivery.delivery_id == key,
        )
    )
    if existing is not None:
        if existing.status in DONE:
            return None
        existing.body, existing.payload = body, payload  # the retry's verified body is the one to process
        return existing
    delivery = WebhookDelivery(
        provider=connection.provider, connection_id=connection.id, workspace_id=connection.workspace_id,
        delivery_id=key, topic=topic[:100], body=body, payload=payload,
    )  # fmt: skip
    try:
        # A savepoint: a concurrent duplicate loses on the unique key without undoing the caller's work.
        with session.begin_nested():
            session.add(delivery)
    except IntegrityError:
        return None
    return delivery


def finish(delivery: WebhookDelivery, status: str, error: str | None = None) -> None:
    """Record how processing a delivery ended (an unfinished status lets a retry process it again)."""
    delivery.status = status[:20]
    delivery.error = error[:2000] if error else None
    delivery.attempts += 1
    delivery.finished_at = utcnow()
