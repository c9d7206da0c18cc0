"""The forecast, optimiser and compensation pages and their /api/v1 routes, read as a person and a program would."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from grassroots.campaigns.models import Campaign
from grassroots.db.session import session_scope
from grassroots.workspaces.models import Role
from tests.campaigns.planning_world import seed
from tests.support import api_headers, csrf_from, login, make_user

NOT_FOR_PEOPLE = ("None", "nan", "inf", "Interval(", "Decimal(", "{'", "[]")


def visible(html: str) -> str:
    """The text a person reads: no tags, no embedded chart JSON."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_readable(html: str) -> None:
    text = visible(html)
    for word in NOT_FOR_PEOPLE:
        assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text), f"{word!r} shown: {text[:300]}"


def test_the_forecast_page_shows_intervals_the_macro_comparison_and_actual_sales(
    owner_client: TestClient, engine: Engine
) -> None:
    ids = seed(engine)
    page = owner_client.get(f"/campaigns/{ids['campaign']}/forecast")
    assert page.status_code == 200
    text = visible(page.text)
    assert_readable(page.text)
    assert "P10" in text and "P50" in text and "P90" in text and "People reached" in text and "Cost per sale" in text
    assert "One macro creator paid €2,000.00" in text and "of simulated campaigns" in text
    assert "The seeds' arithmetic — 4 creators × 2,225 followers on average × 10 % view rate × 1 % conversion" in text
    assert "Actual: 3 orders with the roster's codes (2026-03-01 → 2026-03-31), revenue €100.50" in text
    assert "plus 1 order in other currencies" in text and "Ed Eats" not in text
    assert 'id="forecast-data"' in page.text and "/static/forecast.js" in page.text
    assert 'name="conversion"' in page.text and 'value="3"' in page.text  # 3 %, typed as percent
    panel = owner_client.get(f"/campaigns/{ids['campaign']}/forecast", headers={"HX-Request": "true"})
    assert panel.status_code == 200 and "<html" not in panel.text and 'id="forecast"' in panel.text


