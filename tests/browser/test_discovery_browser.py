"""A person in Debian's chromium: search in their own words, shortlist the bakers, put them on a campaign."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Campaign, CampaignGoal
from grassroots.db.session import session_scope
from grassroots.demo.service import DEMO_WORKSPACE
from grassroots.discovery.service import ensure_index
from grassroots.workspaces.models import Workspace
from tests.browser.conftest import launch, sign_in

pytestmark = pytest.mark.browser


def test_search_shortlist_campaign(live_demo: tuple[str, str, str], sqlite_engine: Engine) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, email, password = live_demo
    with session_scope(sqlite_engine) as s:
        ws = s.scalars(select(Workspace.id).where(Workspace.name == DEMO_WORKSPACE)).one()
        s.add(Campaign(workspace_id=ws, name="Bread week (synthetic)", goal=CampaignGoal.launch))
    with session_scope(sqlite_engine) as s:
        ensure_index(s, ws)  # what `grassroots demo` does; the page would do it on the first search otherwise
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        sign_in(page, base, email, password)
        page.click("nav.mainnav >> text=Discover")
        page.fill("input[name=q]", "cozy baking at home")
        page.keyboard.press("Enter")
        first = page.locator("li.hit").first
        expect(first).to_contain_text("Food › Baking")
        expect(first).to_contain_text("similar to your search")
        expect(page.locator("#result-count")).to_contain_text("sorted by Best match")
        names = [page.locator("li.hit .creator-link strong").nth(i).inner_text() for i in range(2)]
        page.locator("li.hit input[name=creator_ids]").nth(0).check()
        page.locator("li.hit input[name=creator_ids]").nth(1).check()
        page.fill("input[name=new_name]", "Home bakers")
        page.click("button:has-text('Add to shortlist')")
        expect(page.locator("[role=status]")).to_contain_text("Added 2 creator(s)")  # back on the same search
        expect(page.locator("input[name=q]")).to_have_value("cozy baking at home")
        page.click("a:has-text('Shortlists')")
        page.click("a:has-text('Home bakers')")
        expect(page.locator("h1")).to_contain_text("Home bakers")
        for name in names:
            expect(page.locator("#shortlist-table")).to_contain_text(name)
        page.select_option("select[name=campaign_id]", label="Bread week (synthetic)")
        page.click("button:has-text('Add to campaign')")
        expect(page.locator("h1")).to_contain_text("Bread week")
        for name in names:
            expect(page.locator("main")).to_contain_text(name)
        body = page.locator("main").inner_text()
        assert "object at" not in body and "Traceback" not in body
        browser.close()
