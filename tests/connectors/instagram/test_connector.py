"""The Instagram connector against a local server answering with recorded-shape Graph API responses."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from grassroots.connectors import repository, service
from grassroots.connectors.base import no_progress
from grassroots.connectors.instagram import hashtag_budget
from grassroots.connectors.instagram.connector import InstagramConnector
from grassroots.connectors.models import Connection, RunStatus, SyncRun
from grassroots.creators.models import Comment, FollowerSnapshot, Post, SocialAccount
from grassroots.db.session import session_scope
from tests.connectors.graph_server import OWN_ID, TOKEN, GraphServer, Reply
from tests.support import workspace_id


@pytest.fixture
def graph() -> Iterator[GraphServer]:
    """The fake Graph API with the standard recorded world."""
    with GraphServer() as server:
        server.standard()
        yield server


def connect(engine: Engine, server: GraphServer, **config: str) -> int:
    """An Instagram connection pointed at the local server; returns its id."""
    settings = {
        "ig_user_id": OWN_ID,
        "base_url": server.base_url,
        "handles": "ana.glow, @friend.private",
        "hashtags": "#sensitiveskin",
        "page_size": "2",
        **config,
    }
    with session_scope(engine) as session:
        return service.connect(session, workspace_id(engine), "instagram", {"access_token": TOKEN}, settings).id


def run(engine: Engine, connection_id: int) -> service.SyncResult:
    """One sync through the service, as the CLI and the web run it."""
    with session_scope(engine) as session:
        return service.sync_connection(session, session.get_one(Connection, connection_id))


def count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def cursor(engine: Engine, connection_id: int, stream: str) -> str | None:
    with session_scope(engine) as session:
        return repository.get_cursor(session, session.get_one(Connection, connection_id), stream)


def test_first_sync_stores_profiles_media_comments_insights_and_advocates(engine: Engine, graph: GraphServer) -> None:
    result = run(engine, connect(engine, graph))
    assert result.status is RunStatus.ok, result.error
    s = result.summary
    # glowbrand + ana + kai + lena accounts, 3 own + 3 tagged + 5 discovered posts, 2 comments.
    assert (s.new, s.updated) == (17, 0)
    assert {k.item: k.reason for k in s.skipped} == {
        "@glowbrand media 17900000000000009": "malformed media: missing timestamp",
        "@friend.private": "not a Business or Creator account (or no such account)",
    }
    notes = {n.item: n.reason for n in s.notes}
    assert "like counts hidden on 1 post(s)" in notes["@ana.glow"]
    assert "Not enough viewers" in notes["insights of media 17900000000000002"]
    with session_scope(engine) as session:
        accounts = {a.handle: a for a in session.scalars(select(SocialAccount))}
        assert set(accounts) == {"glowbrand", "ana.glow", "kai.lifts", "lena.skin"}
        ana = accounts["ana.glow"]
        assert (ana.followers, ana.following, ana.external_id, ana.is_business) == (
            8400,
            512,
            "17841400000000042",
            True,
        )
        posts = {p.external_id: p for p in session.scalars(select(Post))}
        assert posts["17900000000000203"].likes == 0 and posts["17900000000000203"].kind.value == "reel"
        assert (posts["17900000000000001"].saves, posts["17900000000000001"].views) == (57, 2210)
        assert posts["17900000000000101"].sponsored and "glowbrand" in posts["17900000000000101"].mentions
        comments = session.scalars(select(Comment).order_by(Comment.external_id)).all()
        assert [(c.author_handle, c.post_id) for c in comments] == [
            ("ana.glow", posts["17900000000000001"].id),
            ("mo_in_toronto", posts["17900000000000001"].id),
        ]
        snapshots = session.scalars(select(FollowerSnapshot)).all()
        assert {s.account_id for s in snapshots} == {accounts["glowbrand"].id, ana.id}
        views = service.overview(session, workspace_id(engine))
        assert views[0].advocates == [("kai.lifts", 2), ("lena.skin", 1)]
    # Paging followed the cursors to the end; the token went as a parameter, never in a path.
    assert len(graph.calls(OWN_ID, "business_discovery.username(ana.glow)")) == 3
    assert graph.calls(f"{OWN_ID}/media", "after=QVFIUm93bl9hZnRlcjE")
    assert all(seen.query.get("access_token") == TOKEN and TOKEN not in seen.path for seen in graph.requests)
    media = json.loads(cursor(engine, result.connection_id, "hashtag:sensitiveskin") or "[]")
    assert [m["id"] for m in media] == ["17900000000000301", "17900000000000302"]


def test_second_sync_adds_no_rows(engine: Engine, graph: GraphServer) -> None:
    connection_id = connect(engine, graph)
    run(engine, connection_id)
    before = {model: count(engine, model) for model in (SocialAccount, Post, Comment, FollowerSnapshot)}
    searches = len(graph.calls("ig_hashtag_search"))
    again = run(engine, connection_id)
    assert again.status is RunStatus.ok
    assert (again.summary.new, again.summary.updated) == (0, 0)
    assert {model: count(engine, model) for model in before} == before
    # The hashtag was already searched this week: reading it again costs no new search.
    assert len(graph.calls("ig_hashtag_search")) == searches


def test_usage_header_near_quota_stops_cleanly_and_next_run_resumes(sqlite_engine: Engine, graph: GraphServer) -> None:
    full = {"x-app-usage": json.dumps({"call_count": 96, "total_cputime": 10, "total_time": 12})}
    ana = "business_discovery.username(ana.glow)"
    first_page = (
        "username(ana.glow){id,username,name,biography,website,followers_count,follows_count,media_count,media.limit(2)"
    )
    graph.add(OWN_ID, Reply("discovery_ana_page1", headers=full), "discovery_ana_page1", contains=first_page)
    connection_id = connect(sqlite_engine, graph)
    first = run(sqlite_engine, connection_id)
    assert first.status is RunStatus.quota and first.summary.stopped_at_quota
    assert "96 %" in (first.error or "")
    assert len(graph.calls(OWN_ID, ana)) == 1  # no call after the header said 96 %
    assert count(sqlite_engine, Post) == 3 + 3 + 2  # own, tagged, and the page that carried the header
    assert cursor(sqlite_engine, connection_id, "discovery:ana.glow") == "QVFIUmFuYWFmdGVyMQ"
    second = run(sqlite_engine, connection_id)
    assert second.status is RunStatus.ok
    assert "media.after(QVFIUmFuYWFmdGVyMQ)" in graph.calls(OWN_ID, ana)[1].raw_query
    assert count(sqlite_engine, Post) == 11


def test_rate_limit_error_code_stops_at_quota(sqlite_engine: Engine, graph: GraphServer) -> None:
    graph.add(f"{OWN_ID}/tags", Reply("error_rate_limited", 403))
    result = run(sqlite_engine, connect(sqlite_engine, graph))
    assert result.status is RunStatus.quota
    assert "Application request limit reached" in (result.error or "")
    assert count(sqlite_engine, Post) == 3  # own media stored before the limit


def test_server_error_on_page_three_keeps_pages_and_next_run_resumes(sqlite_engine: Engine, graph: GraphServer) -> None:
    graph.add(OWN_ID, Reply("error_server", 500), contains="media.after(QVFIUmFuYWFmdGVyMg)")
    connection_id = connect(sqlite_engine, graph, hashtags="")
    first = run(sqlite_engine, connection_id)
    assert first.status is RunStatus.partial
    assert "HTTP 500" in (first.error or "")
    with session_scope(sqlite_engine) as session:
        ana = session.scalars(select(SocialAccount).where(SocialAccount.handle == "ana.glow")).one()
        assert session.scalar(select(func.count()).where(Post.account_id == ana.id)) == 4
        stored = session.scalars(select(SyncRun).where(SyncRun.id == first.run_id)).one()
        assert stored.status == "partial" and stored.new == first.summary.new > 0
    assert cursor(sqlite_engine, connection_id, "discovery:ana.glow") == "QVFIUmFuYWFmdGVyMg"
    page3 = len(graph.calls(OWN_ID, "media.after(QVFIUmFuYWFmdGVyMg)"))
    assert page3 == 6  # the first try and five retries
    graph.add(OWN_ID, "discovery_ana_page3", contains="media.after(QVFIUmFuYWFmdGVyMg)")
    second = run(sqlite_engine, connection_id)
    assert second.status is RunStatus.ok
    ana_calls = graph.calls(OWN_ID, "business_discovery.username(ana.glow)")
    assert "media.after(QVFIUmFuYWFmdGVyMg)" in ana_calls[page3 + 2].raw_query  # resumed at page 3
    assert count(sqlite_engine, Post) == 11


def test_expired_token_asks_to_reconnect_and_never_leaks(
    sqlite_engine: Engine, graph: GraphServer, caplog: pytest.LogCaptureFixture
) -> None:
    graph.add(
        OWN_ID, Reply({**json.loads('{"error": {}}'), "error": {"message": f"bad token {TOKEN}", "code": 190}}, 400)
    )
    caplog.set_level(logging.DEBUG)
    connection_id = connect(sqlite_engine, graph)
    result = run(sqlite_engine, connection_id)
    assert result.status is RunStatus.failed
    assert "reconnect" in (result.error or "") and TOKEN not in (result.error or "")
    with session_scope(sqlite_engine) as session:
        assert session.get_one(Connection, connection_id).status == "auth_failed"
        assert TOKEN not in json.dumps(session.get_one(SyncRun, result.run_id).errors)
        assert TOKEN.encode() not in session.get_one(Connection, connection_id).secret
    assert caplog.records and TOKEN not in caplog.text


def test_429_then_success_waits_as_told(sqlite_engine: Engine, graph: GraphServer) -> None:
    graph.add(
        f"{OWN_ID}/tags", Reply({"error": {"message": "slow down", "code": 1}}, 429, {"Retry-After": "7"}), "tags"
    )
    graph.add(OWN_ID, Reply("error_not_professional", 400), contains="business_discovery")
    connection_id = connect(sqlite_engine, graph, handles="", hashtags="")
    slept: list[float] = []
    with session_scope(sqlite_engine) as session:
        connection = session.get_one(Connection, connection_id)
        connector = InstagramConnector(connection, {"access_token": TOKEN})
        connector.sleep = slept.append
        summary = connector.sync(session, no_progress)
    assert slept == [7.0]
    assert len(graph.calls(f"{OWN_ID}/tags")) == 2
    assert summary.new == 1 + 3 + 2 + 2 + 3  # own account, own media, comments, tagged accounts and posts
    # With no handles configured, every other Instagram account of the workspace is followed.
    assert {s.item for s in summary.skipped} >= {"@kai.lifts", "@lena.skin"}


def test_hashtag_limit_of_thirty_per_week_is_respected(sqlite_engine: Engine, graph: GraphServer) -> None:
    now = datetime.now(UTC)
    budget = hashtag_budget.HashtagBudget()
    for i in range(30):
        budget.record(f"tag{i}", f"9{i}", now - timedelta(days=2))
    budget.record("oldtag", "91", now - timedelta(days=8))  # outside the rolling window
    connection_id = connect(sqlite_engine, graph, handles="", hashtags="tag3, sensitiveskin")
    with session_scope(sqlite_engine) as session:
        repository.save_cursor(session, session.get_one(Connection, connection_id), "hashtag_budget", budget.dump())
    graph.add("93/recent_media", "hashtag_recent_media")
    result = run(sqlite_engine, connection_id)
    assert result.status is RunStatus.ok
    reasons = {s.item: s.reason for s in result.summary.skipped}
    assert "30 unique hashtags per 7 days" in reasons["#sensitiveskin"]
    assert "#tag3" not in reasons  # already in the window: readable without a new search
    assert graph.calls("ig_hashtag_search") == []
    assert len(graph.calls("93/recent_media")) == 1
    stored = hashtag_budget.load(cursor(sqlite_engine, connection_id, "hashtag_budget"))
    assert stored.refusal("another", now) and stored.refusal("another", now + timedelta(days=6)) is None


def test_connect_rejects_unknown_settings_and_missing_token(sqlite_engine: Engine) -> None:
    from grassroots.errors import InvalidInput

    with session_scope(sqlite_engine) as session, pytest.raises(InvalidInput, match="access_token"):
        service.connect(session, workspace_id(sqlite_engine), "instagram", {"access_token": " "}, {})
    with session_scope(sqlite_engine) as session, pytest.raises(InvalidInput, match="no setting shop"):
        service.connect(session, workspace_id(sqlite_engine), "instagram", {"access_token": "x"}, {"shop": "a"})
