"""A person in chromium runs a campaign: plan it in the form, add creators, move them on the board (keyboard form
and one drag), record a payment, and reads what the pages say at each step."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, select

from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.creators.models import Creator
from grassroots.db.session import session_scope
from grassroots.demo.campaigns import create_demo_campaigns
from tests.browser.conftest import ARTIFACTS, launch, sign_in
from tests.browser.test_accessibility import AXE, serious

pytestmark = pytest.mark.browser


def test_plan_roster_board_and_payment(live_demo: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, email, password = live_demo
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        blocked: list[str] = []  # the CSP allows no inline script: nothing may be blocked
        page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
        sign_in(page, base, email, password)

        # Plan: a mistake first, then the campaign.
        page.goto(f"{base}/campaigns")
        page.get_by_role("link", name="New campaign").first.click()
        expect(page.locator("h1")).to_have_text("New campaign")
        page.get_by_label("Name").fill("Spring seeding")
        page.get_by_label("Starts on").fill("2026-12-01")
        page.get_by_label("Ends on").fill("2026-11-01")
        page.get_by_label("Budget").fill("1,200")
        page.get_by_role("button", name="Create campaign").click()
        expect(page.locator(".alert.error")).to_contain_text("nothing was saved")
        expect(page.locator("#err-ends_on")).to_have_text("the end date is before the start date")
        page.get_by_label("Ends on").fill("2026-12-31")
        page.get_by_label("KPI 1").select_option("posts")
        page.get_by_label("Target 1").fill("10")
        page.get_by_label("Hashtags").fill("#springglow")
        page.get_by_role("button", name="Create campaign").click()
        expect(page.locator("h1")).to_contain_text("Spring seeding")
        expect(page.locator(".alert.success")).to_contain_text("Created “Spring seeding”")
        expect(page.locator("#plan")).to_contain_text("€1,200.00")
        expect(page.locator("#plan")).to_contain_text("Seeding (gifts, no strings)")

        # Roster: tick two creators in the picker.
        page.get_by_role("link", name="Pick from your creators").click()
        boxes = page.locator("#pick-table input[name=creator_ids]")
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.get_by_role("button", name="Add ticked creators").click()
        expect(page.locator("h1")).to_contain_text("Board")
        expect(page.locator("#board-status")).to_have_text("Added 2 creators to “Spring seeding”.")
        expect(page.locator("#col-prospect .board-card")).to_have_count(2)

        # Board, keyboard: choose a stage in the card's box and press Move with Enter.
        first = page.locator("#col-prospect .board-card").nth(0)
        first_id = first.get_attribute("id")
        name = first.locator(".card-name").inner_text()
        first.locator("select[name=stage]").select_option("contacted")
        first.get_by_role("button", name="Move").press("Enter")
        expect(page.locator(f"#col-contacted #{first_id}")).to_be_visible()
        expect(page.locator("#board-status")).to_have_text("Moved 1 creator to Contacted.")
        expect(page.locator(".board-col[data-stage=contacted] .col-count")).to_have_text("1")
        expect(page.locator(f"#{first_id} select[name=stage]")).to_be_focused()  # the keyboard stays on the card

        # Board, mouse: drag the other card to Replied.
        second = page.locator("#col-prospect .board-card").first
        second_id = second.get_attribute("id")
        second.drag_to(page.locator(".board-col[data-stage=replied]"))
        expect(page.locator(f"#col-replied #{second_id}")).to_be_visible()
        expect(page.locator(".board-col[data-stage=prospect] .col-count")).to_have_text("0")
        page.reload()  # the server kept both moves
        expect(page.locator(f"#col-contacted #{first_id}")).to_be_visible()
        expect(page.locator(f"#col-replied #{second_id}")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "campaign-board.png"), full_page=True)

        # Forecast: intervals for the roster beside one macro creator, the charts drawn.
        board_url = page.url
        page.goto(board_url.split("/board")[0] + "/forecast")
        expect(page.locator("#forecast-table")).to_contain_text("P50")
        expect(page.locator("#macro")).to_contain_text("macro creator")
        expect(page.locator("#forecast-sales-chart .main-svg").first).to_be_visible()
        page.goto(board_url)

        # Payment: open the collaboration, read its trail, record a gift cost paid.
        page.locator(f"#{first_id} .card-name").click()
        expect(page.locator("h1")).to_contain_text(name)
        expect(page.locator("#trail")).to_contain_text("Contacted")
        expect(page.locator("#trail")).to_contain_text(email)
        form = page.locator("#record-payment")
        form.get_by_label("Kind").select_option("gift")
        form.get_by_label("Amount").fill("35")
        form.get_by_label("Status").select_option("paid")
        form.get_by_role("button", name="Record").click()
        expect(page.locator(".alert.success")).to_have_text("Recorded gift of 35.00 EUR (paid).")
        expect(page.locator("#ledger")).to_contain_text("€35.00")
        page.get_by_role("link", name="Board").first.click()
        page.get_by_role("link", name="Payments").click()
        expect(page.locator(".stats")).to_contain_text("€35.00")
        assert re.search(r"Paid \(EUR\)", page.locator(".stats").inner_text())
        page.screenshot(path=str(ARTIFACTS / "campaign-payments.png"), full_page=True)
        assert blocked == []
        browser.close()


def test_campaign_pages_have_no_serious_accessibility_violation(
    live_demo: tuple[str, str, str], sqlite_engine: Engine
) -> None:
    from playwright.sync_api import sync_playwright

    base, email, password = live_demo
    with session_scope(sqlite_engine) as session:
        workspace = session.scalars(select(Creator.workspace_id)).first()
        assert workspace is not None
        create_demo_campaigns(session, workspace)
    with session_scope(sqlite_engine) as session:
        campaign = session.scalars(select(Campaign.id).order_by(Campaign.id)).first()
        collab = session.scalars(select(Collaboration.id).where(Collaboration.campaign_id == campaign)).first()
    root = f"/campaigns/{campaign}"
    pages = ["/campaigns", "/campaigns/new", root, f"{root}/edit", f"{root}/board", f"{root}/payments",
             f"{root}/roster/add", f"{root}/collaborations/{collab}"]  # fmt: skip
    found: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_context(bypass_csp=True).new_page()  # axe is injected by the test, not the page
        sign_in(page, base, email, password)
        for path in pages:
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=str(AXE))
            found[path] = serious(page.evaluate("axe.run()"))
        browser.close()
    assert "\n".join(f"{path}: {line}" for path, lines in found.items() for line in lines) == ""
