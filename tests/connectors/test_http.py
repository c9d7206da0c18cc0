"""The shared connector core: HTTP client retries and redaction, secrets at rest, signatures, upserts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import Engine, func, select

from grassroots.config import Settings
from grassroots.connectors.credentials import CredentialsUnreadable, decrypt_secret, encrypt_secret
from grassroots.connectors.http import ApiClient, ApiError, AuthFailed, RateLimited, redact
from grassroots.connectors.store import (
    AccountRecord,
    CommentRecord,
    PostRecord,
    record_snapshot,
    upsert_account,
    upsert_comments,
    upsert_posts,
)
from grassroots.connectors.webhooks import verify_hmac_sha256
from grassroots.creators.models import Comment, Creator, FollowerSnapshot, Platform
from grassroots.db.session import session_scope
from tests.support import workspace_id

SECRET = "shpat_0123456789abcdef"


def scripted(*responses: httpx.Response | Exception) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering with the given responses in order (the last repeats)."""
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return httpx.MockTransport(handler), seen


def test_retries_429_and_5xx_honouring_retry_after() -> None:
    transport, seen = scripted(
        httpx.Response(429, headers={"Retry-After": "3"}, json={"errors": "Throttled"}),
        httpx.Response(503, text="busy"),
        httpx.Response(200, json={"ok": True}),
    )
    slept: list[float] = []
    client = ApiClient("https://shop.example", transport=transport, sleep=slept.append, backoff=0.5)
    assert client.get_json("/orders.json") == {"ok": True}
    assert len(seen) == 3 and slept[0] == 3.0 and 1.0 <= slept[1] <= 1.5


def test_gives_up_with_clear_errors_and_never_shows_secrets() -> None:
    transport, _ = scripted(httpx.Response(429, json={"error": {"message": f"slow {SECRET}"}}))
    client = ApiClient("https://x.example", transport=transport, sleep=lambda s: None, max_retries=2, secrets=[SECRET])
    with pytest.raises(RateLimited) as limited:
        client.get_json("/a")
    assert SECRET not in limited.value.detail
    transport, _ = scripted(httpx.Response(401, json={"error": {"message": f"bad {SECRET}"}}))
    with pytest.raises(AuthFailed, match="reconnect") as auth:
        ApiClient("https://x.example", transport=transport, secrets=[SECRET]).get_json("/a")
    assert SECRET not in str(auth.value)
    transport, seen = scripted(httpx.ConnectError(f"refused https://x.example/?access_token={SECRET}"))
    with pytest.raises(ApiError) as net:
        ApiClient("https://x.example", transport=transport, sleep=lambda s: None, max_retries=1).get_json("/a")
    assert len(seen) == 2 and SECRET not in net.value.detail and "network error" in net.value.detail
    assert redact(f"url?access_token={SECRET}&a=1") == "url?access_token=***&a=1"


def test_too_long_retry_after_stops_instead_of_sleeping() -> None:
    transport, _ = scripted(httpx.Response(429, headers={"Retry-After": "3600"}))
    slept: list[float] = []
    client = ApiClient("https://x.example", transport=transport, sleep=slept.append, max_wait=60)
    with pytest.raises(RateLimited, match="3600"):
        client.get_json("/a")
    assert slept == []


def test_secrets_round_trip_and_a_changed_key_is_a_clear_error(tmp_path: object) -> None:
    one = Settings(secret_key="first-key", data_dir=tmp_path)  # type: ignore[arg-type]
    blob = encrypt_secret({"access_token": SECRET}, settings=one)
    assert SECRET.encode() not in blob
    assert decrypt_secret(blob, settings=one) == {"access_token": SECRET}
    other = Settings(secret_key="second-key", data_dir=tmp_path)  # type: ignore[arg-type]
    with pytest.raises(CredentialsUnreadable, match="connect the provider again"):
        decrypt_secret(blob, settings=other)


def test_hmac_signatures_hex_and_base64() -> None:
    body = b'{"id": 1}'
    hex_sig = "sha256=1b0d1d1a3ad3e2d5e4b2c64de0c1e0f0b6f71d6b1a1b0f4e0b5a8c2f6c7c3e2a"
    assert not verify_hmac_sha256("s3cret", body, hex_sig, encoding="hex", prefix="sha256=")
    import base64
    import hashlib
    import hmac

    digest = hmac.new(b"s3cret", body, hashlib.sha256).digest()
    assert verify_hmac_sha256("s3cret", body, "sha256=" + digest.hex(), encoding="hex", prefix="sha256=")
    assert verify_hmac_sha256("s3cret", body, base64.b64encode(digest).decode(), encoding="base64")
    assert not verify_hmac_sha256("s3cret", body + b" ", base64.b64encode(digest).decode(), encoding="base64")
    assert not verify_hmac_sha256("", body, "", encoding="base64")


def test_upserts_are_idempotent_and_keyed_on_platform_ids(engine: Engine) -> None:
    ws = workspace_id(engine)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    record = AccountRecord(Platform.instagram, "@Ana.Glow", external_id="42", followers=900, following=10)
    posts = [PostRecord("p1", when, caption="hi #Ad @Glow"), PostRecord("p2", when, likes=None, comments=3)]
    with session_scope(engine) as session:
        account, created = upsert_account(session, ws, record)
        assert created and account.handle == "ana.glow"
        assert upsert_posts(session, account, posts) == (2, 0)
        assert upsert_comments(session, account, [CommentRecord("c1", "p1", "@Mo", "nice", when, 2)]) == (1, 0)
        assert upsert_comments(session, account, [CommentRecord("c9", "unknown", "x", "y", when)]) == (0, 0)
        assert record_snapshot(session, account, date(2026, 11, 2), 900, 10)
    with session_scope(engine) as session:
        renamed = AccountRecord(Platform.instagram, "ana.new", external_id="42", followers=950)
        account, created = upsert_account(session, ws, renamed)
        assert not created and account.handle == "ana.new" and account.followers == 950
        assert upsert_posts(session, account, posts) == (0, 0)
        assert upsert_posts(session, account, [PostRecord("p2", when, likes=7, comments=3)]) == (0, 1)
        assert upsert_comments(session, account, [CommentRecord("c1", "p1", "mo", "nice", when, 2)]) == (0, 0)
        assert not record_snapshot(session, account, date(2026, 11, 2), 950, 10)
        creator = session.get_one(Creator, account.creator_id)
        assert (creator.primary_handle, creator.followers) == ("ana.new", 950)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Comment)) == 1
        snapshot = session.scalars(select(FollowerSnapshot)).one()
        assert snapshot.followers == 950
