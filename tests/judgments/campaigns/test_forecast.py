"""The Monte-Carlo forecast: the seeds' arithmetic as its special case, discounts, intervals, reproducibility."""

from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from grassroots.judgments.campaigns.assumptions import Assumptions
from grassroots.judgments.campaigns.forecast import (
    collaboration_terms,
    expected_outcomes,
    forecast,
    histograms,
    macro_creator,
    naive_forecast,
    offer_terms,
    share_ahead,
)

# No spread anywhere, everyone posts: the model reduces to arithmetic plus counting noise.
EXACT = Assumptions(
    view_rate_micro_micro=0.10,
    click_through=0.10,
    conversion=0.10,
    engagement_elasticity=0.0,
    post_probability_gift=1.0,
    view_rate_spread=0.0,
    click_spread=0.0,
    conversion_spread=0.0,
    gift_value=30.0,
)


def roster(n: int = 100, followers: int = 800, credibility: int = 100, tier: str = "micro-micro") -> pl.DataFrame:
    """``n`` identical creators."""
    return pl.DataFrame(
        {
            "creator_id": list(range(1, n + 1)),
            "followers": [followers] * n,
            "engagement_rate": [0.15] * n,
            "credibility": [credibility] * n,
            "tier": [tier] * n,
            "platform": ["instagram"] * n,
            "suggested_fee": [100.0] * n,
        }
    )


def test_the_seeds_arithmetic() -> None:
    naive = naive_forecast([800] * 100)
    assert naive.reach == pytest.approx(8_000) and naive.sales == pytest.approx(80)


def test_without_spread_the_forecast_is_the_seeds_closed_form() -> None:
    result = forecast(offer_terms(roster(), "gift", EXACT), EXACT, draws=4_000)
    # 100 × 800 × 10 % = 8,000 people, exactly, in every draw
    assert result["reach"].p10 == result["reach"].p90 == pytest.approx(8_000)
    # 8,000 × 10 % clicks × 10 % conversion = 80 sales on average (the seeds' 1 % of views), Poisson around it
    assert result["clicks"].mean == pytest.approx(800, rel=0.01)
    assert result["sales"].mean == pytest.approx(80, rel=0.02)
    assert result["sales"].p10 < 80 < result["sales"].p90
    assert result["cost"].p10 == result["cost"].p90 == pytest.approx(3_000)  # 100 gifts of 30
    assert result["cost_per_sale"].p50 == pytest.approx(3_000 / result["sales"].p50, rel=0.05)
    means = expected_outcomes(offer_terms(roster(), "gift", EXACT), EXACT)
    assert means["expected_reach"].sum() == pytest.approx(8_000) and means["expected_sales"].sum() == pytest.approx(80)


def test_a_fake_audience_is_discounted_and_an_unvetted_one_gets_the_prior() -> None:
    def reach(credibility: int) -> float:
        return forecast(offer_terms(roster(credibility=credibility), "gift", EXACT), EXACT, draws=200)["reach"].p50

    assert reach(50) == pytest.approx(4_000)
    assert reach(-1) == pytest.approx(8_000 * EXACT.unvetted_authentic_share)


def test_monte_carlo_means_match_the_closed_form_with_spread() -> None:
    a = Assumptions()
    frame = offer_terms(roster(n=200, followers=5_000, credibility=80, tier="nano"), "affiliate", a)
    result = forecast(frame, a, draws=20_000)
    means = expected_outcomes(frame, a)
    assert result["reach"].mean == pytest.approx(means["expected_reach"].sum(), rel=0.01)
    assert result["sales"].mean == pytest.approx(means["expected_sales"].sum(), rel=0.03)
    assert result["revenue"].mean == pytest.approx(means["expected_revenue"].sum(), rel=0.04)
    assert result["cost"].mean == pytest.approx(means["expected_cost"].sum(), rel=0.02)
    for metric in ("reach", "clicks", "sales", "revenue", "cost"):
        interval = result[metric]
        assert interval.p10 <= interval.p50 <= interval.p90


def test_the_same_seed_gives_the_same_forecast() -> None:
    a = Assumptions()
    frame = offer_terms(roster(n=30), "gift", a)
    first, again, other = forecast(frame, a, draws=500), forecast(frame, a, draws=500), forecast(frame, a, seed=7)
    assert np.array_equal(first.totals["sales"], again.totals["sales"])
    assert not np.array_equal(first.totals["reach"], other.totals["reach"][:500])


def test_gifts_work_on_small_creators_and_fees_buy_a_post() -> None:
    a = Assumptions()
    small = offer_terms(roster(tier="micro-micro"), "gift", a)["post_probability"][0]
    large = offer_terms(roster(tier="macro"), "gift", a)["post_probability"][0]
    paid = offer_terms(roster(tier="macro"), "fee", a)
    assert small == pytest.approx(a.post_probability_gift) and large < small / 5
    assert paid["post_probability"][0] == pytest.approx(a.post_probability_paid) and paid["fee"][0] == 100.0


def test_a_macro_creator_for_the_same_budget_runs_through_the_same_model() -> None:
    a = Assumptions()
    macro = forecast(macro_creator(3_000, a), a, draws=2_000)
    assert macro["cost"].p50 == pytest.approx(3_000)
    expected_reach = a.macro_followers * a.macro_authentic_share * a.view_rate_macro
    assert macro["reach"].mean == pytest.approx(expected_reach, rel=0.03)
    mine = forecast(offer_terms(roster(), "gift", a), a, draws=2_000)
    assert 0 <= share_ahead(mine, macro) <= 1 and share_ahead(mine, mine) == 0.5


def test_agreed_terms_become_offer_terms() -> None:
    a = Assumptions()
    frame = roster(n=4, tier="nano").with_columns(
        pl.Series("compensation", ["gift", "commission", "flat_fee", "hybrid"]),
        pl.Series("gift_value", [None, 20.0, None, None]),
        pl.Series("fee", [None, None, 250.0, None]),
        pl.Series("commission_pct", [None, 12.5, None, None]),
    )
    terms = collaboration_terms(frame, a)
    assert terms["offer"].to_list() == ["gift", "affiliate", "fee", "fee"]
    assert terms["gift_cost"].to_list() == [30.0, 20.0, 30.0, 30.0]
    assert terms["fee"].to_list() == [0.0, 0.0, 250.0, 100.0]  # a hybrid without an agreed fee: the suggestion
    assert terms["commission_rate"].to_list() == [0.0, 0.125, 0.0, a.commission_rate]


def test_histograms_share_their_bins() -> None:
    chart = histograms({"roster": np.array([1.0, 2.0, 2.0, 3.0, np.inf]), "macro": np.array([0.0, 0.0])})
    assert chart == {"x": [0.0, 1.0, 2.0, 3.0], "roster": [0, 1, 2, 1], "macro": [2, 0, 0, 0]}
    wide = histograms({"sales": np.arange(1_000, dtype=np.float64)})
    assert sum(wide["sales"]) == 1_000 and len(wide["x"]) == 30


def test_editing_an_assumption_moves_the_forecast() -> None:
    base = forecast(offer_terms(roster(), "gift", EXACT), EXACT, draws=500)
    doubled = replace(EXACT, view_rate_micro_micro=0.2)
    assert forecast(offer_terms(roster(), "gift", doubled), doubled, draws=500)["reach"].p50 == 2 * base["reach"].p50
