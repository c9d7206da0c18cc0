"""Instagram webhooks through the app: verification, signatures, duplicates, bursts, comments and mentions."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.config import Settings
from grassroots.connectors import service
from grassroots.connectors.models import Connection, WebhookDelivery
from grassroots.creators.models import Comment, Post, SocialAccount
from grassroots.db.session import session_scope
from grassroots.web.app import create_app
from tests.connectors.graph_server import FIXTURES, OWN_ID, TOKEN, GraphServer
from tests.support import workspace_id

APP_SECRET = "a1b2c3d4e5f6-app-secret"
VERIFY = "verify-me-please"


@pytest.fixture
def hook(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    """The app with the Instagram app secret and verify token in its settings."""
    settings = Settings(
        data_dir=tmp_path, secret_key="test-secret", instagram_app_secret=APP_SECRET, instagram_verify_token=VERIFY
    )
    with TestClient(create_app(engine, settings)) as client:
        yield client


def sign(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    return {"X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def synced(engine: Engine) -> int:
    """A connection whose own media were synced from the recorded world; returns its id."""
    with GraphServer() as graph:
        graph.standard(handles=())
        with session_scope(engine) as session:
            config = {"ig_user_id": OWN_ID, "base_url": graph.base_url, "hashtags": ""}
            connection = service.connect(session, workspace_id(engine), "instagram", {"access_token": TOKEN}, config)
            result = service.sync_connection(session, connection)
            assert result.status.value == "ok"
            return connection.id


def count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_subscription_handshake_echoes_the_challenge(hook: TestClient) -> None:
    ok = hook.get(
        "/webhooks/instagram",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.text == "1158201444"
    bad = hook.get(
        "/webhooks/instagram", params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
    )
    assert bad.status_code == 403
    assert hook.get("/webhooks/instagram", params={"hub.verify_token": VERIFY, "hub.challenge": "1"}).status_code == 403


def test_comment_delivery_is_stored_once_and_bad_signatures_are_refused(hook: TestClient, engine: Engine) -> None:
    synced(engine)
    body = (FIXTURES / "webhook_comment.json").read_bytes()
    assert hook.post("/webhooks/instagram", content=body).status_code == 401
    wrong = hook.post("/webhooks/instagram", content=body, headers=sign(body, "other-secret"))
    assert wrong.status_code == 401 and wrong.headers["content-type"].startswith("application/problem+json")
    tampered = hook.post("/webhooks/instagram", content=body.replace(b"buy", b"steal"), headers=sign(body))
    assert tampered.status_code == 401
    before = count(engine, Comment)
    first = hook.post("/webhooks/instagram", content=body, headers=sign(body))
    assert first.status_code == 200 and "accepted 1" in first.text
    again = hook.post("/webhooks/instagram", content=body, headers=sign(body))
    assert again.status_code == 200 and "duplicates 1" in again.text
    assert count(engine, Comment) == before + 1
    with session_scope(engine) as session:
        comment = session.scalars(select(Comment).where(Comment.external_id == "17850000000000099")).one()
        post = session.get_one(Post, comment.post_id)
        assert (comment.author_handle, comment.text, post.external_id) == (
            "new.fan",
            "Where can I buy this?",
            "17900000000000001",
        )


def test_a_burst_with_duplicates_loses_nothing(hook: TestClient, engine: Engine) -> None:
    synced(engine)
    template = json.loads((FIXTURES / "webhook_comment.json").read_text())
    unique = 150
    sent = 0
    for i in list(range(unique)) + list(range(0, unique, 3)):  # 150 new + 50 repeats = 200 deliveries
        change = template["entry"][0]["changes"][0]
        change["value"]["id"] = f"1785100000{i:06d}"
        change["value"]["text"] = f"comment number {i}"
        body = json.dumps(template).encode()
        assert hook.post("/webhooks/instagram", content=body, headers=sign(body)).status_code == 200
        sent += 1
    assert sent == 200
    with session_scope(engine) as session:
        stored = session.scalar(select(func.count()).where(Comment.external_id.like("1785100000%")))
        deliveries = session.scalar(select(func.count()).select_from(WebhookDelivery))
    assert stored == unique and deliveries == unique


def test_mention_is_queued_then_read_by_the_next_sync(hook: TestClient, engine: Engine) -> None:
    connection_id = synced(engine)
    body = (FIXTURES / "webhook_mention.json").read_bytes()
    assert "accepted 1" in hook.post("/webhooks/instagram", content=body, headers=sign(body)).text
    with session_scope(engine) as session:
        assert session.scalars(select(WebhookDelivery.status)).all() == ["queued"]
    with GraphServer() as graph:
        graph.standard(handles=())
        with session_scope(engine) as session:
            connection = session.get_one(Connection, connection_id)
            connection.config = {**connection.config, "base_url": graph.base_url}
            session.commit()
            result = service.sync_connection(session, connection)
        assert graph.calls(OWN_ID, "mentioned_media.media_id(17900000000000401)")
    assert result.status.value == "ok"
    with session_scope(engine) as session:
        assert session.scalars(select(WebhookDelivery.status)).all() == ["processed"]
        lena = session.scalars(select(SocialAccount).where(SocialAccount.handle == "lena.skin")).one()
        posts = session.scalars(select(Post.external_id).where(Post.account_id == lena.id)).all()
        assert "17900000000000401" in posts


def test_delivery_for_an_unknown_account_is_answered_not_stored(hook: TestClient, engine: Engine) -> None:
    # Signed with the instance's app secret but for an account nobody connected: no workspace to keep it for.
    body = (FIXTURES / "webhook_comment.json").read_bytes().replace(OWN_ID.encode(), b"17841499999999999")
    response = hook.post("/webhooks/instagram", content=body, headers=sign(body))
    assert response.status_code == 200 and "unrouted 1" in response.text
    assert count(engine, WebhookDelivery) == 0
    garbage = b'{"object": "instagram"}'
    refused = hook.post("/webhooks/instagram", content=garbage, headers=sign(garbage))
    assert refused.status_code == 400
