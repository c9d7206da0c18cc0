"""TikTok (Login Kit v2) and YouTube (Google OAuth + Analytics reports): connect, figures, refresh, revoke."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from grassroots.config import Settings
from grassroots.db.base import utcnow
from grassroots.db.session import session_scope
from grassroots.insights import service
from grassroots.insights.models import CreatorGrant, GrantStatus
from grassroots.jobs.runner import Runner, load_handlers
from tests.insights.conftest import World
from tests.insights.platform_server import CLIENT_SECRET, CODE, PlatformServer, fixture
from tests.insights.test_instagram_flow import approve, start
from tests.support import csrf_from


def _stop(client: TestClient, world: World, engine: Engine) -> None:
    with session_scope(engine) as session:
        grant_id = session.scalars(select(CreatorGrant)).one().id
    page = client.get(f"/p/{world.token}/insights")
    assert client.post(f"/p/{world.token}/insights/{grant_id}/stop",
                       data={"csrf_token": csrf_from(page.text)}).status_code == 303  # fmt: skip


def test_tiktok_connect_refresh_and_revoke(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    url = start(app_client, world.token, "tiktok")
    query = parse_qs(urlsplit(url).query)
    assert query["client_key"] == ["tiktok-client-id"]
    assert query["scope"] == ["user.info.basic,user.info.stats,video.list"]
    assert app_client.get(approve(url)).status_code == 303
    token_call = platform.seen("/v2/oauth/token/")[0]
    assert token_call.form == {"client_key": "tiktok-client-id", "client_secret": CLIENT_SECRET, "code": CODE,
                               "grant_type": "authorization_code",
                               "redirect_uri": f"{ins_settings.base_url}/oauth/creator/tiktok/callback"}  # fmt: skip
    assert platform.seen("/v2/user/info/")[0].headers["authorization"] == "Bearer act.example12345Example12345Example"
    with session_scope(engine) as session:
        shared = service.shared_for_creator(session, world.workspace_id, world.creator_id)
        raw = bytes(session.execute(text("SELECT secret FROM creator_grant")).scalar_one())
        assert b"act.example" not in raw and b"rft.example" not in raw
        grant = session.scalars(select(CreatorGrant)).one()
        assert grant.refresh_expires_at is not None and grant.account_id == "afd97af1-b87b-48b9-ac98-410aghda5344"
    assert shared is not None and shared.platform == "tiktok" and shared.followers == 5120
    assert [p["id"] for p in shared.posts] == ["7440000000000000001"]  # the May video predates the campaign
    assert (shared.views, shared.shares, shared.reach, shared.saves) == (12040, 55, None, None)

    # The access token lives ~24 h: the daily job refreshes it with the refresh token.
    load_handlers()
    Runner(engine, ins_settings, lease_seconds=60).run_due(now=utcnow() + timedelta(days=1, minutes=1))
    refresh = platform.seen("/v2/oauth/token/")[-1]
    assert refresh.form["grant_type"] == "refresh_token"
    assert refresh.form["refresh_token"] == "rft.example12345Example12345Example"
    assert platform.seen("/v2/user/info/")[-1].headers["authorization"] == "Bearer act.refreshed9876Example9876Example"

    _stop(app_client, world, engine)
    revoke = platform.seen("/v2/oauth/revoke/")
    assert len(revoke) == 1 and revoke[0].form["token"] == "act.refreshed9876Example9876Example"


def test_tiktok_refused_refresh_needs_reconnect(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    app_client.get(approve(start(app_client, world.token, "tiktok")))
    platform.overrides[("POST", "/v2/oauth/token/")] = (400, fixture("tiktok_error_invalid_grant"))
    load_handlers()
    Runner(engine, ins_settings, lease_seconds=60).run_due(now=utcnow() + timedelta(days=1, minutes=1))
    with session_scope(engine) as session:
        grant = session.scalars(select(CreatorGrant)).one()
        assert grant.status == GrantStatus.needs_reconnect


def test_youtube_connect_and_revoke(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    url = start(app_client, world.token, "youtube")
    query = parse_qs(urlsplit(url).query)
    assert query["access_type"] == ["offline"]
    assert "https://www.googleapis.com/auth/yt-analytics.readonly" in query["scope"][0]
    assert app_client.get(approve(url)).status_code == 303
    reports = platform.seen("/v2/reports")
    assert {r.query["dimensions"] for r in reports} == {"ageGroup,gender", "country", "video"}
    assert all(r.query["ids"] == "channel==MINE" and r.query["startDate"] == "2026-11-01" for r in reports)
    with session_scope(engine) as session:
        shared = service.shared_for_creator(session, world.workspace_id, world.creator_id)
    assert shared is not None and shared.audience_unit == "percent"
    assert shared.audience["age"] == [("25-34", 67.0), ("18-24", 33.0)]
    assert shared.audience["gender"][0] == ("Women", 62.5)
    assert shared.audience["country"][0] == ("DE", 60.0)
    assert (shared.views, shared.shares) == (10000, 135)
    page = app_client.get(f"/p/{world.token}/insights")
    assert "Audience by age: 25-34 67 %, 18-24 33 %" in page.text
    _stop(app_client, world, engine)
    assert platform.seen("/revoke")[0].form["token"] == "1//0gExampleRefreshToken"
