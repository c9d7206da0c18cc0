"""Instagram webhooks: subscription check, signature check, and exactly-once handling of comments and mentions."""

from __future__ import annotations

import json
import logging
import secrets as stdlib_secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.connectors import repository
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.connectors.store import CommentRecord, upsert_comments
from grassroots.connectors.webhooks import BadSignature, accept_delivery, finish_delivery, verify_hmac_sha256
from grassroots.creators.models import Post, SocialAccount
from grassroots.errors import Forbidden, GrassrootsError, InvalidInput
from grassroots.web.deps import DB

PROVIDER = "instagram"
SIGNATURE_HEADER = "x-hub-signature-256"
log = logging.getLogger("grassroots.connectors.instagram")
router = APIRouter(include_in_schema=False)


@dataclass
class WebhookResult:
    """What one POST did: changes accepted (processed or queued), duplicates ignored."""

    accepted: int = 0
    duplicates: int = 0
    unrouted: int = 0


def verify_subscription(
    session: Session, settings: Settings, mode: str | None, token: str | None, challenge: str | None
) -> str:
    """Meta's subscription handshake: echo ``hub.challenge`` when the verify token matches."""
    tokens = [settings.instagram_verify_token] + [
        str(c.config.get("verify_token") or "") for c in repository.connections_of(session, PROVIDER)
    ]
    valid = any(t and token and stdlib_secrets.compare_digest(t, token) for t in tokens)
    if mode != "subscribe" or not valid or challenge is None:
        raise Forbidden("webhook verification failed: hub.mode must be 'subscribe' and hub.verify_token must match")
    return challenge


def _app_secrets(session: Session, settings: Settings) -> list[str]:
    found = [settings.instagram_app_secret] if settings.instagram_app_secret else []
    for connection in repository.connections_of(session, PROVIDER):
        try:
            secret = decrypt_secret(connection.secret, settings=settings).get("app_secret")
        except GrassrootsError:
            continue
        if secret and secret not in found:
            found.append(secret)
    return found


def check_signature(session: Session, settings: Settings, raw_body: bytes, signature: str | None) -> None:
    """Raise BadSignature unless ``X-Hub-Signature-256`` is the HMAC of the raw body with an app secret."""
    candidates = _app_secrets(session, settings)
    if not candidates:
        raise BadSignature("no Instagram app secret is configured (GRASSROOTS_INSTAGRAM_APP_SECRET)")
    if not signature or not any(
        verify_hmac_sha256(s, raw_body, signature, encoding="hex", prefix="sha256=") for s in candidates
    ):
        raise BadSignature("the X-Hub-Signature-256 signature is missing or does not match")


def delivery_key(entry: dict[str, Any], change: dict[str, Any]) -> str:
    """A stable idempotency key: the account, the field and the changed object's id (or the time)."""
    value = change.get("value") or {}
    ref = value.get("id") or value.get("comment_id") or value.get("media_id")
    return f"{entry.get('id')}:{change.get('field')}:{ref or entry.get('time')}"


def handle_delivery(session: Session, raw_body: bytes) -> WebhookResult:
    """Record and process every change in a signed delivery; changes seen before are ignored."""
    try:
        body = json.loads(raw_body)
        entries = body["entry"] if isinstance(body, dict) else None
        if not isinstance(entries, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise InvalidInput("the webhook body is not an Instagram notification (no entry list)") from None
    result = WebhookResult()
    for entry in entries:
        connection = _connection_for(session, str(entry.get("id")))
        for change in entry.get("changes") or []:
            key = delivery_key(entry, change)
            topic = str(change.get("field") or "")
            value = change.get("value") or {}
            payload = (
                {"media_id": str(value.get("media_id"))} if topic == "mentions" and value.get("media_id") else None
            )
            workspace_id = connection.workspace_id if connection else None
            if not accept_delivery(session, PROVIDER, key, topic, workspace_id, payload):
                result.duplicates += 1
                continue
            if connection is None:
                result.unrouted += 1
                finish_delivery(session, PROVIDER, key, "unrouted")
                continue
            result.accepted += 1
            status = _process(session, connection, entry, topic, value)
            finish_delivery(session, PROVIDER, key, status)
    return result


def _connection_for(session: Session, ig_user_id: str) -> Connection | None:
    for connection in repository.connections_of(session, PROVIDER):
        if str(connection.config.get("ig_user_id")) == ig_user_id:
            return connection
    return None


def _process(session: Session, connection: Connection, entry: dict[str, Any], topic: str, value: dict[str, Any]) -> str:
    if topic == "comments":
        return _comment(session, connection, entry, value)
    if topic == "mentions":
        return _queue_mention(session, connection, value)
    return "ignored"


def _comment(session: Session, connection: Connection, entry: dict[str, Any], value: dict[str, Any]) -> str:
    media_id = str((value.get("media") or {}).get("id") or "")
    author = str((value.get("from") or {}).get("username") or "")
    if not value.get("id") or not media_id or not author:
        return "malformed"
    post = session.scalar(
        select(Post)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == connection.workspace_id, Post.external_id == media_id)
    )
    if post is None:
        return "deferred"  # the media is not synced yet; the next sync reads its comments
    account = session.get(SocialAccount, post.account_id)
    assert account is not None
    when = datetime.fromtimestamp(int(entry.get("time") or 0), UTC) if entry.get("time") else datetime.now(UTC)
    record = CommentRecord(str(value["id"]), media_id, author, str(value.get("text") or ""), when)
    upsert_comments(session, account, [record])
    return "processed"


def _queue_mention(session: Session, connection: Connection, value: dict[str, Any]) -> str:
    # Reading the media needs an API call: the delivery row keeps its media id and the next sync reads it.
    return "queued" if value.get("media_id") else "malformed"


def queued_mentions(session: Session, workspace_id: int) -> list[WebhookDelivery]:
    """Mention deliveries of a workspace waiting for the next sync, oldest first."""
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.provider == PROVIDER,
                WebhookDelivery.workspace_id == workspace_id,
                WebhookDelivery.topic == "mentions",
                WebhookDelivery.status == "queued",
            )
            .order_by(WebhookDelivery.id)
        )
    )


@router.get("/webhooks/instagram")
def instagram_verify(
    request: Request,
    db: DB,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> Response:
    """Meta's subscription check: echo the challenge when the verify token matches."""
    echo = verify_subscription(db, request.app.state.settings, mode, token, challenge)
    return PlainTextResponse(echo)


@router.post("/webhooks/instagram")
async def instagram_delivery(request: Request, db: DB) -> Response:
    """A signed delivery: 401 unless the signature matches; each change is handled once."""
    raw = await request.body()
    check_signature(db, request.app.state.settings, raw, request.headers.get(SIGNATURE_HEADER))
    result = handle_delivery(db, raw)
    return PlainTextResponse(f"accepted {result.accepted}, duplicates {result.duplicates}")
