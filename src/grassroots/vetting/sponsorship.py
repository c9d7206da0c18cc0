"""Sponsored-post saturation, paid-post performance and posting cadence.

An audience fed one ad after another stops listening; an audience that ignores a creator's ads is a
poor partner however large it is.
"""

from __future__ import annotations

import polars as pl

RECENT_FOR_SATURATION = 30
# Words that mark a post as paid even when the platform flag is missing (FTC/ASA disclosure words,
# discount codes and partnership phrases).
SPONSOR_PATTERN = (
    r"(?i)(#ad\b|#advert|#sponsored|#spons\b|#sp\b|#partner|#gifted|#collab\b|paid partnership|"
    r"\bsponsored by\b|\bin partnership with\b|\buse (my )?code\b|\bdiscount code\b|\bpromo code\b|"
    r"\b\d{1,2}\s?% off\b)"
)


def sponsored_posts(posts: pl.DataFrame) -> pl.DataFrame:
    """Add ``is_sponsored``: the platform's flag, or disclosure/partnership/code words in the caption."""
    caption = pl.col("caption").fill_null("")
    return posts.with_columns(
        (pl.col("sponsored").fill_null(False) | caption.str.contains(SPONSOR_PATTERN)).alias("is_sponsored")
    )


def saturation(posts_er: pl.DataFrame, recent: int = RECENT_FOR_SATURATION) -> pl.DataFrame:
    """Per account: sponsored share of recent posts, paid vs organic ER ratio, posting cadence regularity."""
    marked = sponsored_posts(posts_er).sort("posted_at", descending=True)
    marked = marked.with_columns(pl.int_range(pl.len()).over("account_id").alias("_rank")).filter(
        pl.col("_rank") < recent
    )
    gaps = (pl.col("posted_at").sort().diff().dt.total_hours() / 24).drop_nulls()
    out = marked.group_by("account_id").agg(
        pl.len().alias("recent_posts"),
        pl.col("is_sponsored").mean().alias("sponsored_share"),
        pl.col("er").filter(pl.col("is_sponsored")).median().alias("er_paid"),
        pl.col("er").filter(~pl.col("is_sponsored")).median().alias("er_unpaid"),
        pl.col("is_sponsored").sum().alias("paid_posts"),
        gaps.mean().alias("gap_days_mean"),
        gaps.std().alias("gap_days_std"),
    )
    ratio = pl.when((pl.col("paid_posts") >= 2) & (pl.col("er_unpaid") > 0)).then(
        pl.col("er_paid") / pl.col("er_unpaid")
    )
    cadence_cv = pl.when(pl.col("gap_days_mean") > 0).then(pl.col("gap_days_std") / pl.col("gap_days_mean"))
    return out.with_columns(ratio.alias("paid_vs_organic"), cadence_cv.alias("cadence_cv"))
