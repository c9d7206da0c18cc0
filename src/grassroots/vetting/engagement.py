"""Engagement rate per post and per account, and where it sits within the creator's tier and platform.

Pure functions over Polars frames (no I/O), so the engine can run them locally or on Spark.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

VIDEO_KINDS = ("video", "reel", "short")
RECENT_POSTS = 12
TIERS = ("micro-micro", "nano", "micro", "macro", "mega")
DEFAULT_BOUNDS = (2_000, 10_000, 100_000, 1_000_000)
# Typical engagement per tier as the seeds and industry reports give it (macro ~1–2 %, micro ~7–10 %,
# micro-micro ~10–20 %); nano and mega are interpolated. Used to judge "too low" and "implausibly high".
TIER_EXPECTED: dict[str, tuple[float, float]] = {
    "micro-micro": (0.10, 0.20),
    "nano": (0.08, 0.14),
    "micro": (0.07, 0.10),
    "macro": (0.01, 0.02),
    "mega": (0.005, 0.015),
}


def tier_expr(followers: pl.Expr, bounds: Sequence[int] = DEFAULT_BOUNDS) -> pl.Expr:
    """The tier name for a follower count, with lower bounds (nano, micro, macro, mega)."""
    nano, micro, macro, mega = bounds
    return (
        pl.when(followers >= mega)
        .then(pl.lit("mega"))
        .when(followers >= macro)
        .then(pl.lit("macro"))
        .when(followers >= micro)
        .then(pl.lit("micro"))
        .when(followers >= nano)
        .then(pl.lit("nano"))
        .otherwise(pl.lit("micro-micro"))
    )


def post_engagement(posts: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """Add ``er`` to each post: (likes + comments) over views for video, over followers otherwise."""
    joined = posts.join(accounts.select("account_id", "followers"), on="account_id", how="left")
    interactions = pl.col("likes").fill_null(0) + pl.col("comments").fill_null(0)
    is_video = pl.col("kind").is_in(VIDEO_KINDS) & (pl.col("views").fill_null(0) > 0)
    denominator = pl.when(is_video).then(pl.col("views")).otherwise(pl.col("followers"))
    er = pl.when(denominator > 0).then(interactions / denominator).otherwise(None)
    return joined.with_columns(er.cast(pl.Float64).alias("er"))


def account_engagement(posts_er: pl.DataFrame, recent: int = RECENT_POSTS) -> pl.DataFrame:
    """Median ER over each account's most recent posts, plus sponsored vs organic medians."""
    recent_posts = (
        posts_er.sort("posted_at", descending=True)
        .with_columns(pl.int_range(pl.len()).over("account_id").alias("_rank"))
        .filter(pl.col("_rank") < recent)
    )
    return recent_posts.group_by("account_id").agg(
        pl.col("er").median().alias("er_median"),
        pl.col("er").drop_nulls().len().alias("posts_used"),
        pl.col("er").filter(pl.col("sponsored")).median().alias("er_sponsored"),
        pl.col("er").filter(~pl.col("sponsored")).median().alias("er_organic"),
        pl.col("sponsored").sum().alias("sponsored_posts"),
        pl.col("post_id").sort_by("er").first().alias("weakest_post_id"),
        pl.col("likes").median().alias("likes_median"),
    )


def engagement_percentile(subjects: pl.DataFrame, reference: pl.DataFrame) -> pl.DataFrame:
    """Percentile (0–100) of each subject's ER among reference ERs of the same tier and platform.

    Both frames have ``tier``, ``platform`` and ``er_median``; subjects also ``account_id``.
    """
    ref = (
        reference.select("tier", "platform", "er_median")
        .drop_nulls()
        .with_columns(pl.lit(1).alias("_ref"), pl.lit(None, dtype=pl.Int64).alias("account_id"))
    )
    subj = subjects.select("tier", "platform", "er_median", "account_id").with_columns(pl.lit(0).alias("_ref"))
    both = pl.concat([subj, ref.select(subj.columns)], how="vertical_relaxed")
    # Subjects sort before equal reference values, so the count is of reference ERs strictly below.
    ranked = both.sort(["tier", "platform", "er_median", "_ref"], nulls_last=True).with_columns(
        pl.col("_ref").cum_sum().over(["tier", "platform"]).alias("_below"),
        pl.col("_ref").sum().over(["tier", "platform"]).alias("_group_size"),
    )
    pct = pl.when(pl.col("_group_size") > 0).then(100 * pl.col("_below") / pl.col("_group_size"))
    return (
        ranked.filter(pl.col("_ref") == 0)
        .select("account_id", pct.otherwise(None).alias("er_percentile"), pl.col("_group_size").alias("peers"))
        .with_columns(pl.when(pl.col("er_percentile").is_not_null()).then(pl.col("er_percentile")))
    )


def expectation_columns(tier: pl.Expr) -> list[pl.Expr]:
    """The tier's typical ER range as ``tier_er_low`` and ``tier_er_high``."""
    low = tier.replace_strict({k: v[0] for k, v in TIER_EXPECTED.items()}, return_dtype=pl.Float64)
    high = tier.replace_strict({k: v[1] for k, v in TIER_EXPECTED.items()}, return_dtype=pl.Float64)
    return [low.alias("tier_er_low"), high.alias("tier_er_high")]
