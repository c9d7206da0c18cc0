"""Credibility 0–100 from the signals, with a ranked list of reasons and their evidence.

Start at 100 and subtract a capped penalty per signal. The caps are the weights: they say how much a
signal alone can cost (documented in docs/vetting.md). Every penalty comes with a sentence and the
evidence behind it (posts, comments, dates), because a score without reasons is not a judgment.
"""

from __future__ import annotations

import polars as pl

WEIGHTS: dict[str, float] = {
    "low_engagement": 30,
    "high_engagement": 10,
    "growth_spikes": 25,
    "follower_drops": 6,
    "inauthentic_comments": 25,
    "suspicious_commenters": 10,
    "engagement_pod": 15,
    "automated_profile": 15,
    "sponsored_saturation": 10,
    "paid_underperforms": 6,
}
REASON = pl.Struct({"code": pl.String, "penalty": pl.Float64, "text": pl.String, "evidence": pl.List(pl.String)})


def _pct(col: str) -> pl.Expr:
    return (pl.col(col) * 100).round(1).cast(pl.String)


def _clip01(expr: pl.Expr) -> pl.Expr:
    return expr.clip(0.0, 1.0).fill_null(0.0).fill_nan(0.0)


def penalties() -> dict[str, pl.Expr]:
    """One expression per signal giving its penalty in points (0 up to its weight)."""
    ratio = pl.col("er_median") / pl.col("tier_er_low")
    return {
        # Full penalty at 5 % of the tier's typical low end (20k followers, 10 likes), none from half of it.
        "low_engagement": _clip01((0.5 - ratio) / 0.45) * WEIGHTS["low_engagement"],
        "high_engagement": _clip01(pl.col("er_median") / (3 * pl.col("tier_er_high")) - 1)
        * WEIGHTS["high_engagement"]
        * 2,
        "growth_spikes": _clip01(pl.col("unexplained_spikes").cast(pl.Float64) * 0.4 + pl.col("spike_share"))
        * WEIGHTS["growth_spikes"],
        "follower_drops": _clip01(pl.col("drops").cast(pl.Float64) / 2) * WEIGHTS["follower_drops"],
        # Real audiences leave plenty of short praise; only a clear majority of hollow comments costs points.
        "inauthentic_comments": _clip01((0.8 - pl.col("authentic_share")) / 0.5) * WEIGHTS["inauthentic_comments"],
        "suspicious_commenters": _clip01((pl.col("suspicious_author_share") - 0.05) / 0.3)
        * WEIGHTS["suspicious_commenters"],
        "engagement_pod": pl.col("pod_id").is_not_null().cast(pl.Float64) * WEIGHTS["engagement_pod"],
        "automated_profile": _clip01((pl.col("fake_prob") - 0.5) * 2) * WEIGHTS["automated_profile"],
        "sponsored_saturation": _clip01((pl.col("sponsored_share") - 0.3) / 0.4) * WEIGHTS["sponsored_saturation"],
        "paid_underperforms": _clip01((0.6 - pl.col("paid_vs_organic")) / 0.4) * WEIGHTS["paid_underperforms"],
    }


def _texts() -> dict[str, tuple[pl.Expr, pl.Expr]]:
    """Sentence and evidence per signal."""
    empty = pl.lit([], dtype=pl.List(pl.String))
    return {
        "low_engagement": (
            pl.format(
                "Median engagement {} % over {} recent posts (about {} likes a post) vs {} % typical for {} creators",
                _pct("er_median"),
                pl.col("posts_used"),
                pl.col("likes_median").round(0).cast(pl.Int64),
                pl.format("{}–{}", _pct("tier_er_low"), _pct("tier_er_high")),
                pl.col("tier"),
            ),
            pl.concat_list(pl.format("weakest post id {}", pl.col("weakest_post_id"))),
        ),
        "high_engagement": (
            pl.format(
                "Engagement {} % is implausibly high for a {} account (typical {}–{} %)",
                _pct("er_median"),
                pl.col("tier"),
                _pct("tier_er_low"),
                _pct("tier_er_high"),
            ),
            empty,
        ),
        "growth_spikes": (
            pl.format(
                "{} follower jump(s) with no post to explain them; {} % of the period's growth came from them",
                pl.col("unexplained_spikes"),
                _pct("spike_share"),
            ),
            pl.col("spike_evidence"),
        ),
        "follower_drops": (
            pl.format("{} sudden follower drop(s), as after a platform purge of fake followers", pl.col("drops")),
            pl.col("drop_evidence"),
        ),
        "inauthentic_comments": (
            pl.format(
                "Only {} % of {} comments look authentic (generic {} %, spam {} %, copy-paste {} %)",
                _pct("authentic_share"),
                pl.col("comments_seen"),
                _pct("generic_share"),
                _pct("spam_share"),
                _pct("duplicate_share"),
            ),
            pl.col("worst_examples"),
        ),
        "suspicious_commenters": (
            pl.format(
                "{} % of comments come from accounts without a profile picture and with bot-like handles",
                _pct("suspicious_author_share"),
            ),
            pl.col("suspicious_authors"),
        ),
        "engagement_pod": (
            pl.format(
                "Part of an engagement pod of {} accounts that share commenters ({} % comment within 15 min)",
                pl.col("pod_size"),
                _pct("quick_share"),
            ),
            pl.col("pod_evidence"),
        ),
        "automated_profile": (
            pl.format("The profile itself looks automated (model probability {} %)", _pct("fake_prob")),
            empty,
        ),
        "sponsored_saturation": (
            pl.format("{} % of the last {} posts are sponsored", _pct("sponsored_share"), pl.col("recent_posts")),
            empty,
        ),
        "paid_underperforms": (
            pl.format(
                "Sponsored posts get {}× the engagement of organic ones",
                pl.col("paid_vs_organic").round(2).cast(pl.String),
            ),
            empty,
        ),
    }


def credibility(signals: pl.DataFrame) -> pl.DataFrame:
    """Add ``credibility`` (0–100) and ``reasons`` (ranked list of code, penalty, text, evidence)."""
    pens = penalties()
    with_pen = signals.with_columns([expr.round(1).alias(f"pen_{code}") for code, expr in pens.items()])
    total = pl.sum_horizontal([pl.col(f"pen_{code}") for code in pens])
    scored = with_pen.with_columns((100 - total).clip(0, 100).round(0).cast(pl.Int64).alias("credibility"))
    # Long form: one row per (account, signal with a penalty), built only where the penalty applies, then
    # ranked and gathered into a list; far cheaper than a list of ten nullable structs per account.
    applied = [
        with_pen.filter(pl.col(f"pen_{code}") > 0).select(
            "account_id",
            pl.lit(order).alias("_order"),
            pl.struct(
                pl.lit(code).alias("code"),
                pl.col(f"pen_{code}").alias("penalty"),
                text.fill_null("").alias("text"),
                evidence.fill_null([]).alias("evidence"),
            ).alias("reason"),
        )
        for order, (code, (text, evidence)) in enumerate(_texts().items())
    ]
    reasons = (
        pl.concat(applied)
        .sort(
            ["account_id", pl.col("reason").struct.field("penalty"), "_order"],
            descending=[False, True, False],
        )
        .group_by("account_id", maintain_order=True)
        .agg(pl.col("reason").alias("reasons"))
    )
    return (
        scored.join(reasons, on="account_id", how="left", maintain_order="left")
        .with_columns(pl.col("reasons").fill_null(pl.lit([], dtype=pl.List(REASON))))
        .drop([f"pen_{code}" for code in pens])
    )
