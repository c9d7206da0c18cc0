"""Sponsored-post saturation, paid-post performance and posting cadence.

An audience fed one ad after another stops listening; an audience that ignores a creator's ads is a
poor partner however large it is.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from grassroots.judgments.vetting.engagement import by_recency

RECENT_FOR_SATURATION = 30
# Words that mark a post as paid even when the platform flag is missing (FTC/ASA disclosure words,
# discount codes and partnership phrases).
SPONSOR_PATTERN = (
    r"(?i)(#ad\b|#advert|#sponsored|#spons\b|#sp\b|#partner|#gifted|#collab\b|paid partnership|"
    r"\bsponsored by\b|\bin partnership with\b|\buse (my )?code\b|\bdiscount code\b|\bpromo code\b|"
    r"\b\d{1,2}\s?% off\b)"
)


# Every caption the pattern matches contains one of these words; a plain alternation of literals is many
# times faster than the pattern itself, which then runs only on the captions that have one.
SPONSOR_WORDS = (
    "#ad", "#sp", "#partner", "#gifted", "#collab", "paid partnership", "sponsored by", "in partnership with",
    "code", "% off",
)  # fmt: skip
_SPONSOR_PREFILTER = "(?i)" + "|".join(re.escape(word) for word in SPONSOR_WORDS)


def caption_mentions_sponsor(captions: pl.Series) -> pl.Series:
    """Whether each caption has disclosure, partnership or discount-code words (``SPONSOR_PATTERN``)."""
    text = captions.fill_null("")
    maybe = text.str.contains(_SPONSOR_PREFILTER)
    hits = np.flatnonzero(maybe.to_numpy())
    return maybe.scatter(hits, text.gather(hits).str.contains(SPONSOR_PATTERN)) if hits.size else maybe


def sponsored_posts(posts: pl.DataFrame) -> pl.DataFrame:
    """Add ``is_sponsored``: the platform's flag, or disclosure/partnership/code words in the caption."""
    words = caption_mentions_sponsor(posts["caption"])
    return posts.with_columns((pl.col("sponsored").fill_null(False) | words).alias("is_sponsored"))


def saturation(posts_er: pl.DataFrame, recent: int = RECENT_FOR_SATURATION) -> pl.DataFrame:
    """Per account: sponsored share of recent posts, paid vs organic ER ratio, posting cadence regularity."""
    ranked = posts_er if "_rank" in posts_er.columns else by_recency(posts_er)
    marked = sponsored_posts(ranked.filter(pl.col("_rank") < recent))
    # Newest first within each account, so the gap before a post is the previous row's time minus its own.
    newer = pl.when(pl.col("account_id") == pl.col("account_id").shift(1)).then(pl.col("posted_at").shift(1))
    marked = marked.with_columns(((newer - pl.col("posted_at")).dt.total_hours() / 24).alias("_gap"))
    gaps = pl.col("_gap").drop_nulls()
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
