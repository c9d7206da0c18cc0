"""Refresh before expiry (the job), "needs reconnect" on refusal, and stopping: tokens and figures deleted."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.insights import service
from grassroots.insights.models import CreatorGrant, GrantStatus, SharedInsight
from grassroots.jobs.runner import Runner, load_handlers
from grassroots.outreach.models import Touchpoint
from tests.insights.conftest import World, make_world
from tests.insights.platform_server import IG_REFRESHED, PlatformServer, fixture
from tests.insights.test_instagram_flow import connect
from tests.support import csrf_from, login


def _expire_soon(engine: Engine, days: int = 2) -> None:
    with session_scope(engine) as session:
        grant = session.scalars(select(CreatorGrant)).one()
        grant.token_expires_at = utcnow() + timedelta(days=days)


def _run_jobs(engine: Engine, settings: Settings, days_ahead: float = 1.01) -> int:
    load_handlers()
    return Runner(engine, settings, lease_seconds=60).run_due(now=utcnow() + timedelta(days=days_ahead))


def test_the_job_refreshes_a_token_before_it_expires_and_fetches_again(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    connect(app_client, world.token)
    _expire_soon(engine)
    with session_scope(engine) as session:
        before = session.scalars(select(SharedInsight)).one().fetched_at
    assert _run_jobs(engine, ins_settings) >= 1
    assert len(platform.seen("/refresh_access_token")) == 1
    with session_scope(engine) as session:
        grant = session.scalars(select(CreatorGrant)).one()
        assert grant.status == GrantStatus.active
        assert grant.token_expires_at is not None and grant.token_expires_at > utcnow() + timedelta(days=50)
        assert grant.refreshed_at is not None
        raw = session.execute(text("SELECT secret FROM creator_grant")).scalar_one()
        assert IG_REFRESHED.encode() not in bytes(raw)
        assert session.scalars(select(SharedInsight)).one().fetched_at > before
    # The refreshed token is the one used for the next read.
    assert platform.seen("/v21.0/me")[-1].query["access_token"] == IG_REFRESHED


def test_a_token_far_from_expiry_is_not_refreshed(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    connect(app_client, world.token)
    _run_jobs(engine, ins_settings)
    assert platform.seen("/refresh_access_token") == []
    assert len(platform.seen("/v21.0/me")) == 2  # fetched again all the same


def test_a_refused_refresh_marks_the_grant_needs_reconnect(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    connect(app_client, world.token)
    _expire_soon(engine)
    platform.overrides[("GET", "/refresh_access_token")] = (400, fixture("instagram_error_expired_token"))
    _run_jobs(engine, ins_settings)
    with session_scope(engine) as session:
        grant = session.scalars(select(CreatorGrant)).one()
        assert grant.status == GrantStatus.needs_reconnect
        assert "Session has expired" in (grant.status_reason or "")
        kinds = [t.kind for t in session.scalars(select(Touchpoint).order_by(Touchpoint.id))]
        assert kinds == ["insights_shared", "insights_refresh_failed"]
        # The figures shared so far stay (the creator did not withdraw them), marked as not fresh.
        shared = service.shared_for_creator(session, world.workspace_id, world.creator_id)
        assert shared is not None and shared.status == "needs_reconnect"
    page = app_client.get(f"/p/{world.token}/insights")
    assert "Instagram no longer accepts this connection" in page.text
    assert "Connect Instagram again" in page.text
    login(app_client, "owner@brand.test")
    brand = app_client.get("/insights/shared")
    assert "Needs reconnect" in brand.text


def test_reconnecting_clears_needs_reconnect(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    connect(app_client, world.token)
    platform.overrides[("GET", "/v21.0/me")] = (400, fixture("instagram_error_expired_token"))
    _run_jobs(engine, ins_settings)
    with session_scope(engine) as session:
        assert session.scalars(select(CreatorGrant)).one().status == GrantStatus.needs_reconnect
    del platform.overrides[("GET", "/v21.0/me")]
    assert connect(app_client, world.token).status_code == 303
    with session_scope(engine) as session:
        assert session.scalars(select(CreatorGrant)).one().status == GrantStatus.active


def test_stop_sharing_deletes_tokens_and_figures(
    app_client: TestClient, world: World, engine: Engine, ins_settings: Settings
) -> None:
    connect(app_client, world.token)
    with session_scope(engine) as session:
        grant_id = session.scalars(select(CreatorGrant)).one().id
    page = app_client.get(f"/p/{world.token}/insights")
    answer = app_client.post(f"/p/{world.token}/insights/{grant_id}/stop", data={"csrf_token": csrf_from(page.text)})
    assert answer.status_code == 303
    page = app_client.get(answer.headers["location"])
    assert "Sharing stopped: your tokens and the figures you shared are deleted." in page.text
    assert "You stopped sharing on" in page.text
    with session_scope(engine) as session:
        grant = session.get(CreatorGrant, grant_id)
        assert grant is not None and grant.status == GrantStatus.revoked
        assert grant.secret is None and grant.token_expires_at is None
        assert session.execute(text("SELECT secret FROM creator_grant")).scalar_one() is None
        assert session.scalars(select(SharedInsight)).all() == []
        assert service.shared_for_creator(session, world.workspace_id, world.creator_id) is None
        kinds = [t.kind for t in session.scalars(select(Touchpoint).order_by(Touchpoint.id))]
        assert kinds == ["insights_shared", "insights_revoked"]
    # The queued refresh finds nothing to do and calls nobody.
    _run_jobs(engine, ins_settings)
    # Stopping twice is a clear "not found", not an error page with a traceback.
    again = app_client.post(f"/p/{world.token}/insights/{grant_id}/stop", data={"csrf_token": csrf_from(page.text)})
    assert again.status_code == 404


def test_a_grant_cannot_be_stopped_or_seen_from_another_workspace(
    app_client: TestClient, world: World, engine: Engine, ins_settings: Settings
) -> None:
    connect(app_client, world.token)
    other = make_world(engine, ins_settings, ws="Other", name="Someone Else")
    with session_scope(engine) as session:
        grant_id = session.scalars(select(CreatorGrant)).one().id
        assert service.shared_for_creator(session, other.workspace_id, world.creator_id) is None
    page = app_client.get(f"/p/{other.token}/insights")
    answer = app_client.post(f"/p/{other.token}/insights/{grant_id}/stop", data={"csrf_token": csrf_from(page.text)})
    assert answer.status_code == 404
    with session_scope(engine) as session:
        assert session.get(CreatorGrant, grant_id).status == GrantStatus.active  # type: ignore[union-attr]
    login(app_client, "owner@other.test")
    brand = app_client.get("/insights/shared")
    assert brand.status_code == 200
    assert "Ana Glow" not in brand.text and "ana.glow" not in brand.text
    assert "No creator has shared insights yet." in brand.text


def test_a_platform_that_stays_down_is_retried_then_needs_reconnect(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    connect(app_client, world.token)
    # Meta's app rate limit (#4): not a dead token, so the job retries it rather than asking to reconnect.
    limit = {"error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "code": 4,
                       "fbtrace_id": "AbCdEfGh123"}}  # fmt: skip
    platform.overrides[("GET", "/v21.0/me")] = (400, limit)
    load_handlers()
    runner = Runner(engine, ins_settings, lease_seconds=60)
    later = utcnow() + timedelta(days=1, minutes=1)
    runner.run_due(now=later)
    with session_scope(engine) as session:
        grant = session.scalars(select(CreatorGrant)).one()
        assert grant.status == GrantStatus.active and "Application request limit reached" in (grant.status_reason or "")
    for hours in range(1, 30):  # the queue's backoff; four attempts in all
        runner.run_due(now=later + timedelta(hours=hours))
    with session_scope(engine) as session:
        grant = session.scalars(select(CreatorGrant)).one()
        assert grant.status == GrantStatus.needs_reconnect
