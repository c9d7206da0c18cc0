"""Webhook plumbing shared by providers: signature checks and exactly-once acceptance of deliveries."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.connectors.models import WebhookDelivery
from grassroots.errors import GrassrootsError


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
