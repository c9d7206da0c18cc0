"""The whole vetting judgment as one pure frame function: accounts + posts + snapshots + comments -> reports.

Input frames (column names are the contract the engine and the store both honour):
- accounts: account_id, platform, handle, followers; optional fake_prob (shipped account model)
- posts: account_id, post_id, kind, caption, sponsored, likes, comments, views, posted_at
- snapshots: account_id, day, followers
- comments: account_id, post_id, author_handle, author_has_avatar, text, posted_at, post_posted_at,
  spam_prob (shipped comment model), generic (generic-praise rules)
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from grassroots.judgments.vetting.authenticity import comment_authenticity
from grassroots.judgments.vetting.conversation import audience_quality
from grassroots.judgments.vetting.credibility import credibility
from grassroots.judgments.vetting.engagement import (
    DEFAULT_BOUNDS,
    RECENT_POSTS,
    account_engagement,
    by_recency,
    engagement_percentile,
    expectation_columns,
    post_engagement,
    tier_expr,
)
from grassroots.judgments.vetting.growth import daily_changes, growth_anomalies, growth_summary
from grassroots.judgments.vetting.order import sorted_by
from grassroots.judgments.vetting.pods import pods
from grassroots.judgments.vetting.sponsorship import saturation

REPORT_COLUMNS = (
    "account_id", "tier", "platform", "followers", "er_median", "er_percentile", "peers", "tier_er_low",
    "tier_er_high", "posts_used", "likes_median", "authentic_share", "comments_seen", "unexplained_spikes",
    "drops", "spike_share", "pod_id", "pod_size", "sponsored_share", "paid_vs_organic", "cadence_cv", "fake_prob",
    "credibility", "reasons", "anomalies", "worst_examples", "quick_share", "reciprocal", "pod_evidence",
    "confidence", "enough_data", "days", "commenters", "real_commenters", "substantive_comments", "question_share",
    "intent_share", "growth_cv", "good_examples", "hollow_examples",
)  # fmt: skip
PERCENTILE_COLUMNS = ("er_percentile", "peers")
SCORE_COLUMNS = ("credibility", "confidence", "enough_data", "reasons")  # need the percentile, so come last
# What the score reads besides the report columns (kept in the judged parts until it is computed).
SIGNAL_ONLY_COLUMNS = (
    "weakest_post_id", "recent_posts", "spam_share", "generic_share", "duplicate_share", "suspicious_author_share",
    "suspicious_authors", "spike_evidence", "drop_evidence", "weakest_post",
)  # fmt: skip


def vet(
    accounts: pl.DataFrame,
    posts: pl.DataFrame,
    snapshots: pl.DataFrame,
    comments: pl.DataFrame,
    *,
    reference: pl.DataFrame | None = None,
    bounds: Sequence[int] = DEFAULT_BOUNDS,
    neighbourhood: tuple[pl.DataFrame, pl.DataFrame, int] | None = None,
    pod_frame: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Score every account.

    ``reference`` (tier, platform, er_median) sets the peer group for percentiles (default: the input).
    ``neighbourhood`` (comments, accounts, distinct commenters overall) is what pod detection looks at
    when the input is a few accounts: every account sharing a commenter with them (default: the input).
    ``pod_frame`` is pod membership already computed over the whole population (batch engines).
    """
    if pod_frame is None:
        pod_frame = pod_membership(comments, accounts, neighbourhood)
    judged = judge(accounts, posts, snapshots, comments, pod_frame, bounds=bounds)
    return with_percentiles(judged, judged if reference is None else reference)


def judge(
    accounts: pl.DataFrame,
    posts: pl.DataFrame,
    snapshots: pl.DataFrame,
    comments: pl.DataFrame,
    pod_frame: pl.DataFrame,
    *,
    bounds: Sequence[int] = DEFAULT_BOUNDS,
) -> pl.DataFrame:
    """The signals of every account; the peer percentile and the score need the whole population (``with_percentiles``).

    Each account's row depends only on its own rows (and its row in ``pod_frame``), so any split of the
    accounts into parts gives the same rows.
    """
    if "fake_prob" not in accounts.columns:
        accounts = accounts.with_columns(pl.lit(None, dtype=pl.Float64).alias("fake_prob"))
    base = sorted_by(accounts, ["account_id"]).with_columns(tier_expr(pl.col("followers"), bounds).alias("tier"))
    posts_er = by_recency(post_engagement(posts, accounts))
    snapshots = sorted_by(snapshots, ["account_id", "day"])
    anomalies = growth_anomalies(snapshots, posts)
    signals = [
        account_engagement(posts_er),
        growth_summary(snapshots, anomalies),
        _anomaly_evidence(anomalies),
        comment_authenticity(comments),
        audience_quality(comments),
        _steadiness(snapshots),
        pod_frame,
        saturation(posts_er),
        _weakest_post(posts_er),
    ]
    frame = base.with_columns(expectation_columns(pl.col("tier")))
    for signal in signals:
        frame = frame.join(signal, on="account_id", how="left", maintain_order="left")
    frame = frame.with_columns(
        pl.col("unexplained_spikes", "drops", "days", "commenters", "real_commenters").fill_null(0),
        pl.col("substantive_comments", "comments_seen").fill_null(0),
        pl.col("spike_share").fill_null(0.0),
        pl.col("spike_evidence", "drop_evidence", "worst_examples", "suspicious_authors", "pod_evidence").fill_null([]),
        pl.col("good_examples", "hollow_examples").fill_null([]),
    )
    kept = [c for c in REPORT_COLUMNS if c not in PERCENTILE_COLUMNS + SCORE_COLUMNS]
    return frame.select(*kept, *SIGNAL_ONLY_COLUMNS)


