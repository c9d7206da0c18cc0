"""Planning services on SQLite and PostgreSQL: the roster into frames, the forecast with actuals, assumptions,
the optimiser over the workspace's creators, compensation, and one workspace never reaching another's campaign."""

from decimal import Decimal

import pytest
from sqlalchemy import Engine

from grassroots.campaigns import planning
from grassroots.campaigns.models import Campaign
from grassroots.campaigns.planning_frames import roster_frame
from grassroots.campaigns.planning_schemas import CompensationIn, OptimiseIn
from grassroots.db.session import session_scope
from grassroots.errors import InvalidInput, NotFound
from tests.campaigns.planning_world import seed
from tests.support import workspace_id


def test_the_roster_frame_leaves_out_declined_creators_and_fills_the_campaigns_terms(engine: Engine) -> None:
    ids = seed(engine)
    with session_scope(engine) as s:
        campaign = s.get(Campaign, ids["campaign"])
        assert campaign is not None
        frame = roster_frame(s, campaign)
    assert frame["name"].to_list() == ["Ana Glow", "Bo Baker", "Cy Crafts", "Di Dance"]  # Ed declined, Flo not in
    assert frame["tier"].to_list() == ["micro-micro", "micro-micro", "micro-micro", "nano"]
    assert frame["compensation"].unique().to_list() == ["gift"] and frame["gift_value"].unique().to_list() == [25.0]
    assert frame["credibility"].to_list() == [90, 85, -1, 80]


def test_the_forecast_shows_intervals_the_seeds_arithmetic_a_macro_creator_and_actual_sales(engine: Engine) -> None:
    ids = seed(engine)
    with session_scope(engine) as s:
        view = planning.forecast_view(s, workspace_id(engine), ids["campaign"], draws=2_000)
    assert view.creators == 4 and view.set_aside == 1
    assert view.naive.sales == pytest.approx((800 + 1_200 + 1_900 + 5_000) * 0.1 * 0.01)
    assert view.roster is not None and view.macro is not None and view.macro_budget == 2_000
    sales = view.roster["sales"]
    assert sales.p10 <= sales.p50 <= sales.p90 and view.roster["cost"].p50 >= 3 * 25  # three gifts at least
    assert view.macro["cost"].p50 == pytest.approx(2_000) and 0 <= (view.ahead or 0) <= 1
    actual = view.actual
    assert actual is not None and actual.orders == 3 and actual.other_currency_orders == 1
    assert actual.revenue == Decimal("100.50") and not actual.running
    assert view.top[0]["name"] and set(view.charts) == {"sales", "bands", "naive"}
    out = planning.forecast_out(view)
    assert out.actual is not None and out.actual.orders == 3 and out.roster is not None
    assert set(out.roster) == {"reach", "clicks", "sales", "revenue", "cost", "cost_per_sale"}


def test_without_a_budget_the_macro_creator_gets_the_rosters_expected_cost(engine: Engine) -> None:
    ids = seed(engine, budget=None)
    with session_scope(engine) as s:
        view = planning.forecast_view(s, workspace_id(engine), ids["campaign"], draws=500)
    assert view.roster is not None and view.macro_budget == pytest.approx(view.roster["cost"].mean)
    assert "expected cost" in view.macro_basis


def test_assumptions_are_saved_only_when_every_value_is_valid(engine: Engine) -> None:
    ids = seed(engine)
    ws = workspace_id(engine)
    with session_scope(engine) as s:
        saved = planning.save_assumptions(s, ws, ids["campaign"], {"conversion": "5", "average_order_value": "55"})
        assert saved.conversion == pytest.approx(0.05)
    with session_scope(engine) as s:
        with pytest.raises(InvalidInput) as caught:
            planning.save_assumptions(s, ws, ids["campaign"], {"conversion": "2", "click_through": "-1"})
        assert set(caught.value.errors) == {"click_through"}
    with session_scope(engine) as s:
        campaign = s.get(Campaign, ids["campaign"])
        assert campaign is not None and campaign.assumptions == {"conversion": 0.05, "average_order_value": 55.0}
        rows = {r.name: r for r in planning.assumption_rows(planning.assumptions_of(campaign))}
        assert rows["conversion"].changed and rows["conversion"].value == pytest.approx(5)
        planning.save_assumptions(s, ws, ids["campaign"], {}, reset=True)
        assert campaign.assumptions is None


