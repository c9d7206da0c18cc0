"""Engagement rate per post and per account, and where it sits within the creator's tier and platform.

Pure functions over Polars frames (no I/O), so the engine can run them locally or on Spark.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from grassroots.judgments.vetting.order import rank_in_run, sorted_by

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
    joined = posts.join(accounts.select("account_id", "followers"), on="account_id", how="left", maintain_order="left")
    interactions = pl.col("likes").fill_null(0) + pl.col("comments").fill_null(0)
    is_video = pl.col("kind").is_in(VIDEO_KINDS) & (pl.col("views").fill_null(0) > 0)
    denominator = pl.when(is_video).then(pl.col("views")).otherwise(pl.col("followers"))
    er = pl.when(denominator > 0).then(interactions / denominator).otherwise(None)
    return joined.with_columns(er.cast(pl.Float64).alias("er"))


def by_recency(posts: pl.DataFrame) -> pl.DataFrame:
    """Posts in account order, newest first, with ``_rank`` (0 = the account's most recent post)."""
    ordered = sorted_by(posts, ["account_id", "posted_at"], [False, True])
    return ordered.with_columns(rank_in_run(ordered["account_id"]))


def account_engagement(posts_er: pl.DataFrame, recent: int = RECENT_POSTS) -> pl.DataFrame:
    """Median ER over each account's most recent posts, plus sponsored vs organic medians."""
    ranked = posts_er if "_rank" in posts_er.columns else by_recency(posts_er)
    return (
        ranked.filter(pl.col("_rank") < recent)
        .group_by("account_id")
        .agg(
            pl.col("er").median().alias("er_median"),
            pl.col("er").drop_nulls().len().alias("posts_used"),
            pl.col("er").filter(pl.col("sponsored")).median().alias("er_sponsored"),
            pl.col("er").filter(~pl.col("sponsored")).median().alias("er_organic"),
            pl.col("sponsored").sum().alias("sponsored_posts"),
            pl.col("post_id").sort_by("er").first().alias("weakest_post_id"),
            pl.col("likes").median().alias("likes_median"),
        )
    )


def engagement_percentile(subjects: pl.DataFrame, reference: pl.DataFrame) -> pl.DataFrame:
    """Percentile (0–100) of each subject's ER among reference ERs of the same tier and platform.

    Both frames have ``tier``, ``platform`` and ``er_median``; subjects also ``account_id``. The percentile
    is the share of the group's reference ERs strictly below the subject's (a subject without an ER is
    counted above all of them); ``peers`` is the group's size.
    """
    keys = ["tier", "platform"]
    groups = reference.select(*keys, "er_median").drop_nulls("er_median").partition_by(keys, as_dict=True)
    sorted_ers = {key: np.sort(frame["er_median"].to_numpy()) for key, frame in groups.items()}
    empty = np.zeros(0)
    parts = []
    for key, frame in subjects.select("account_id", *keys, "er_median").partition_by(keys, as_dict=True).items():
        ers = sorted_ers.get(key, empty)
        values = frame["er_median"]
        below = np.searchsorted(ers, values.fill_null(np.inf).to_numpy(), side="left")
        below = np.where(values.is_null().to_numpy(), ers.size, below)
        share = pl.Series(100 * below / ers.size) if ers.size else pl.Series([None] * frame.height, dtype=pl.Float64)
        parts.append(
            frame.select(
                "account_id",
                share.cast(pl.Float64).alias("er_percentile"),
                pl.lit(ers.size, dtype=pl.Int32).alias("peers"),
            )
        )
    schema = {"account_id": pl.Int64, "er_percentile": pl.Float64, "peers": pl.Int32}
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def expectation_columns(tier: pl.Expr) -> list[pl.Expr]:
    """The tier's typical ER range as ``tier_er_low`` and ``tier_er_high``."""
    low = tier.replace_strict({k: v[0] for k, v in TIER_EXPECTED.items()}, return_dtype=pl.Float64)
    high = tier.replace_strict({k: v[1] for k, v in TIER_EXPECTED.items()}, return_dtype=pl.Float64)
    return [low.alias("tier_er_low"), high.alias("tier_er_high")]
