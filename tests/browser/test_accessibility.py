"""axe-core in chromium over every page a person opens: no serious or critical WCAG violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.creators.models import Creator
from grassroots.db.session import session_scope
from grassroots.discovery.service import ensure_index
from grassroots.vetting.service import vet_accounts
from tests.browser.conftest import ARTIFACTS, launch, sign_in

AXE = Path(__file__).resolve().parents[2] / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.browser


def serious(results: dict[str, Any]) -> list[str]:
    """One line per serious or critical violation: the rule, its help and the first offending element."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_has_no_serious_accessibility_violation(
    live_demo: tuple[str, str, str], sqlite_engine: Engine
) -> None:
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), "axe-core is missing: `bash scripts/test` installs it with npm"
    base, email, password = live_demo
    with session_scope(sqlite_engine) as session:
        workspace = session.scalars(select(Creator.workspace_id)).first()
        assert workspace is not None
        vet_accounts(session, workspace)  # credibility badges of every colour are on the pages
    with session_scope(sqlite_engine) as session:
        ensure_index(session, workspace)  # discovery results on the search page
    with session_scope(sqlite_engine) as session:
        creator = session.scalars(select(Creator.id).order_by(Creator.id)).first()
        campaign = session.scalars(select(Campaign.id).order_by(Campaign.id)).first()
        collab = session.scalars(
            select(Collaboration.id).where(Collaboration.campaign_id == campaign).order_by(Collaboration.id)
        ).first()
    pages = ["/creators", f"/creators/{creator}", f"/creators/{creator}/vetting", f"/creators/{creator}/comments",
             "/campaigns", *([f"/campaigns/{campaign}"] if campaign else []), "/connections", "/connections/new?provider=shopify",
             "/settings/brand", "/settings/tokens", "/creators/new", "/creators/import", "/tracking", "/insights",
             "/discovery?q=bread", "/discovery/shortlists", "/discovery/advocates",
             f"/discovery/overlap?ids={creator},{creator + 1},{creator + 2}",
             "/outreach", "/outreach/templates", "/approvals", "/ugc", "/mentions", "/insights/shared",
             "/tracking/links", "/gifting/products"]  # fmt: skip
    if campaign:
        pages += [f"/campaigns/{campaign}/outreach", f"/campaigns/{campaign}/gifts", f"/campaigns/{campaign}/payments"]
    if campaign and collab:
        at = f"/campaigns/{campaign}/collaborations/{collab}"
        pages += [at, f"{at}/documents", f"{at}/portal", f"{at}/outreach", f"{at}/gift",
                  f"/approvals/collaborations/{collab}"]  # fmt: skip
    found: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        # axe is injected by the test, not by the page: the page's own CSP stays in force for everything else.
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(f"{base}/login")
        page.add_script_tag(path=str(AXE))
        found["/login"] = serious(page.evaluate("axe.run()"))
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        for path in pages:
            response = page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=str(AXE))
            found[path] = serious(page.evaluate("axe.run()"))
            if response is None or response.status != 200:
                found[path].append(f"answered {response.status if response else 'nothing'}, not 200")
        browser.close()
    problems = "\n".join(f"{path}: {line}" for path, lines in found.items() for line in lines)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-violations.txt").write_text(problems + "\n")
    assert problems == ""


def test_a_keyboard_user_can_skip_to_the_content(live_demo: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, email, password = live_demo
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        sign_in(page, base, email, password)
        expect(page.locator("h1")).to_have_text("Creators")
        page.wait_for_load_state("networkidle")
        page.keyboard.press("Tab")
        skip = page.locator("a.skip-link")
        expect(skip).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()
        assert page.locator("aside.synthetic-banner").count() == 1  # the banner is a landmark, not loose text
        browser.close()


def test_help_opens_with_a_tap_on_a_touch_screen(live_demo: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, email, password = live_demo
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        sign_in(page, base, email, password)
        expect(page.locator("h1")).to_have_text("Creators")
        page.locator("#creators-table a.creator-link").first.tap()
        label = page.locator(".stat .label", has_text="Engagement rate")
        help_text = label.locator(".help-text")
        expect(help_text).to_be_hidden()
        label.locator("button.help").tap()
        expect(help_text).to_be_visible()
        expect(help_text).to_contain_text("Median (likes + comments)")
        browser.close()
