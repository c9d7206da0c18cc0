"""Engagement per post and account, and percentiles within tier and platform."""

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from grassroots.judgments.vetting.engagement import (
    account_engagement,
    engagement_percentile,
    post_engagement,
    tier_expr,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _posts(rows: list[tuple[int, int, str, int, int, int | None, bool]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(a, p, k, li, c, v, s, T0 - timedelta(days=p)) for a, p, k, li, c, v, s in rows],
        schema=["account_id", "post_id", "kind", "likes", "comments", "views", "sponsored", "posted_at"],
        orient="row",
    )


def test_video_uses_views_and_feed_uses_followers() -> None:
    accounts = pl.DataFrame({"account_id": [1], "followers": [1_000]})
    posts = _posts(
        [(1, 1, "image", 90, 10, None, False), (1, 2, "reel", 20, 5, 500, False), (1, 3, "reel", 20, 5, 0, False)]
    )
    er = post_engagement(posts, accounts).sort("post_id")["er"].to_list()
    assert er == pytest.approx([0.10, 0.05, 0.025])  # a reel without views falls back to followers


def test_account_median_uses_recent_posts_and_splits_sponsored() -> None:
    accounts = pl.DataFrame({"account_id": [1], "followers": [1_000]})
    rows = [(1, i, "image", 100 if i % 2 else 20, 0, None, i % 2 == 0) for i in range(1, 15)]
    out = account_engagement(post_engagement(_posts(rows), accounts)).row(0, named=True)
    assert out["posts_used"] == 12
    assert out["er_sponsored"] == pytest.approx(0.02) and out["er_organic"] == pytest.approx(0.10)


def test_percentile_counts_peers_strictly_below_in_same_tier_and_platform() -> None:
    reference = pl.DataFrame(
        {"tier": ["nano"] * 4 + ["micro"], "platform": ["instagram"] * 5, "er_median": [0.01, 0.05, 0.08, 0.12, 0.001]}
    )
    subjects = pl.DataFrame(
        {"account_id": [7, 8], "tier": ["nano", "macro"], "platform": ["instagram"] * 2, "er_median": [0.08, 0.02]}
    )
    out = {r["account_id"]: r for r in engagement_percentile(subjects, reference).to_dicts()}
    assert out[7]["er_percentile"] == pytest.approx(50.0) and out[7]["peers"] == 4
    assert out[8]["er_percentile"] is None  # no macro peers to compare with


def test_tier_expr_follows_bounds() -> None:
    frame = pl.DataFrame({"f": [500, 2_000, 50_000, 150_000, 2_000_000]})
    tiers = frame.select(tier_expr(pl.col("f"), (2_000, 10_000, 100_000, 1_000_000)).alias("t"))["t"].to_list()
    assert tiers == ["micro-micro", "nano", "micro", "macro", "mega"]
