"""The portal's Content page at 390 px in chromium: a creator sends a draft without disclosure and reads why."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import Engine

from grassroots.config import Settings
from grassroots.web.app import create_app
from grassroots.web.server import serving
from tests.approvals.world import BARE, make_world, portal_token
from tests.browser.conftest import ARTIFACTS, launch
from tests.support import make_user

LONG_LINK = "https://cdn.example.com/" + "very-long-file-name-" * 8 + ".mp4"


def test_content_page_on_a_phone(sqlite_engine: Engine, tmp_path: Path) -> None:
    make_user(sqlite_engine)
    world = make_world(sqlite_engine)
    settings = Settings(data_dir=tmp_path, secret_key="browser-test")
    token = portal_token(sqlite_engine, settings, world.collaboration_id)
    with serving(create_app(sqlite_engine, settings)) as base, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/p/{token}/content")
        page.fill("input[name=title]", "Reel 1")
        page.fill("textarea[name=caption]", BARE)
        page.fill("textarea[name=media_urls]", LONG_LINK)
        page.click("button[type=submit].primary")
        page.wait_for_selector("text=It cannot be approved yet")
        assert page.locator("text=No disclosure").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "approvals-portal-390.png"), full_page=True)
        browser.close()
