"""Fair compensation: gifts for micro-micro creators, fees that grow with audience, engagement and rights."""

from decimal import Decimal

import polars as pl
import pytest

from grassroots.judgments.campaigns.compensation import Terms, nice, suggest_compensation


def one(followers: int, tier: str, er: float | None = None, platform: str = "instagram", terms: Terms | None = None
        ) -> dict[str, object]:  # fmt: skip
    frame = pl.DataFrame(
        {"creator_id": [1], "followers": [followers], "engagement_rate": [er], "tier": [tier], "platform": [platform]},
        schema_overrides={"engagement_rate": pl.Float64},
    )
    return suggest_compensation(frame, terms).row(0, named=True)


def test_micro_micro_creators_get_a_gift_and_an_invitation() -> None:
    row = one(800, "micro-micro", 0.12, terms=Terms(gift_value=35, currency="GBP"))
    assert row["kind"] == "gift" and row["fee_low"] == row["fee_high"] == Decimal(0)
    assert row["gift"] == Decimal("35.00") and "invitation to share" in row["reasons"][0]
    assert "35 GBP" in row["reasons"][0]


def test_a_micro_micro_post_used_as_an_ad_is_paid_for() -> None:
    row = one(1_500, "micro-micro", terms=Terms(usage="paid_ads", usage_months=1))
    assert row["kind"] == "gift" and row["fee_low"] > 0 and "reuse" in row["reasons"][-1]


def test_the_fee_follows_the_rate_basis_and_its_reasons() -> None:
    row = one(40_000, "micro")  # 40 × 10 per 1,000 = 400 a post, no engagement adjustment
    assert row["kind"] == "fee" and row["suggested_fee"] == pytest.approx(400)
    assert (row["fee_low"], row["fee_high"]) == (Decimal(300), Decimal(500))
    assert row["reasons"][0].startswith("40,000 followers on Instagram at about 10 EUR per 1,000 followers")
    assert "not measured" in row["reasons"][1]


def test_small_nano_accounts_are_paid_at_least_the_minimum() -> None:
    row = one(2_500, "nano")
    assert row["suggested_fee"] == pytest.approx(50) and "minimum" in row["reasons"][2]
    assert "minimum" not in " ".join(one(5_000, "nano")["reasons"])


def test_monotone_in_followers_and_engagement() -> None:
    fees = [one(f, "micro")["suggested_fee"] for f in (10_000, 20_000, 50_000, 99_000)]
    assert fees == sorted(fees) and len(set(fees)) == 4
    by_er = [one(30_000, "micro", er)["suggested_fee"] for er in (0.01, 0.05, 0.085, 0.15, 0.5)]
    assert by_er == sorted(by_er) and by_er[2] == pytest.approx(300)  # at the tier median: no adjustment


def test_deliverables_rights_and_exclusivity_add_to_the_fee() -> None:
    base = one(30_000, "micro")["suggested_fee"]
    assert one(30_000, "micro", terms=Terms(deliverables=3))["suggested_fee"] == pytest.approx(base * 2.6)
    organic = one(30_000, "micro", terms=Terms(usage="organic", usage_months=3))["suggested_fee"]
    ads = one(30_000, "micro", terms=Terms(usage="paid_ads", usage_months=3))["suggested_fee"]
    exclusive = one(30_000, "micro", terms=Terms(exclusivity_months=2))["suggested_fee"]
    assert base < organic < ads and exclusive == pytest.approx(base * 1.2)


def test_youtube_pays_more_per_follower_than_tiktok() -> None:
    assert (
        one(30_000, "micro", platform="youtube")["suggested_fee"]
        > one(30_000, "micro", platform="tiktok")["suggested_fee"]
    )


def test_round_figures() -> None:
    assert [nice(x) for x in (42.4, 87.6, 433, 1_234)] == [Decimal(40), Decimal(90), Decimal(430), Decimal(1_250)]


def test_an_empty_frame_gives_an_empty_table() -> None:
    empty = pl.DataFrame(schema={"creator_id": pl.Int64, "followers": pl.Int64, "engagement_rate": pl.Float64,
                                 "tier": pl.String, "platform": pl.String})  # fmt: skip
    assert suggest_compensation(empty).is_empty()
