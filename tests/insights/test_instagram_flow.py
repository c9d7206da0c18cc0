"""The whole Instagram flow from the portal: Connect → authorize → callback → tokens (encrypted) → figures."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.insights import service
from grassroots.insights.models import CreatorGrant, GrantStatus, SharedInsight
from grassroots.jobs.models import Job
from grassroots.outreach.models import Touchpoint
from grassroots.web.templating import templates
from tests.insights.conftest import World
from tests.insights.platform_server import CLIENT_SECRET, CODE, IG_LONG, PlatformServer
from tests.support import csrf_from


def start(client: TestClient, token: str, platform: str = "instagram") -> str:
    """Press Connect on the portal page; the authorize URL the browser is sent to."""
    page = client.get(f"/p/{token}/insights")
    assert page.status_code == 200, page.text
    response = client.post(f"/p/{token}/insights/connect/{platform}", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303, response.text
    return response.headers["location"]


def approve(authorize_url: str) -> str:
    """The creator approves on the (local) platform page: the callback path and query it redirects to."""
    answer = httpx.get(authorize_url, follow_redirects=False)
    assert answer.status_code == 302
    target = urlsplit(answer.headers["location"])
    return f"{target.path}?{target.query}"


def connect(client: TestClient, token: str, platform: str = "instagram") -> httpx.Response:
    """The full flow; the callback's answer."""
    return client.get(approve(start(client, token, platform)))


def test_portal_page_explains_what_is_shared(app_client: TestClient, world: World) -> None:
    page = app_client.get(f"/p/{world.token}/insights")
    assert page.status_code == 200
    assert "What this shares, and why" in page.text
    assert "country, city, age group and gender" in page.text
    for label in ("Connect Instagram", "Connect TikTok", "Connect YouTube"):
        assert label in page.text
    assert 'class="active"' in page.text and "Insights</a>" in page.text