def with_percentiles(judged: pl.DataFrame, reference: pl.DataFrame) -> pl.DataFrame:
    """Add ``er_percentile`` and ``peers`` against ``reference`` (tier, platform, er_median), then the score."""
    percentile = engagement_percentile(judged, reference)
    with_peers = judged.join(percentile, on="account_id", how="left", maintain_order="left")
    return credibility(with_peers).select(REPORT_COLUMNS)


def _weakest_post(posts_er: pl.DataFrame) -> pl.DataFrame:
    """``weakest_post``: the recent post with the lowest engagement, as a person would find it (date, kind, caption)."""
    caption = pl.col("caption").fill_null("").str.slice(0, 40)
    line = pl.format(
        "weakest post: {} {}, {} % engagement, “{}{}” (post {})",
        pl.col("posted_at").dt.date().cast(pl.String),
        pl.col("kind"),
        (pl.col("er") * 100).round(2),
        caption,
        pl.when(pl.col("caption").fill_null("").str.len_chars() > 40).then(pl.lit("…")).otherwise(pl.lit("")),
        pl.col("post_id"),
    )
    return (
        posts_er.filter((pl.col("_rank") < RECENT_POSTS) & pl.col("er").is_not_null())
        .group_by("account_id")
        .agg(line.sort_by("er", "post_id").first().alias("weakest_post"))
    )


def _steadiness(snapshots: pl.DataFrame) -> pl.DataFrame:
    """``growth_cv``: spread of the daily relative follower changes over their mean size (low = steady)."""
    spread = pl.col("pct").std() / pl.max_horizontal(pl.col("pct").mean().abs(), pl.lit(0.0005))
    return daily_changes(snapshots).group_by("account_id").agg(spread.alias("growth_cv"))


def _anomaly_evidence(anomalies: pl.DataFrame) -> pl.DataFrame:
    line = pl.format(
        "{}: {}{} followers ({}{} %){}",
        pl.col("day").cast(pl.String),
        pl.when(pl.col("change") > 0).then(pl.lit("+")).otherwise(pl.lit("")),
        pl.col("change"),
        pl.when(pl.col("pct") > 0).then(pl.lit("+")).otherwise(pl.lit("")),
        (pl.col("pct") * 100).round(1),
        pl.when(pl.col("explained"))
        .then(pl.format(", after post {}", pl.col("explaining_post_id")))
        .otherwise(pl.lit(", no post that explains it")),
    )
    is_spike = (pl.col("kind") == "spike") & ~pl.col("explained")
    return (
        anomalies.sort("day")
        .with_columns(line.alias("_line"))
        .group_by("account_id")
        .agg(
            pl.col("_line").filter(is_spike).alias("spike_evidence"),
            pl.col("_line").filter(pl.col("kind") == "drop").alias("drop_evidence"),
            pl.struct("day", "kind", "change", "pct", "explained", "explaining_post_id").alias("anomalies"),
        )
    )


def pod_membership(
    comments: pl.DataFrame,
    accounts: pl.DataFrame,
    neighbourhood: tuple[pl.DataFrame, pl.DataFrame, int] | None = None,
) -> pl.DataFrame:
    """Pod columns per account (pod_id, pod_size, quick_share, reciprocal, pod_evidence)."""
    if neighbourhood is None:
        return _pod_evidence(pods(comments, accounts), accounts)
    pod_comments, pod_accounts, universe = neighbourhood
    return _pod_evidence(pods(pod_comments, pod_accounts, universe), pod_accounts)


def _pod_evidence(pod_frame: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    handles = accounts.select(pl.col("account_id").alias("partner"), pl.col("handle"))
    partners = (
        pod_frame.select("account_id", "partners")
        .explode("partners")
        .rename({"partners": "partner"})
        .join(handles, on="partner", how="left")
        .group_by("account_id")
        .agg(pl.format("@{}", pl.col("handle")).sort().str.join(", ").alias("_partners"))
    )
    evidence = pl.concat_list(
        pl.format("pod partners: {}", pl.col("_partners")),
        pl.format("shared commenters: {}", pl.col("shared_commenters").list.join(", ")),
    )
    return (
        pod_frame.join(partners, on="account_id", how="left")
        .with_columns(evidence.alias("pod_evidence"))
        .select("account_id", "pod_id", "pod_size", "quick_share", "reciprocal", "pod_evidence")
    )
