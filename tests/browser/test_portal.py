"""A creator on a phone (chromium at 390 px) opens their portal link, accepts the offer, signs the agreement and
gives an address, reading what each page says; no page scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from grassroots.agreements.models import Signature
from grassroots.campaigns.models import Collaboration, Stage
from grassroots.config import Settings
from grassroots.db.session import session_scope
from grassroots.portal.addresses import shipping_address
from grassroots.web.app import create_app
from grassroots.web.server import serving
from tests.browser.conftest import ARTIFACTS, launch
from tests.portal.factory import World, make_world
from tests.support import make_user

pytestmark = pytest.mark.browser
WIDTH = 390


@pytest.fixture
def portal_server(sqlite_engine: Engine, tmp_path: Path) -> Iterator[tuple[str, World]]:
    """The app served on a free port, with one paid collaboration and its portal link."""
    settings = Settings(data_dir=tmp_path, secret_key="browser-portal")
    make_user(sqlite_engine)
    world = make_world(sqlite_engine, settings)
    with serving(create_app(sqlite_engine, settings)) as base:
        yield base, world


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url.split('/p/')[0]}: the page is {width} px wide"


def test_accept_sign_and_give_an_address_on_a_phone(portal_server: tuple[str, World], sqlite_engine: Engine) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, world = portal_server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True)
        blocked: list[str] = []
        page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)

        page.goto(base + world.path)
        expect(page.locator("h1")).to_have_text("Hi Ana Glow!")
        expect(page.locator("#offer")).to_contain_text("Brand invites you to “Serum launch”")
        expect(page.locator("#compensation")).to_contain_text("A fee of €250.00")
        _fits(page)
        page.get_by_label("A note for the brand").fill("Happy to!")
        page.get_by_role("button", name="Accept the offer").click()
        expect(page.locator(".alert.success")).to_contain_text("You accepted the offer")
        expect(page.locator("#answer")).to_contain_text("You accepted this offer")
        _fits(page)

        page.get_by_role("link", name="Brief & agreement").first.click()
        expect(page.locator("#agreement-text")).to_contain_text("Between Brand (the brand) and Ana Glow")
        expect(page.locator("#brief")).to_contain_text("#ad · Paid partnership with Brand")
        _fits(page)
        page.get_by_role("button", name="Sign the agreement").click()  # nothing typed yet
        expect(page.locator("#err-signer_name")).to_have_text("type your full name")
        expect(page.locator("#err-consent")).to_have_text("tick the box to agree")
        page.get_by_label("Your full name").fill("Ana Glow")
        page.get_by_label("I have read this agreement").check()
        page.get_by_role("button", name="Sign the agreement").click()
        expect(page.locator(".alert.success")).to_contain_text("Signed. Thank you!")
        expect(page.locator("#signature")).to_contain_text("Signed by Ana Glow")
        expect(page.get_by_role("link", name="Download your signed copy (PDF)")).to_be_visible()
        _fits(page)

        page.locator(".portal-nav").get_by_role("link", name="Address").click()
        page.get_by_label("Name", exact=True).fill("Ana Glow")
        page.get_by_label("Street and number").fill("Hauptstraße 5")
        page.get_by_role("button", name="Save address").click()
        expect(page.locator("#err-city")).to_have_text("enter the city")
        _fits(page)
        page.get_by_label("Postal code").fill("10115")
        page.get_by_label("City", exact=True).fill("Berlin")
        page.get_by_label("Country").select_option("DE")
        page.get_by_role("button", name="Save address").click()
        expect(page.locator(".alert.success")).to_have_text("Your address is saved.")
        expect(page.get_by_label("City", exact=True)).to_have_value("Berlin")
        _fits(page)
        for extra in ("/payout", "/earnings"):
            page.goto(base + world.path + extra)
            _fits(page)
        page.screenshot(path=str(ARTIFACTS / "portal-390.png"), full_page=True)
        browser.close()
    assert blocked == []
    with session_scope(sqlite_engine) as s:
        collab = s.get(Collaboration, world.collab)
        assert collab is not None and collab.stage is Stage.agreed
        signature = s.scalars(select(Signature)).one()
        assert signature.signer_name == "Ana Glow" and signature.ip == "127.0.0.1" and "Chrome" in signature.user_agent
        address = shipping_address(s, collab.workspace_id, collab.id)
        assert address is not None and (address.city, address.country) == ("Berlin", "DE")


def test_every_portal_page_fits_a_phone_and_passes_axe(portal_server: tuple[str, World]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.test_accessibility import AXE, serious

    base, world = portal_server
    found: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        # axe is injected by the test (bypassing the page's CSP for that one script), as in test_accessibility.py
        context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True,
                                      bypass_csp=True)  # fmt: skip
        page = context.new_page()
        for extra in ("", "/agreement", "/address", "/payout", "/earnings", "/gift", "/content", "/insights"):
            answer = page.goto(base + world.path + extra)
            assert answer is not None and answer.status == 200, extra
            _fits(page)
            page.add_script_tag(path=str(AXE))
            found[extra or "/"] = serious(page.evaluate("axe.run()"))
        browser.close()
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_the_brand_copies_a_portal_link_with_one_click(portal_server: tuple[str, World]) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.support import PASSWORD

    base, world = portal_server
    with sync_playwright() as pw:
        browser = launch(pw)
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=email]", "owner@brand.test")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(base + world.manage)
        box = page.locator("input.link-copy").first
        expect(box).to_have_value(world.url)
        page.get_by_role("button", name="Copy Portal link").first.click()
        expect(page.get_by_role("status").first).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == world.url
        browser.close()
