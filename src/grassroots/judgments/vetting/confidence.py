"""How much evidence stands behind a credibility score, and when there is too little to give one.

A score from three posts and six comments is a guess; the report says so instead of showing a confident
number. The confidence is the mean of how close each kind of evidence is to a full sample.
"""

from __future__ import annotations

import polars as pl

FULL_POSTS = 12  # the engagement median is over the 12 most recent posts
FULL_COMMENTS = 50  # shares of 50 comments move by 2 points per comment
FULL_DAYS = 60  # two months of follower history show a trend and its jumps
# Below any of these the report says "not enough data" next to the score.
MIN_POSTS, MIN_COMMENTS, MIN_DAYS = 3, 10, 7


def _fraction(col: str, full: int) -> pl.Expr:
    return (pl.col(col).fill_null(0).cast(pl.Float64) / full).clip(0.0, 1.0)


def confidence_columns() -> list[pl.Expr]:
    """``confidence`` (0–100) and ``enough_data`` from ``posts_used``, ``comments_seen`` and ``days``."""
    parts = [
        _fraction("posts_used", FULL_POSTS),
        _fraction("comments_seen", FULL_COMMENTS),
        _fraction("days", FULL_DAYS),
    ]
    enough = (
        (pl.col("posts_used").fill_null(0) >= MIN_POSTS)
        & (pl.col("comments_seen").fill_null(0) >= MIN_COMMENTS)
        & (pl.col("days").fill_null(0) >= MIN_DAYS)
    )
    return [
        (pl.sum_horizontal(parts) / len(parts) * 100).round(0).cast(pl.Int64).alias("confidence"),
        enough.alias("enough_data"),
    ]
