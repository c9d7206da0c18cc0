"""The attribution pages and API as a person and a program see them; another workspace's ids are 404."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.tracking.test_attribution_service import build

REPR = re.compile(r"None|Decimal\(|datetime\.|\{'|\bnan\b|inf\b")


def visible(html: str) -> str:
    """The text a person reads: no tags, no embedded JSON."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_shows_every_method_side_by_side_with_roi_and_a_chart(
    owner_client: TestClient, engine: Engine
) -> None:
    w = build(engine)
    page = owner_client.get("/tracking/attribution")
    assert page.status_code == 200
    text = visible(page.text)
    for label in ("Code first, then last click", "Last click", "First click", "Linear", "Time-decay"):
        assert label in text
    assert "Maya" in text and "Leo" in text and "Spring" in text and "(other brand)" not in text
    assert "€100.00" in text and "1 self-purchase" in text and "4 orders, 1 of them fully refunded" in text
    assert not REPR.search(text)
    chart = json.loads(re.search(r'id="attribution-data">(.*?)</script>', page.text, re.S).group(1))  # type: ignore[union-attr]
    assert chart["chosen"] == "code_then_click" and len(chart["series"]) == 5
    assert '<script src="/static/attribution.js" defer>' in page.text
    assert "Plotly.newPlot" in owner_client.get("/static/attribution.js").text
    # Each number links to its drill-down with the same method and windows.
    assert (
        f'href="/tracking/attribution/creator/{w.leo}?method=last_click&amp;window_days=30&amp;half_life_days=7'
        in page.text
    )
    assert f'href="/tracking/attribution/campaign/{w.spring}?method=linear' in page.text


def test_the_method_and_window_can_be_chosen_and_bad_input_is_explained(
    owner_client: TestClient, engine: Engine
) -> None:
    build(engine)
    page = owner_client.get("/tracking/attribution?method=last_click&window_days=1&priority=click")
    assert page.status_code == 200 and '<option value="last_click" selected' in page.text
    assert "Clicks count within 1 days" in visible(page.text)
    bad = owner_client.get("/tracking/attribution?method=last_click&window_days=-4")
    assert bad.status_code == 400
    text = visible(bad.text)
    assert "window days: Give a number of days above 0" in text and "The defaults are shown instead" in text
    assert 'aria-invalid="true"' in bad.text and 'value="-4"' in bad.text


def test_the_drilldown_lists_the_orders_with_their_evidence(owner_client: TestClient, engine: Engine) -> None:
    w = build(engine)
    page = owner_client.get(f"/tracking/attribution/creator/{w.leo}?method=last_click")
    assert page.status_code == 200
    text = visible(page.text)
    assert "#1001" in text and "clk_leo_0001" in text and "/r/leo-spring" in text and "(on the order)" in text
    assert "source=ig" in text and "MAYA15" in text
    assert "#1002" in text and "refunded or cancelled: no credit" in text and "€0.00" in text
    assert "clk_bot_0002" not in text  # a bot's click is no evidence
    assert not REPR.search(text)
    assisted = visible(owner_client.get(f"/tracking/attribution/creator/{w.leo}?method=code_then_click").text)
    assert "Orders assisted" in assisted and "#1001" in assisted
    campaign = visible(owner_client.get(f"/tracking/attribution/campaign/{w.spring}?method=code_then_click").text)
    assert "Spring" in campaign and "#1003" in campaign and "self-purchase" in campaign


def test_another_workspaces_drilldowns_are_404(owner_client: TestClient, engine: Engine) -> None:
    w = build(engine)
    for path in (f"/tracking/attribution/creator/{w.other_creator}", f"/tracking/attribution/campaign/{w.other_campaign}",
                 f"/api/v1/tracking/attribution/creators/{w.other_creator}",
                 f"/api/v1/tracking/attribution/campaigns/{w.other_campaign}"):  # fmt: skip
        assert owner_client.get(path).status_code == 404, path
    assert owner_client.get(f"/api/v1/tracking/attribution/creators/{w.maya}").status_code == 200


def test_the_api_gives_every_method_and_the_drilldown(owner_client: TestClient, engine: Engine) -> None:
    w = build(engine)
    body = owner_client.get("/api/v1/tracking/attribution?method=last_click").json()
    assert body["method"] == "last_click" and body["rules"]["window_days"] == 30
    leo = next(r for r in body["creators"] if r["id"] == w.leo)
    assert leo["by_method"]["last_click"]["revenue"] == "80.00" and leo["by_method"]["last_click"]["cost"] == "30.00"
    assert leo["by_method"]["code_then_click"]["assisted"] == 1
    down = owner_client.get(f"/api/v1/tracking/attribution/creators/{w.leo}?method=last_click").json()
    orders = {o["number"]: o for o in down["credited"]}
    assert orders["#1001"]["clicks"][0]["click_id"] == "clk_leo_0001" and orders["#1002"]["reversed"] is True
    assert owner_client.get("/api/v1/tracking/attribution?method=guess").status_code in (400, 422)
    assert owner_client.get("/api/v1/tracking/attribution?window_days=0").status_code == 422
