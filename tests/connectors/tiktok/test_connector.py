"""The TikTok Display API v2 connector against a fake API answering with recorded-shape responses (not live)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from grassroots.connectors import repository, service
from grassroots.connectors.base import SyncSummary, no_progress
from grassroots.connectors.http import ApiError, AuthFailed
from grassroots.connectors.models import Connection, ConnectionStatus, RunStatus
from grassroots.connectors.tiktok.connector import TikTokConnector, check, video_record
from grassroots.creators.models import FollowerSnapshot, Post, SocialAccount
from grassroots.db.session import session_scope
from tests.support import FIXTURES, workspace_id

FIXTURES = FIXTURES / "tiktok"
TOKEN = "act.TESTtokenValue0123456789abcdefABCDEF"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


class FakeTikTok:
    """/v2/user/info/ and /v2/video/list/ (cursor in the JSON body); ``fail`` queues error replies per path."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.fail: dict[str, list[tuple[int, str]]] = {}
        self.bodies: list[dict[str, Any]] = []
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls[path] += 1
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return httpx.Response(401, json=fixture("error_access_token_invalid"))
        if self.fail.get(path):
            status, name = self.fail[path].pop(0)
            return httpx.Response(status, json=fixture(name), headers={"Retry-After": "1"} if status == 429 else {})
        assert "fields" in request.url.params
        if path == "/v2/user/info/" and request.method == "GET":
            return httpx.Response(200, json=fixture("user_info"))
        if path == "/v2/video/list/" and request.method == "POST":
            body = json.loads(request.content)
            self.bodies.append(body)
            assert body["max_count"] <= 20
            return httpx.Response(200, json=fixture(f"video_list_{body.get('cursor', 'first')}"))
        return httpx.Response(
            404, json={"data": {}, "error": {"code": "not_found", "message": "no route", "log_id": "x"}}
        )


def connect(engine: Engine, token: str = TOKEN) -> int:
    with session_scope(engine) as session:
        return service.connect(session, workspace_id(engine), "tiktok", {"access_token": token}, {}).id


def run(engine: Engine, connection_id: int, fake: FakeTikTok, sleeps: list[float] | None = None) -> SyncSummary:
    with session_scope(engine) as session:
        connector = TikTokConnector(session.get_one(Connection, connection_id), {"access_token": TOKEN},
                                    transport=fake.transport)  # fmt: skip
        connector.sleep = (sleeps if sleeps is not None else []).append
        connector.now = lambda: datetime(2024, 5, 10, tzinfo=UTC)
        return connector.sync(session, no_progress)


def count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_sync_pages_with_cursor_to_the_end_and_skips_malformed_videos(engine: Engine) -> None:
    fake = FakeTikTok()
    conn = connect(engine)
    summary = run(engine, conn, fake)
    assert [b.get("cursor") for b in fake.bodies] == [None, 1715150000000, 1715050000000]
    assert {s.item: s.reason for s in summary.skipped} == {
        "@glowwithana video 7350000000000000002": "malformed video: video without id or create_time"
    }
    assert summary.new == 5  # the account and 4 videos
    with session_scope(engine) as session:
        account = session.scalars(select(SocialAccount)).one()
        assert (account.handle, account.followers, account.following, account.posts_count) == (
            "glowwithana",
            5230,
            151,
            5,
        )
        assert account.external_id == "723f24d7-e717-40f8-a2b6-cb8464cd23b4"
        posts = {p.external_id: p for p in session.scalars(select(Post))}
        grwm = posts["7350000000000000004"]
        assert (grwm.views, grwm.likes, grwm.comments, grwm.shares) == (15400, 820, 33, 12)
        assert grwm.sponsored is True and grwm.caption == "GRWM with my favourite balm #ad @calmskin"
        assert grwm.posted_at == datetime.fromtimestamp(1715150000, UTC)
        assert session.scalar(select(func.count()).select_from(FollowerSnapshot)) == 1
        state = repository.get_cursor(session, session.get_one(Connection, conn), "videos")
    assert json.loads(state or "{}") == {"newest": 1715250000, "cursor": None, "pass_newest": None}


def test_resync_is_incremental_and_idempotent(engine: Engine) -> None:
    conn = connect(engine)
    run(engine, conn, FakeTikTok())
    before = (count(engine, SocialAccount), count(engine, Post), count(engine, FollowerSnapshot))
    fake = FakeTikTok()
    summary = run(engine, conn, fake)
    assert (count(engine, SocialAccount), count(engine, Post), count(engine, FollowerSnapshot)) == before
    assert (summary.new, summary.updated) == (0, 0) and fake.calls["/v2/video/list/"] == 1  # stops at the newest


def test_rate_limit_429_is_retried_with_retry_after(engine: Engine) -> None:
    fake = FakeTikTok()
    fake.fail["/v2/video/list/"] = [(429, "error_rate_limit_exceeded")]
    sleeps: list[float] = []
    run(engine, connect(engine), fake, sleeps)
    assert sleeps == [1.0] and count(engine, Post) == 4


def test_invalid_token_marks_the_connection_for_reconnect_without_leaking_it(engine: Engine) -> None:
    conn = connect(engine, token="act.WRONGtoken0000000000")
    with session_scope(engine) as session:
        result = service.sync_connection(session, session.get_one(Connection, conn), transport=FakeTikTok().transport)
    assert result.status is RunStatus.failed and result.error is not None
    assert "access_token_invalid" in result.error and "WRONGtoken" not in result.error
    with session_scope(engine) as session:
        assert session.get_one(Connection, conn).status == ConnectionStatus.auth_failed.value


def test_error_object_in_a_200_answer_is_an_error() -> None:
    with pytest.raises(AuthFailed, match="scope_not_authorized"):
        check(fixture("error_scope_not_authorized"))
    with pytest.raises(ApiError, match="rate_limit_exceeded"):
        check(fixture("error_rate_limit_exceeded"))
    assert check(fixture("user_info"))["user"]["username"] == "glowwithana"
    with pytest.raises(ValueError):
        video_record({"id": "1", "create_time": "yesterday"})
