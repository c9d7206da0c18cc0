"""Instagram webhooks: subscription check, signature check, and exactly-once handling of comments and mentions."""

from __future__ import annotations

import json
import logging
import secrets as stdlib_secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from grassroots.config import Settings
from grassroots.connectors import repository
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.connectors.store import CommentRecord, upsert_comments
from grassroots.connectors.webhooks import (
    BadSignature,
    MalformedDelivery,
    finish,
    read_body,
    store_delivery,
    verify_hmac_sha256,
)
from grassroots.creators.models import Post, SocialAccount
from grassroots.db.session import session_scope, write_unit
from grassroots.errors import Forbidden, GrassrootsError
from grassroots.web.paths import Id

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


def verify_subscription(expected: str, mode: str | None, token: str | None, challenge: str | None) -> str:
    """Meta's subscription handshake: echo ``hub.challenge`` when ``hub.verify_token`` is ``expected``."""
    valid = bool(expected) and bool(token) and stdlib_secrets.compare_digest(expected, token or "")
    if mode != "subscribe" or not valid or challenge is None:
        raise Forbidden("webhook verification failed: hub.mode must be 'subscribe' and hub.verify_token must match")
    return challenge


def connection_verify_token(session: Session, connection_id: int) -> str:
    """The verify token of one Instagram connection (its own subscription URL checks only this one)."""
    connection = session.get(Connection, connection_id)
    if connection is None or connection.provider != PROVIDER:
        return ""
    return str((connection.config or {}).get("verify_token") or "")


def _app_secret(connection: Connection, settings: Settings) -> str:
    """The connection's own Meta app secret, else the instance's (GRASSROOTS_INSTAGRAM_APP_SECRET)."""
    try:
        own = decrypt_secret(connection.secret, settings=settings).get("app_secret") or ""
    except GrassrootsError:
        own = ""
    return own or settings.instagram_app_secret


def _signed(secret: str, raw_body: bytes, signature: str) -> bool:
    return verify_hmac_sha256(secret, raw_body, signature, encoding="hex", prefix="sha256=")


def delivery_key(entry: dict[str, Any], change: dict[str, Any]) -> str:
    """A stable idempotency key: the account, the field and the changed object's id (or the time)."""
    value = change.get("value") or {}
    ref = value.get("id") or value.get("comment_id") or value.get("media_id")
    return f"{entry.get('id')}:{change.get('field')}:{ref or entry.get('time')}"


def _entries(raw_body: bytes) -> list[dict[str, Any]]:
    try:
        body = json.loads(raw_body)
        entries = body["entry"] if isinstance(body, dict) else None
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise MalformedDelivery("the webhook body is not an Instagram notification (no entry list)") from None
    return entries


def receive(
    engine: Engine, settings: Settings, raw_body: bytes, signature: str, connection_id: int | None = None
) -> WebhookResult:
    """Verify each change with the secret of the connection it is routed to, store it, then process it.

    A change is routed to the Instagram connections (of any workspace, or only ``connection_id``) whose
    ``ig_user_id`` is the entry's id, and kept only for those whose own app secret signs the body: another
    workspace's secret can neither write here nor use up this workspace's delivery ids. A body signed with
    the instance's app secret for an account nobody connected is answered and dropped (``unrouted``).
    """
    entries = _entries(raw_body)

    def store(session: Session) -> tuple[WebhookResult, list[int]]:
        result, stored = WebhookResult(), []
        candidates = [c for c in repository.connections_of(session, PROVIDER) if connection_id in (None, c.id)]
        verified = {c.id for c in candidates if _signed(_app_secret(c, settings), raw_body, signature)}
        if not verified and not _signed(settings.instagram_app_secret, raw_body, signature):
            raise BadSignature("the X-Hub-Signature-256 signature is missing or does not match")
        for entry in entries:
            routed = [c for c in candidates if str(c.config.get("ig_user_id")) == str(entry.get("id"))]
            if routed and not any(c.id in verified for c in routed):
                # Signed, but not by the app of the account it names: another workspace's secret.
                raise BadSignature("the X-Hub-Signature-256 signature is not from this account's app")
            changes = [c for c in entry.get("changes") or [] if isinstance(c, dict)]
            result.unrouted += 0 if routed else len(changes)
            for connection in (c for c in routed if c.id in verified):
                for change in changes:
                    key, topic = delivery_key(entry, change), str(change.get("field") or "")
                    row = store_delivery(session, connection, key, topic, payload=_payload(entry, change))
                    if row is None:
                        result.duplicates += 1
                        continue
                    session.flush()
                    stored.append(row.id)
        return result, stored

    result, stored = write_unit(engine, store)
    for delivery_id in stored:
        write_unit(engine, partial(_process, delivery_id=delivery_id))
        result.accepted += 1
    return result


