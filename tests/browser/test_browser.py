"""A person in Debian's chromium: sign in, filter by tier, open a profile, see the chart, vet, analyse comments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, CHROMIUM, launch, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_filter_by_tier_open_profile_and_see_chart(live_demo: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium is missing: `bash scripts/test` installs it as root"
    base, email, password = live_demo
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        csp: list[str] = []  # the Content-Security-Policy allows no inline script: nothing may be blocked
        page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto(f"{base}/creators")
        expect(page).to_have_url(f"{base}/login?next=/creators")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_have_text("Creators")
        expect(page.locator(".synthetic-banner")).to_be_visible()
        total_before = page.locator("#result-count").inner_text()

        page.select_option("select[name=tier]", "nano")
        expect(page).to_have_url(re.compile(r"/creators\?.*tier=nano"))
        expect(page.locator("#result-count")).not_to_have_text(total_before)
        tiers = page.locator("#creators-table tbody .tier").all_inner_texts()
        assert tiers and set(tiers) == {"Nano"}
        page.screenshot(path=str(ARTIFACTS / "creators-nano.png"), full_page=True)

        page.locator("#creators-table tbody a.creator-link").first.click()
        expect(page.locator("#accounts-table")).to_be_visible()
        chart = page.locator("#follower-chart .main-svg").first
        expect(chart).to_be_visible(timeout=15_000)
        assert page.locator("#follower-chart .scatterlayer .trace").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "creator-profile.png"), full_page=True)

        page.click("#vetting-link")
        expect(page.locator("text=Not vetted yet.")).to_be_visible()
        page.click("button:has-text('Vet now')")
        expect(page.locator("h3:has-text('Why')").first).to_be_visible()
        expect(page.locator(".er-chart .main-svg").first).to_be_visible(timeout=15_000)
        expect(page.locator(".growth-chart .main-svg").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "creator-vetting.png"), full_page=True)

        page.go_back()
        page.go_back()
        expect(page.locator("#fit")).to_contain_text("cosine", timeout=30_000)  # brand fit, loaded by HTMX
        page.click("a:has-text('sentiment, questions, objections, themes')")
        expect(page.locator("text=comments are not analysed yet")).to_be_visible()
        page.click("button:has-text('Analyse now')")
        expect(page.locator("#tone h2")).to_contain_text("analysed comments", timeout=60_000)
        expect(page.locator("#tone-chart .main-svg").first).to_be_visible(timeout=15_000)
        expect(page.locator("#themes table").first).to_be_visible(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "creator-comments.png"), full_page=True)
        assert csp == []
        browser.close()


def test_api_docs_render_with_the_network_cut_off(live_demo: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _, _ = live_demo
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])  # fmt: skip
        page = browser.new_page()
        blocked: list[str] = []
        # Everything but this server is unreachable, as on a machine without internet.
        page.route(
            re.compile(r"^(?!" + re.escape(base) + r")"),
            lambda route: (blocked.append(route.request.url), route.abort()),
        )
        violations: list[str] = []
        page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto(f"{base}/api/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("grassroots", timeout=15_000)
        expect(page.locator(".opblock-summary-path").first).to_be_visible()
        assert page.locator(".opblock").count() > 20
        assert blocked == [] and violations == []
        assert page.request.get(f"{base}/favicon.ico").status == 200
        page.screenshot(path=str(ARTIFACTS / "api-docs-offline.png"), full_page=False)
        browser.close()


def test_back_keeps_the_filter_boxes_in_step_with_the_url(live_demo: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, email, password = live_demo
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        sign_in(page, base, email, password)
        page.goto(f"{base}/creators?sort=handle")
        page.locator("input[name=min_followers]").press_sequentially("100")
        expect(page).to_have_url(re.compile(r"min_followers=100"))
        page.wait_for_load_state("networkidle")  # the filtered results are in before we page on
        filtered = page.locator("#result-count").inner_text()
        page.locator("a:has-text('Next →')").first.click()
        expect(page).to_have_url(re.compile(r"page=2"))
        page.go_back()
        expect(page).to_have_url(re.compile(r"min_followers=100(?!.*page=2)"))
        expect(page.locator("input[name=min_followers]")).to_have_value("100")
        expect(page.locator("#result-count")).to_have_text(filtered)
        page.select_option("select[name=platform]", "instagram")  # the next change keeps the old filters
        expect(page).to_have_url(re.compile(r"(?=.*min_followers=100)(?=.*platform=instagram)"))
        browser.close()


def test_list_profile_and_vetting_fit_a_phone(live_demo: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, email, password = live_demo
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        sign_in(page, base, email, password)
        expect(page.locator("h1")).to_have_text("Creators")
        widths = {}
        widths["list"] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(ARTIFACTS / "phone-creators.png"))
        assert page.locator("#creators-table td[data-label=Followers]").first.is_visible()
        page.locator("#creators-table a.creator-link").first.click()
        expect(page.locator("#accounts-table")).to_be_visible()
        widths["profile"] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(ARTIFACTS / "phone-profile.png"))
        page.click("#vetting-link")
        expect(page.locator("h1")).to_be_visible()
        widths["vetting"] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(ARTIFACTS / "phone-vetting.png"))
        assert widths == {"list": 390, "profile": 390, "vetting": 390}, widths  # no sideways scrolling
        browser.close()


def test_sort_box_and_checkboxes_are_laid_out_whole(live_demo: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, email, password = live_demo
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        sign_in(page, base, email, password)
        expect(page.locator("h1")).to_have_text("Creators")
        # The chosen sort's label fits its box (it was clipped to "Most follower"), at laptop widths too.
        rooms = []
        for width in (1366, 1280, 1100, 1024):
            page.set_viewport_size({"width": width, "height": 900})
            rooms.append(
                page.evaluate(
                    """() => { const select = document.querySelector('select[name=sort]');
                 const probe = document.createElement('span'); probe.style.font = getComputedStyle(select).font;
                 probe.textContent = select.options[select.selectedIndex].text; document.body.appendChild(probe);
                 const room = select.clientWidth - probe.getBoundingClientRect().width; probe.remove(); return room; }"""
                )
            )
        assert min(rooms) > 24, rooms  # the text plus the arrow
        page.goto(f"{base}/settings/brand")
        offsets = page.evaluate(
            """() => Array.from(document.querySelectorAll('label.check')).map(label => {
                 const box = label.querySelector('input').getBoundingClientRect(), whole = label.getBoundingClientRect();
                 return Math.abs((box.top + box.bottom) / 2 - (whole.top + whole.bottom) / 2); })"""
        )
        assert offsets and max(offsets) < 4, offsets  # each checkbox sits beside its label, not above it
        browser.close()