def test_assumptions_are_validated_saved_and_reset(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    url = f"/campaigns/{ids['campaign']}/forecast"
    token = csrf_from(owner_client.get(url).text)
    bad = owner_client.post(url, data={"csrf_token": token, "conversion": "lots", "click_through": "80"})
    assert bad.status_code == 400
    text = visible(bad.text)
    assert (
        "were not saved" in text and "“lots” is not a number." in text and "Enter a value from 0.01 % to 50 %." in text
    )
    assert 'value="lots"' in bad.text  # the typed value comes back to be fixed
    assert_stored(engine, ids["campaign"], None)
    good = owner_client.post(url, data={"csrf_token": token, "conversion": "4.5", "average_order_value": "1,200"})
    assert good.status_code == 303 and good.headers["location"] == url
    after = owner_client.get(url)
    assert "Assumptions saved" in after.text and 'value="4.5"' in after.text and "changed" in visible(after.text)
    assert_stored(engine, ids["campaign"], {"conversion": 0.045, "average_order_value": 1200.0})
    owner_client.post(url, data={"csrf_token": token, "reset": "1", "conversion": "9"})
    assert_stored(engine, ids["campaign"], None)


def assert_stored(engine: Engine, campaign_id: int, expected: dict[str, float] | None) -> None:
    with session_scope(engine) as s:
        campaign = s.get(Campaign, campaign_id)
        assert campaign is not None and campaign.assumptions == expected


def test_a_viewer_reads_the_forecast_but_cannot_save_assumptions(client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    make_user(engine, "viewer@brand.test", Role.viewer)
    login(client, "viewer@brand.test")
    url = f"/campaigns/{ids['campaign']}/forecast"
    page = client.get(url)
    assert page.status_code == 200 and "Save and re-run" not in page.text and "an owner or a manager" in page.text
    refused = client.post(url, data={"csrf_token": csrf_from(page.text), "conversion": "9"})
    assert refused.status_code == 403
    assert_stored(engine, ids["campaign"], None)
    plan = client.post(f"/campaigns/{ids['campaign']}/optimise", data={"csrf_token": csrf_from(page.text),
                                                                       "budget": "200", "tiers": ["nano"]})  # fmt: skip
    assert plan.status_code == 200 and "to the roster</button>" not in plan.text  # a viewer may look, not add


def test_the_optimiser_explains_its_choice_and_offers_to_add_it(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    url = f"/campaigns/{ids['campaign']}/optimise"
    form = owner_client.get(url)
    assert form.status_code == 200 and 'value="2,000.00"' in form.text  # the campaign's budget
    token = csrf_from(form.text)
    fields = {"csrf_token": token, "budget": "1,000", "goal": "sales", "min_credibility": "20", "include_unvetted": "1",
              "max_tier_share": "100", "tiers": ["micro-micro", "nano", "micro"]}  # fmt: skip
    result = owner_client.post(url, data=fields)
    assert result.status_code == 200
    text = visible(result.text)
    assert_readable(result.text)
    assert "The optimiser's choice" in text and "Solved:" in text and "Ranks 1 of 5 by sales per money spent" in text
    assert "1 (declined or paused in this campaign)" in text and "Flo Fit" in text
    assert "With 10 % more budget (€1,100.00)" in text and "Add this creator to the roster" in text
    found = re.search(r'<form [^>]*id="add-picks".*?</form>', result.text, flags=re.S)
    assert found is not None
    add = found.group(0)
    assert f'action="/campaigns/{ids["campaign"]}/roster"' in add
    assert f'name="creator_ids" value="{ids["Flo"]}"' in add and add.count('name="creator_ids"') == 1
    assert 'name="next" value="/campaigns/' in add


def test_the_optimiser_form_says_what_is_wrong_and_runs_nothing(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    url = f"/campaigns/{ids['campaign']}/optimise"
    token = csrf_from(owner_client.get(url).text)
    bad = owner_client.post(url, data={"csrf_token": token, "budget": "-5", "min_credibility": "150",
                                       "max_tier_share": "5", "tiers": ["giant"]})  # fmt: skip
    assert bad.status_code == 400
    text = visible(bad.text)
    assert "The optimiser did not run" in text and "must be more than 0" in text and "must be at most 100" in text
    assert "must be at least 10" in text and "choose one of the listed options" in text
    assert "The optimiser's choice" not in text and 'value="-5"' in bad.text


def test_the_compensation_page_suggests_gifts_and_ranges(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    url = f"/campaigns/{ids['campaign']}/compensation"
    page = owner_client.get(url, params={"deliverables": "2", "usage": "organic", "usage_months": "3"})
    assert page.status_code == 200
    text = visible(page.text)
    assert_readable(page.text)
    assert "Gift (about €25.00) + an invitation to share" in text
    assert re.search(r"€\d[\d,]*\.00 – €\d[\d,]*\.00 \+ the product", text)
    assert "Usage rights for reposting on your channels, 3 month(s): +20 %." in text
    bad = owner_client.get(url, params={"deliverables": "0", "usage": "forever"})
    assert bad.status_code == 400 and "must be at least 1" in visible(bad.text) and "Gift (about" in visible(bad.text)


def test_the_json_api(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    base = f"/api/v1/campaigns/{ids['campaign']}"
    forecast = owner_client.get(f"{base}/forecast").json()
    assert forecast["creators"] == 4 and forecast["draws"] == 10_000 and forecast["actual"]["orders"] == 3
    assert forecast["roster"]["sales"]["p10"] <= forecast["roster"]["sales"]["p90"]
    assert forecast["macro_budget"] == 2_000 and forecast["naive_sales"] > 0
    headers = api_headers(owner_client)
    bad = owner_client.put(f"{base}/assumptions", json={"values": {"conversion": "x"}}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "conversion"
    unknown = owner_client.put(f"{base}/assumptions", json={"values": {"vibes": 6}}, headers=headers)
    assert unknown.status_code == 422 and "unknown assumption(s): vibes" in unknown.text
    saved = owner_client.put(f"{base}/assumptions", json={"values": {"conversion": 6}}, headers=headers).json()
    assert saved["assumptions"]["conversion"] == 0.06 and saved["changed"] == ["conversion"]
    plan = owner_client.post(f"{base}/optimise", json={"budget": "300", "goal": "awareness"}, headers=headers).json()
    assert plan["unit"] == "people reached" and plan["spent"] <= 300 and plan["picks"][0]["why"]
    invalid = owner_client.post(f"{base}/optimise", json={"budget": "300", "min_fit": 101}, headers=headers)
    assert invalid.status_code == 422
    rows = owner_client.get(f"{base}/compensation", params={"deliverables": 3}).json()
    assert {r["kind"] for r in rows} == {"gift", "fee"} and rows[0]["currency"] == "EUR"


def test_another_workspace_cannot_read_or_change_the_forecast(client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    make_user(engine, "other@else.test", ws="Else")
    login(client, "other@else.test")
    token = csrf_from(client.get("/campaigns").text)
    campaign = ids["campaign"]
    for path in ("forecast", "optimise", "compensation"):
        assert client.get(f"/campaigns/{campaign}/{path}").status_code == 404
    assert (
        client.post(f"/campaigns/{campaign}/forecast", data={"csrf_token": token, "conversion": "9"}).status_code == 404
    )
    assert client.post(f"/campaigns/{campaign}/optimise", data={"csrf_token": token, "budget": "9"}).status_code == 404
    headers = api_headers(client)
    assert client.get(f"/api/v1/campaigns/{campaign}/forecast").status_code == 404
    assert client.put(f"/api/v1/campaigns/{campaign}/assumptions", json={"values": {"conversion": 9}},
                      headers=headers).status_code == 404  # fmt: skip
    assert (
        client.post(f"/api/v1/campaigns/{campaign}/optimise", json={"budget": "9"}, headers=headers).status_code == 404
    )
    assert client.get(f"/api/v1/campaigns/{campaign}/compensation").status_code == 404
    assert_stored(engine, campaign, None)


def test_an_empty_roster_says_what_to_do(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    with session_scope(engine) as s:
        world = s.get(Campaign, ids["campaign"])
        assert world is not None
        empty = Campaign(workspace_id=world.workspace_id, name="Empty", goal=world.goal, currency="GBP")
        s.add(empty)
        s.flush()
        campaign_id = empty.id
    page = owner_client.get(f"/campaigns/{campaign_id}/forecast")
    assert page.status_code == 200
    assert_readable(page.text)
    assert "No creators on the roster to forecast" in visible(page.text)
    assert owner_client.get(f"/api/v1/campaigns/{campaign_id}/forecast").json()["roster"] is None
    compensation = owner_client.get(f"/campaigns/{campaign_id}/compensation")
    assert compensation.status_code == 200 and "No creators on the roster yet" in visible(compensation.text)