def _payload(entry: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = change["value"] if isinstance(change.get("value"), dict) else {}
    payload: dict[str, Any] = {"time": entry.get("time"), "value": value}
    if change.get("field") == "mentions" and value.get("media_id"):
        payload["media_id"] = str(value["media_id"])  # what the next sync reads
    return payload


def _process(session: Session, delivery_id: int) -> None:
    delivery = session.get_one(WebhookDelivery, delivery_id)
    connection = session.get_one(Connection, delivery.connection_id)
    payload = delivery.payload or {}
    value = payload.get("value") or {}
    if delivery.topic == "comments":
        finish(delivery, _comment(session, connection, payload.get("time"), value))
    elif delivery.topic == "mentions":
        # Reading the media needs an API call: the row keeps its media id and the next sync reads it.
        finish(
            delivery, "queued" if value.get("media_id") else "skipped", None if value.get("media_id") else "no media_id"
        )
    else:
        finish(delivery, "ignored")


def _comment(session: Session, connection: Connection, time: Any, value: dict[str, Any]) -> str:
    media_id = str((value.get("media") or {}).get("id") or "")
    author = str((value.get("from") or {}).get("username") or "")
    if not value.get("id") or not media_id or not author:
        return "skipped"
    post = session.scalar(
        select(Post)
        .join(SocialAccount, SocialAccount.id == Post.account_id)
        .where(Post.workspace_id == connection.workspace_id, Post.external_id == media_id)
    )
    if post is None:
        return "deferred"  # the media is not synced yet; the next sync reads its comments
    account = session.get(SocialAccount, post.account_id)
    assert account is not None
    when = datetime.fromtimestamp(int(time), UTC) if time else datetime.now(UTC)
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
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> Response:
    """Meta's subscription check for the instance's app (GRASSROOTS_INSTAGRAM_VERIFY_TOKEN)."""
    echo = verify_subscription(request.app.state.settings.instagram_verify_token, mode, token, challenge)
    return PlainTextResponse(echo)


@router.get("/webhooks/instagram/{connection_id}")
def instagram_verify_connection(
    request: Request,
    connection_id: Id,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> Response:
    """Meta's subscription check for one connection's own app: only that connection's verify token passes."""
    with session_scope(request.app.state.engine) as session:
        expected = connection_verify_token(session, connection_id)
    return PlainTextResponse(verify_subscription(expected, mode, token, challenge))


async def _deliver(request: Request, connection_id: int | None) -> Response:
    settings = request.app.state.settings
    raw = await read_body(request, settings.webhook_max_bytes)
    signature = request.headers.get(SIGNATURE_HEADER) or ""
    result = await run_in_threadpool(receive, request.app.state.engine, settings, raw, signature, connection_id)
    return PlainTextResponse(f"accepted {result.accepted}, duplicates {result.duplicates}, unrouted {result.unrouted}")


@router.post("/webhooks/instagram")
async def instagram_delivery(request: Request) -> Response:
    """A signed delivery: each change is verified with the secret of the connection it belongs to, once."""
    return await _deliver(request, None)


@router.post("/webhooks/instagram/{connection_id}")
async def instagram_connection_delivery(request: Request, connection_id: Id) -> Response:
    """A delivery to one connection's own URL: only that connection's secret and account count."""
    return await _deliver(request, connection_id)