def test_the_optimiser_chooses_within_the_budget_from_the_roster_and_the_tiers(engine: Engine) -> None:
    ids = seed(engine)
    with session_scope(engine) as s:
        plan = planning.optimise_campaign(s, workspace_id(engine), ids["campaign"], OptimiseIn(budget=Decimal(120)))
    assert 0 < plan.spent <= 120 and plan.currency == "EUR" and plan.unit == "sales"
    seen = {p.creator_id for p in plan.picks + plan.left_out}
    assert ids["Ed"] not in seen and plan.excluded["declined or paused in this campaign"] == 1  # don't ask twice
    assert ids["Flo"] in seen  # a micro creator of the workspace, not on the roster
    assert all(p.name and p.why for p in plan.picks + plan.left_out)
    assert all(p.on_roster == (p.creator_id != ids["Flo"]) for p in plan.picks + plan.left_out)
    with session_scope(engine) as s:
        strict = planning.optimise_campaign(
            s, workspace_id(engine), ids["campaign"], OptimiseIn(budget=Decimal(5_000), min_credibility=50)
        )
    assert ids["Flo"] not in {p.creator_id for p in strict.picks}
    assert strict.excluded.get("credibility below 50") == 1


def test_the_optimiser_takes_explicit_candidates_and_needs_a_budget(engine: Engine) -> None:
    ids = seed(engine, budget=None)
    ws = workspace_id(engine)
    with session_scope(engine) as s:
        plan = planning.optimise_campaign(s, ws, ids["campaign"], OptimiseIn(budget=Decimal(10_000),
                                                                          creator_ids=[ids["Flo"]], tiers=[]))  # fmt: skip
        candidates = {p.creator_id for p in plan.picks} | {p.creator_id for p in plan.left_out}
        assert ids["Flo"] in candidates and ids["Ed"] not in candidates
        with pytest.raises(InvalidInput) as caught:
            planning.optimise_campaign(s, ws, ids["campaign"], OptimiseIn())
        assert "budget" in caught.value.errors


def test_compensation_suggests_gifts_for_micro_micro_and_fees_above(engine: Engine) -> None:
    ids = seed(engine)
    with session_scope(engine) as s:
        rows = planning.compensation_rows(s, workspace_id(engine), ids["campaign"], CompensationIn(deliverables=2))
    by_name = {r.name: r for r in rows}
    assert [r.name for r in rows] == sorted(by_name)
    assert by_name["Ana Glow"].kind == "gift" and by_name["Ana Glow"].gift == Decimal("25.00")
    di = by_name["Di Dance"]
    assert di.kind == "fee" and Decimal(0) < di.fee_low < di.fee_high and di.currency == "EUR"
    assert any("2 deliverables" in r for r in di.reasons)


def test_another_workspace_cannot_reach_the_campaign(engine: Engine) -> None:
    ids = seed(engine)
    other = workspace_id(engine, "Other brand")
    with session_scope(engine) as s:
        for call in (
            lambda: planning.forecast_view(s, other, ids["campaign"], draws=100),
            lambda: planning.save_assumptions(s, other, ids["campaign"], {"conversion": "9"}),
            lambda: planning.optimise_campaign(s, other, ids["campaign"], OptimiseIn(budget=Decimal(100))),
            lambda: planning.compensation_rows(s, other, ids["campaign"], CompensationIn()),
        ):
            with pytest.raises(NotFound):
                call()
    with session_scope(engine) as s:
        campaign = s.get(Campaign, ids["campaign"])
        assert campaign is not None and campaign.assumptions is None