def test_instagram_connect_shares_figures(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    url = start(app_client, world.token)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(platform.base + "/oauth/authorize?")
    assert query["client_id"] == ["instagram-client-id"]
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["instagram_business_basic,instagram_business_manage_insights"]
    assert query["redirect_uri"] == [f"{ins_settings.base_url}/oauth/creator/instagram/callback"]
    assert world.token not in query["state"][0]  # the portal credential never travels to the platform

    done = app_client.get(approve(url))
    assert done.status_code == 303
    assert done.headers["location"] == f"/p/{world.token}/insights?done=shared"

    exchange = platform.seen("/oauth/access_token")[0]
    assert exchange.form["code"] == CODE and exchange.form["client_secret"] == CLIENT_SECRET
    assert platform.seen("/access_token")[0].query["grant_type"] == "ig_exchange_token"
    breakdowns = sorted(
        r.query["breakdown"] for r in platform.requests if r.query.get("metric") == "follower_demographics"
    )
    assert breakdowns == ["age", "city", "country", "gender"]
    assert all(r.query["metric_type"] == "total_value" for r in platform.requests if "breakdown" in r.query)

    page = app_client.get(done.headers["location"])
    assert "Thank you: your figures are shared" in page.text
    assert "@ana.glow" in page.text
    assert "DE 59 %" in page.text  # 4210 of 7157 followers with a known country
    assert "Audience by gender: Women 70 %, Men 26 %, Unspecified 4 %" in page.text
    assert "3 posts of this collaboration: reach 7,360, views 12,880, saves 405, shares 140" in page.text
    assert "None" not in page.text and "SharedFigures" not in page.text
    assert "Stop sharing Instagram" in page.text
    assert "Connect Instagram" not in page.text

    with session_scope(engine) as session:
        grant = session.scalars(select(CreatorGrant)).one()
        assert grant.status == GrantStatus.active
        assert grant.account_id == "17841400000000042"
        assert "instagram_business_manage_insights" in grant.scopes
        assert grant.token_expires_at is not None
        raw = session.execute(text("SELECT secret FROM creator_grant")).scalar_one()
        assert IG_LONG.encode() not in bytes(raw) and b"IGAA" not in bytes(raw)
        kinds = [t.kind for t in session.scalars(select(Touchpoint))]
        assert kinds == ["insights_shared"]
        assert session.scalars(select(Job).where(Job.kind == "insights.refresh")).one().run_at > grant.connected_at

        shared = service.shared_for_creator(session, world.workspace_id, world.creator_id)
    assert shared is not None and shared.platform == "instagram"
    # Posts from the campaign start (1 Nov 2026): two with figures, one below the viewer threshold; the October
    # post is not the collaboration's.
    assert [p["id"] for p in shared.posts] == ["18030000000000001", "18030000000000002", "18030000000000003"]
    assert (shared.reach, shared.saves, shared.shares, shared.views) == (7360, 405, 140, 12880)
    assert shared.posts[2]["reach"] is None
    assert any("Not enough viewers" in n for n in shared.notes)
    assert shared.followers == 8420
    assert shared.audience["gender"][0] == ("Women", 70.0)
    assert shared.audience["age"][0][0] == "25-34"
    assert shared.label.startswith("shared by the creator, ")


def test_profile_panel_renders_shared_figures(app_client: TestClient, world: World, engine: Engine) -> None:
    assert connect(app_client, world.token).status_code == 303
    with session_scope(engine) as session:
        shared = service.shared_for_creator(session, world.workspace_id, world.creator_id)
    html = templates.get_template("insights/profile_panel.html").render(shared=shared)
    assert "shared by the creator, " in html
    assert "7,360" in html and "12,880" in html
    assert "Women" in html and "Berlin, Berlin" in html
    assert "SharedFigures" not in html and "None" not in html
    assert templates.get_template("insights/profile_panel.html").render(shared=None).strip() == ""


def test_tampered_state_is_refused(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine
) -> None:
    callback = approve(start(app_client, world.token))
    path, query = callback.split("?", 1)
    params = parse_qs(query)
    state = params["state"][0]
    forged = state[:-2] + ("AA" if not state.endswith("AA") else "BB")
    answer = app_client.get(path, params={"code": CODE, "state": forged})
    assert answer.status_code == 400
    assert "not valid any more" in answer.text
    assert platform.seen("/oauth/access_token") == []
    with session_scope(engine) as session:
        assert session.scalars(select(CreatorGrant)).all() == []


def test_state_from_another_portal_link_is_refused(
    app_client: TestClient, world: World, platform: PlatformServer, engine: Engine, ins_settings: Settings
) -> None:
    from tests.insights.conftest import make_world

    other = make_world(engine, ins_settings, ws="Other", name="Someone Else")
    # Someone starts a connection from their own link and hands the creator the callback address.
    with TestClient(app_client.app, follow_redirects=False) as stranger:
        foreign = approve(start(stranger, other.token))
    start(app_client, world.token)  # the creator's browser has its own pending click
    answer = app_client.get(foreign)
    assert answer.status_code == 400
    assert platform.seen("/oauth/access_token") == []
    with session_scope(engine) as session:
        assert session.scalars(select(CreatorGrant)).all() == []


def test_callback_for_another_platform_or_without_a_click_is_refused(
    app_client: TestClient, world: World, platform: PlatformServer
) -> None:
    callback = approve(start(app_client, world.token))
    wrong = callback.replace("/oauth/creator/instagram/", "/oauth/creator/tiktok/")
    assert app_client.get(wrong).status_code == 400
    assert app_client.get(callback).status_code == 400  # the pending click was used up by the refused try
    assert platform.seen("/oauth/access_token") == []


def test_declining_on_the_platform_shares_nothing(app_client: TestClient, world: World, engine: Engine) -> None:
    start(app_client, world.token)
    answer = app_client.get("/oauth/creator/instagram/callback", params={"error": "access_denied"})
    assert answer.status_code == 303
    page = app_client.get(answer.headers["location"])
    assert "Nothing was connected, and nothing was shared." in page.text
    with session_scope(engine) as session:
        assert session.scalars(select(SharedInsight)).all() == []


def test_a_used_code_is_a_clear_message(app_client: TestClient, world: World) -> None:
    callback = approve(start(app_client, world.token))
    answer = app_client.get(callback.replace(CODE, "already-used-code"))
    assert answer.status_code == 400
    assert "Instagram did not accept the authorisation" in answer.text
    assert "Traceback" not in answer.text
