"""The brand's "Shared insights" page and the form for the apps creators authorise."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.insights.models import CreatorOAuthApp
from grassroots.workspaces.models import Role
from tests.insights.conftest import World, make_world
from tests.insights.test_instagram_flow import connect
from tests.support import csrf_from, login, make_user


def test_shared_page_lists_what_each_creator_shared(app_client: TestClient, world: World) -> None:
    connect(app_client, world.token)
    login(app_client, "owner@brand.test")
    page = app_client.get("/insights/shared")
    assert page.status_code == 200
    assert "Ana Glow" in page.text and "@ana.glow" in page.text
    assert "Sharing" in page.text and "7,360" in page.text and "DE (59 %)" in page.text
    assert "None" not in page.text and "GrantView" not in page.text


def test_app_form_stores_the_secret_encrypted_and_never_shows_it(
    app_client: TestClient, engine: Engine, ins_settings: Settings
) -> None:
    make_world(engine, ins_settings, apps=False)
    login(app_client, "owner@brand.test")
    page = app_client.get("/insights/shared")
    answer = app_client.post("/insights/shared/apps/instagram", data={
        "csrf_token": csrf_from(page.text), "client_id": "990602627938098", "client_secret": "s3cret-app-value"})  # fmt: skip
    assert answer.status_code == 303
    page = app_client.get(answer.headers["location"])
    assert "Instagram app saved." in page.text
    assert "990602627938098" in page.text and "s3cret-app-value" not in page.text
    with session_scope(engine) as session:
        raw = bytes(session.execute(text("SELECT secret FROM creator_oauth_app")).scalar_one())
        assert b"s3cret-app-value" not in raw
    # Saving again without a secret keeps the stored one.
    again = app_client.post("/insights/shared/apps/instagram", data={
        "csrf_token": csrf_from(page.text), "client_id": "990602627938099", "client_secret": ""})  # fmt: skip
    assert again.status_code == 303
    with session_scope(engine) as session:
        assert session.scalars(select(CreatorOAuthApp)).one().client_id == "990602627938099"


def test_app_form_bad_input_is_a_message(app_client: TestClient, engine: Engine, ins_settings: Settings) -> None:
    make_world(engine, ins_settings, apps=False)
    login(app_client, "owner@brand.test")
    page = app_client.get("/insights/shared")
    answer = app_client.post("/insights/shared/apps/tiktok", data={
        "csrf_token": csrf_from(page.text), "client_id": "awx123", "client_secret": ""})  # fmt: skip
    assert answer.status_code == 400
    assert "Enter the app&#39;s client secret." in answer.text or "Enter the app's client secret." in answer.text
    assert 'value="awx123"' in answer.text  # nothing typed is lost
    answer = app_client.post("/insights/shared/apps/myspace", data={
        "csrf_token": csrf_from(page.text), "client_id": "x", "client_secret": "y"})  # fmt: skip
    assert answer.status_code == 400 and "unknown platform" in answer.text


def test_app_of_one_workspace_is_not_the_others(app_client: TestClient, engine: Engine, ins_settings: Settings) -> None:
    brand_world = make_world(engine, ins_settings)  # Brand has apps
    other = make_world(engine, ins_settings, ws="Other", name="Someone", apps=False)
    page = app_client.get(f"/p/{other.token}/insights")
    assert "Connect Instagram" not in page.text
    assert "has not set up account connections yet" in page.text
    # Connecting from Other's link does not borrow Brand's app.
    csrf = csrf_from(app_client.get(f"/p/{brand_world.token}/insights").text)
    answer = app_client.post(f"/p/{other.token}/insights/connect/instagram", data={"csrf_token": csrf})
    assert answer.status_code == 404
    login(app_client, "owner@other.test")
    brand = app_client.get("/insights/shared")
    assert "instagram-client-id" not in brand.text


def test_viewers_cannot_change_apps(app_client: TestClient, engine: Engine, ins_settings: Settings) -> None:
    make_world(engine, ins_settings, apps=False)
    make_user(engine, "viewer@brand.test", role=Role.viewer)
    login(app_client, "viewer@brand.test")
    page = app_client.get("/insights/shared")
    answer = app_client.post("/insights/shared/apps/instagram", data={
        "csrf_token": csrf_from(page.text), "client_id": "1", "client_secret": "2"})  # fmt: skip
    assert answer.status_code == 403
