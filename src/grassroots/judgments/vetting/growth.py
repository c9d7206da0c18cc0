"""Follower growth anomalies: one-day jumps ("jagged staircase") and purge drops, with what explains them.

A steady creator grows by small daily amounts; bought followers arrive as a step on one day with no
post behind it. A jump counts as explained when a post from that day or the two before drew at least
half as many interactions as the followers gained (a viral post brings followers; nothing else does).
"""

from __future__ import annotations

import polars as pl

from grassroots.judgments.vetting.order import sorted_by

MIN_SPIKE_PCT = 0.05  # a day adding ≥ 5 % of the audience is never ordinary growth for an established account
MIN_DROP_PCT = 0.03  # platforms' purges of fake followers show as drops of a few percent in a day
ROBUST_Z = 6.0  # how many robust standard deviations above the usual daily change
EXPLAIN_WINDOW_DAYS = 2
EXPLAIN_SHARE = 0.5


def daily_changes(snapshots: pl.DataFrame) -> pl.DataFrame:
    """Per account and day: the change in followers since the previous snapshot, absolute and relative."""
    same_account = pl.col("account_id") == pl.col("account_id").shift(1)
    return (
        sorted_by(snapshots, ["account_id", "day"])
        .with_columns(pl.when(same_account).then(pl.col("followers").shift(1)).alias("previous"))
        .filter(pl.col("previous").is_not_null() & (pl.col("previous") > 0))
        .with_columns(
            (pl.col("followers") - pl.col("previous")).alias("change"),
            ((pl.col("followers") - pl.col("previous")) / pl.col("previous")).alias("pct"),
        )
    )


def growth_anomalies(snapshots: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """Spikes and drops per account with date, size and the post that explains a spike (if any).

    ``snapshots``: account_id, day (date), followers. ``posts``: account_id, post_id, posted_at, likes, comments.
    """
    changes = daily_changes(snapshots)
    # Only a day past the percentage thresholds can be flagged, so the robust scale is needed only
    # for the accounts that have one.
    large = (pl.col("pct") >= MIN_SPIKE_PCT) | (pl.col("pct") <= -MIN_DROP_PCT)
    suspects = changes.filter(large).select("account_id").unique()
    robust = (
        changes.join(suspects, on="account_id", how="semi")
        .group_by("account_id")
        .agg(
            pl.col("change").median().alias("_median"),
            (pl.col("change") - pl.col("change").median()).abs().median().alias("_mad"),
        )
    )
    scale = pl.max_horizontal(1.4826 * pl.col("_mad"), pl.lit(1.0))
    z = (pl.col("change") - pl.col("_median")) / scale
    flagged = (
        changes.filter(large)
        .join(robust, on="account_id")
        .with_columns(z.alias("z"))
        .filter(
            ((pl.col("pct") >= MIN_SPIKE_PCT) & (pl.col("z") >= ROBUST_Z))
            | ((pl.col("pct") <= -MIN_DROP_PCT) & (pl.col("z") <= -ROBUST_Z))
        )
        .with_columns(pl.when(pl.col("change") > 0).then(pl.lit("spike")).otherwise(pl.lit("drop")).alias("kind"))
    )
    return _explain(flagged, posts).select(
        "account_id", "day", "kind", "change", "pct", "previous", "explained", "explaining_post_id"
    )


def _explain(flagged: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    if flagged.is_empty():
        return flagged.with_columns(
            pl.lit(False).alias("explained"), pl.lit(None, dtype=pl.Int64).alias("explaining_post_id")
        )
    spikes = flagged.filter(pl.col("kind") == "spike").select("account_id", "day", "change")
    candidates = posts.join(spikes, on="account_id", how="semi").select(
        "account_id",
        "post_id",
        pl.col("posted_at").dt.date().alias("post_day"),
        (pl.col("likes").fill_null(0) + pl.col("comments").fill_null(0)).alias("interactions"),
    )
    window = pl.duration(days=EXPLAIN_WINDOW_DAYS)
    matches = (
        spikes.join(candidates, on="account_id")
        .filter(
            (pl.col("post_day") <= pl.col("day"))
            & (pl.col("post_day") >= pl.col("day") - window)
            & (pl.col("interactions") >= EXPLAIN_SHARE * pl.col("change"))
        )
        .group_by("account_id", "day")
        .agg(pl.col("post_id").sort_by("interactions", descending=True).first().alias("explaining_post_id"))
    )
    return flagged.join(matches, on=["account_id", "day"], how="left").with_columns(
        pl.col("explaining_post_id").is_not_null().alias("explained")
    )


def growth_summary(snapshots: pl.DataFrame, anomalies: pl.DataFrame) -> pl.DataFrame:
    """Per account: unexplained spikes, drops, and the share of net growth that came from unexplained spikes."""
    net = (
        sorted_by(snapshots, ["account_id", "day"])
        .group_by("account_id")
        .agg((pl.col("followers").last() - pl.col("followers").first()).alias("net_growth"), pl.len().alias("days"))
    )
    counts = anomalies.group_by("account_id").agg(
        ((pl.col("kind") == "spike") & ~pl.col("explained")).sum().alias("unexplained_spikes"),
        (pl.col("kind") == "drop").sum().alias("drops"),
        pl.col("change").filter((pl.col("kind") == "spike") & ~pl.col("explained")).sum().alias("spike_followers"),
    )
    share = pl.when(pl.col("net_growth") > 0).then(pl.col("spike_followers") / pl.col("net_growth")).otherwise(0.0)
    return (
        net.join(counts, on="account_id", how="left")
        .with_columns(pl.col("unexplained_spikes", "drops", "spike_followers").fill_null(0))
        .with_columns(share.clip(0.0, 1.0).alias("spike_share"))
    )
